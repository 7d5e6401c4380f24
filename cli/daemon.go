package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
	"tributary/metrics"
	"tributary/store"
	"tributary/topic"

	"tributary/aggregator"
	"tributary/config"
	"tributary/dedupe"
	"tributary/news"
	"tributary/notify"
	"tributary/publish"
)

// daemon is what serve runs: the parts built from the config, wired.
type daemon struct {
	cfg       atomic.Pointer[config.Config] // replaced by a reload
	started   *config.Config                // as the daemon started: what takes a restart runs as here
	e         *env
	log       *slog.Logger
	store     store.Store
	index     *dedupe.Index
	pub       *publish.Publisher
	metrics   *metrics.Metrics
	agg       *aggregator.Aggregator
	sched     *aggregator.Scheduler
	retention *aggregator.Retention
	deliver   *notify.Deliverer
	mute      atomic.Pointer[topic.Mute] // replaced by a reload

	addr, opsAddr string // the listeners' addresses, once bound
}

// hooks let tests follow a daemon without reading its logs. Nil ones do
// nothing.
type hooks struct {
	serving  func(d *daemon)         // listeners bound and store open, before polls
	polled   func(aggregator.Result) // every poll that ran
	reloaded func(err error)         // a reload applied (nil) or rejected
}

// newDaemon builds every part serve needs: the store (for writing), the
// dedupe index rebuilt from it, the publisher with its feeds rendered,
// the aggregator, the scheduler and the retention job.
func newDaemon(ctx context.Context, e *env, cfg *config.Config) (*daemon, error) {
	d := &daemon{e: e, log: newLogger(cfg.Log, e.stderr)}
	d.cfg.Store(cfg)
	d.started = cfg
	topics, pubTopics, err := buildTopics(cfg)
	if err != nil {
		return nil, err
	}
	if d.store, err = openStore(ctx, e, cfg, true); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			d.store.Close()
		}
	}()
	// Checked before anything is written: a damaged store halts polls
	// (said now, in case reading it fails next).
	damage := checkIntegrity(ctx, d.store)
	if damage != nil {
		d.log.Error(damagedMsg, slog.Any("err", damage))
	}
	if err := learnSections(ctx, d.store, topics, e.now(), d.log); err != nil {
		return nil, err
	}
	if err := applySources(ctx, d.store, cfg, topics, d.log); err != nil {
		return nil, err
	}
	// Replicas on one store: the index follows the others from the newest
	// item and story move it was rebuilt with (aggregator.Follow).
	var followed aggregator.Followed
	if s, ok := d.store.(store.Follower); ok {
		if followed.Item, err = s.LastItemID(ctx); err != nil {
			return nil, err
		}
		if followed.Move, err = s.LastMoveID(ctx); err != nil {
			return nil, err
		}
	}
	if d.index, err = rebuildIndex(ctx, e, d.store, cfg, d.log); err != nil {
		return nil, err
	}
	d.metrics = metrics.New(version, d.storyCount)
	base := cfg.BaseURL
	if base == "" {
		base = (&url.URL{Scheme: "http", Host: cfg.Listen}).String()
	}
	popts := publish.Options{
		BaseURL: base, Title: cfg.Publish.Title, Description: cfg.Publish.Description,
		Limit: cfg.Publish.Limit, Topics: pubTopics, Version: version,
		MaxAge: cfg.Publish.MaxAge, Hub: cfg.Publish.WebSubHub,
		Metrics: d.metrics, Ready: d.ready, HealthDetail: d.healthDetail, ReadyDetail: d.replicaDetail,
		Hot:     publish.Hot{Window: cfg.Hot.Window, MinSources: cfg.Hot.MinSources},
		Private: cfg.Publish.Private,
		Leader:  leader(d.store),
		Now:     e.now,
	}
	if popts.Icon, err = icon(cfg); err != nil {
		return nil, err
	}
	popts.Tokens = cfg.Publish.Tokens // resolved by loadConfig
	if cfg.Publish.Debug {
		popts.Explain, popts.Debug = d.explainText, true
	}
	if d.pub, err = publish.New(d.store, d.log, popts); err != nil {
		return nil, err
	}
	mute, err := topic.NewMute(cfg.Mute)
	if err != nil {
		return nil, err
	}
	d.setMute(mute)
	if err := d.pub.Refresh(ctx); err != nil {
		return nil, err
	}
	d.agg = newAggregator(e, cfg, d.store, d.index, topics, d.pub, d.log, d.metrics, d.observe)
	d.agg.FollowFrom(followed)
	if damage != nil {
		d.agg.Halt(damage)
	}
	rules, targets, batch := buildAlerts(cfg)
	d.agg.SetAlerts(rules)
	d.deliver = notify.New(d.store, d.log, notify.Options{Targets: targets, Batch: batch, Now: e.now, Leader: leader(d.store)})
	if d.agg.Replica().Shared {
		d.metrics.Replica(func() float64 { return float64(d.agg.Replica().Leases) },
			func() float64 { return float64(d.agg.Replica().Takeovers) },
			func() float64 { return d.agg.Replica().Lag.Seconds() })
	}
	sources := buildSources(cfg)
	if d.sched, err = aggregator.NewScheduler(d.agg, sources, cfg.Fetch.Jitter, d.log); err != nil {
		return nil, err
	}
	d.retention = aggregator.NewRetention(d.store, d.log, aggregator.RetentionOptions{
		MaxAge:   func() time.Duration { return time.Duration(d.cfg.Load().Retention.Items) },
		Keep:     d.pub.Keep, // the publisher's limit stays until a restart
		Listener: d.pub,
		Now:      e.now,
		Leader:   leader(d.store),
		Halted:   d.agg.Halted,
	})
	d.log.Info("store open", "store", d.store.Path(), "sources", len(sources), "topics", len(topics))
	ok = true
	return d, nil
}

func (d *daemon) Close() error { return d.store.Close() }

// observe hears every poll, for the test hook.
func (d *daemon) observe(r aggregator.Result) {
	if d.e.hooks.polled != nil {
		d.e.hooks.polled(r)
	}
}

// ready is nil when the store answers, is sound and takes polls, and the
// scheduler polls on time.
func (d *daemon) ready(ctx context.Context) error {
	if err := d.store.Ping(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := d.agg.Halted(); err != nil {
		return err
	}
	if err := d.agg.StoreHealth(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return d.sched.Healthy(d.e.now())
}

// alive is nil while the store answers and the scheduler runs: what the
// systemd watchdog vouches for.
func (d *daemon) alive(ctx context.Context) error {
	if err := d.store.Ping(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if running, _ := d.sched.Running(); !running {
		return errors.New("scheduler not running")
	}
	return nil
}

// healthDetail lists the sources an operator should look at.
func (d *daemon) healthDetail(ctx context.Context) string {
	return d.replicaDetail(ctx) + d.sourceDetail(ctx)
}

// replicaDetail says, on a shared store, whether this replica leads and
// the leases it holds.
func (d *daemon) replicaDetail(ctx context.Context) string {
	r := d.agg.Replica()
	if !r.Shared {
		return ""
	}
	lead := "no"
	if l := leader(d.store); l != nil && l(ctx) {
		lead = "yes"
	}
	behind := "up to date with the others"
	if r.Lag > 0 {
		behind = fmt.Sprintf("%s behind the others", r.Lag.Round(100*time.Millisecond))
	}
	return fmt.Sprintf("replica: leads %s, %d source leases held, %d taken over, %s\n", lead, r.Leases, r.Takeovers, behind)
}

// sourceDetail lists the notes of the sources to look at.
func (d *daemon) sourceDetail(ctx context.Context) string {
	srcs, err := d.store.Sources(ctx)
	if err != nil {
		return "store: " + err.Error() + "\n"
	}
	var b strings.Builder
	for _, s := range srcs {
		for _, note := range s.Health().Notes {
			b.WriteString(note + "\n")
		}
	}
	return b.String()
}

// statusLine is the one-line summary systemctl status shows.
func (d *daemon) statusLine(ctx context.Context) string {
	srcs, err := d.store.Sources(ctx)
	if err != nil {
		return "store error: " + err.Error()
	}
	ok, failing := 0, 0
	var last time.Time
	for _, s := range srcs {
		switch s.Health().Status {
		case news.StatusOK:
			ok++
		case news.StatusFailing:
			failing++
		}
		if s.State.LastPoll.After(last) {
			last = s.State.LastPoll
		}
	}
	lastPoll := "never"
	if !last.IsZero() {
		lastPoll = last.Local().Format("15:04:05")
	}
	return fmt.Sprintf("sources %d ok, %d failing; %.0f stories; last poll %s", ok, failing, d.storyCount(), lastPoll)
}

// storyCount reports the stored stories for the metrics, -1 on error.
func (d *daemon) storyCount() float64 {
	counts, err := d.store.TopicCounts(context.Background())
	if err != nil {
		return -1
	}
	return float64(counts[news.AllTopic])
}

// explainText explains arg (a URL, GUID or headline) as text, with the
// live index.
func (d *daemon) explainText(ctx context.Context, arg string) (string, error) {
	return explainText(ctx, d.store, d.index, d.agg.Topics(), *d.mute.Load(), arg, d.e.now())
}

// setMute makes mute what the feeds leave out, from their next render.
func (d *daemon) setMute(mute topic.Mute) {
	d.mute.Store(&mute)
	if len(mute) == 0 {
		d.pub.SetMute(nil)
		return
	}
	d.pub.SetMute(func(it *news.Item) bool { return mute.Muted(it) != "" })
}

// leader returns how this replica learns whether it leads the replicas
// sharing the store (runs retention and pings the WebSub hub); nil for a
// store one process writes.
func leader(st store.Store) func(context.Context) bool {
	if l, ok := st.(store.Leader); ok {
		return l.Leading
	}
	return nil
}
