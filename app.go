package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"tributary/aggregator"
	"tributary/config"
	"tributary/dedupe"
	"tributary/news"
	"tributary/publish"
	"tributary/sqlite"
	"tributary/topic"
)

// app is every part built from the config and wired together; serve and
// fetch share it.
type app struct {
	cfgMu   sync.Mutex
	cfg     *config.Config // replaced by reload; read it with config()
	log     *slog.Logger
	db      *sqlite.DB
	pub     *publish.Publisher
	agg     *aggregator.Aggregator
	metrics *publish.Metrics
	sources []news.Source
	sched   *aggregator.Scheduler // set by serve; readiness reads it
	now     func() time.Time
}

// loadConfig loads the config, printing every problem to stderr.
func loadConfig(path string, stderr io.Writer) (*config.Config, error) {
	cfg, err := config.Load(path)
	if err != nil {
		var errs config.Errors
		if errors.As(err, &errs) {
			fmt.Fprintln(stderr, errs.Error())
			return nil, &reportedError{fmt.Sprintf("%s: %d problem(s); see above or run 'tributary check'", path, len(errs))}
		}
		return nil, err
	}
	return cfg, nil
}

// openStore loads the config and opens its store for reading, and
// nothing else: for the commands that only read or copy the store, and
// work beside a running daemon.
func openStore(ctx context.Context, configPath string, stderr io.Writer) (*config.Config, *sqlite.DB, error) {
	cfg, err := loadConfig(configPath, stderr)
	if err != nil {
		return nil, nil, err
	}
	db, err := sqlite.OpenExisting(ctx, cfg.StatePath(os.Getenv))
	if err != nil {
		return nil, nil, err
	}
	return cfg, db, nil
}

func newLogger(cfg config.Log, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.Level)) // validated by config
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openApp loads the config (printing every problem to stderr), then builds
// the logger, the store, the dedupe index (rebuilt from the store's
// window), the topics, the publisher (feeds rendered) and the aggregator.
// readOnly opens the store beside a running daemon and writes nothing.
func openApp(ctx context.Context, configPath string, stderr io.Writer, now func() time.Time, readOnly bool) (*app, error) {
	cfg, err := loadConfig(configPath, stderr)
	if err != nil {
		return nil, err
	}
	logger := newLogger(cfg.Log, stderr)
	a := &app{cfg: cfg, log: logger, sources: buildSources(cfg), now: now}
	topics, pubTopics, err := buildTopics(cfg)
	if err != nil {
		return nil, err
	}

	dir := cfg.StatePath(os.Getenv)
	open := sqlite.Open
	if readOnly {
		open = sqlite.OpenExisting
	}
	db, err := open(ctx, dir)
	if err != nil {
		return nil, err
	}
	a.db = db
	if !readOnly {
		if err := a.prepareStore(ctx, topics); err != nil {
			db.Close()
			return nil, err
		}
	}
	index, err := rebuildIndex(ctx, db, dedupeOptions(cfg.Dedupe), logger, now())
	if err != nil {
		db.Close()
		return nil, err
	}

	base := cfg.BaseURL
	if base == "" {
		base = (&url.URL{Scheme: "http", Host: cfg.Listen}).String()
	}
	popts := publish.Options{
		BaseURL: base, Title: cfg.Publish.Title, Description: cfg.Publish.Description,
		Limit: cfg.Publish.Limit, Topics: pubTopics, Version: version,
		MaxAge: cfg.Publish.MaxAge, Hub: cfg.Publish.WebSubHub,
	}
	if cfg.Publish.Debug {
		popts.Explain, popts.Debug = a.explainText, true
	}
	a.metrics = publish.NewMetrics(version, a.storyCount)
	popts.Metrics, popts.Ready, popts.HealthDetail = a.metrics, a.ready, a.healthDetail
	a.pub, err = publish.New(db, logger, popts)
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := a.pub.Refresh(ctx); err != nil {
		db.Close()
		return nil, err
	}
	ua := cfg.Fetch.UserAgent
	if ua == "" {
		ua = userAgent()
	}
	a.agg = aggregator.New(db, index, topics, a.pub, logger, aggregator.Options{
		UserAgent:   ua,
		MaxBody:     int64(cfg.Fetch.MaxBody),
		Concurrency: cfg.Fetch.Concurrency,
		PerHost:     cfg.Fetch.PerHost,
		MaxItems:    cfg.Fetch.MaxItems,
		Now:         now,
		Politeness: aggregator.Politeness{MinInterval: cfg.Fetch.MinInterval, MaxInterval: cfg.Fetch.MaxInterval,
			MaxBackoff: cfg.Fetch.MaxBackoff},
		OnPoll: func(r aggregator.Result) {
			a.metrics.ObservePoll(r.Source, string(r.Outcome), r.Status, r.Duration, r.New, r.Updated, r.Merged,
				r.Outcome != aggregator.OutcomeError)
		},
	})
	logger.Info("store open", "path", db.Path(), "sources", len(a.sources), "topics", len(topics))
	return a, nil
}

// buildTopics compiles the configured topics' rules.
func buildTopics(cfg *config.Config) (topic.Set, []news.Topic, error) {
	var topics topic.Set
	var pubTopics []news.Topic
	for _, t := range cfg.Topics {
		tp, err := topic.New(t.Name, t.Title, topic.Rules{Any: t.Any, All: t.All, None: t.None, Sources: t.Sources})
		if err != nil { // Validate already rejected bad rules
			return nil, nil, fmt.Errorf("topic %s: %w", t.Name, err)
		}
		topics = append(topics, tp)
		pubTopics = append(pubTopics, news.Topic{Name: tp.Name, Title: tp.Title})
	}
	return topics, pubTopics, nil
}

// buildSources resolves every configured source's URL and defaults.
func buildSources(cfg *config.Config) []news.Source {
	var out []news.Source
	for _, s := range cfg.Sources {
		out = append(out, news.Source{
			Name:         s.Name,
			URL:          cfg.SourceURL(s),
			Schedule:     cfg.SourceSchedule(s),
			Priority:     s.Priority,
			Timeout:      cfg.SourceTimeout(s),
			AllowPrivate: s.AllowPrivate || cfg.Defaults.AllowPrivate,
		})
	}
	return out
}

// prepareStore records the sources and, when the topic rules changed since
// the stored filings were made, refiles every item.
func (a *app) prepareStore(ctx context.Context, topics topic.Set) error {
	if err := a.db.SyncSources(ctx, a.sources); err != nil {
		return err
	}
	return a.refile(ctx, a.cfg.Topics, topics)
}

// refile files every stored item again when the rules differ from those
// its filings were made with.
func (a *app) refile(ctx context.Context, rules []config.Topic, topics topic.Set) error {
	data, err := json.Marshal(rules)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	start := time.Now()
	n, err := a.db.Refile(ctx, hex.EncodeToString(sum[:]), topics.Match)
	if err != nil {
		return err
	}
	if n > 0 {
		a.log.Info("topic rules changed: items refiled", "items", n, "duration", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

func dedupeOptions(c config.Dedupe) dedupe.Options {
	return dedupe.Options{Window: c.Window, Threshold: c.Threshold, StoryThreshold: c.StoryThreshold, Strip: c.Strip}
}

// rebuildIndex fills a dedupe index with the items of the store's window
// at now, oldest first, as they were first indexed.
func rebuildIndex(ctx context.Context, db *sqlite.DB, opts dedupe.Options, logger *slog.Logger, now time.Time) (*dedupe.Index, error) {
	start := time.Now()
	index, err := dedupe.NewIndex(opts)
	if err != nil {
		return nil, err
	}
	n := 0
	err = db.RecentItems(ctx, now.Add(-opts.Window), func(it *news.Item) {
		index.Add(it)
		n++
	})
	if err != nil {
		return nil, err
	}
	logger.Info("dedupe index rebuilt", "items", n, "duration", time.Since(start).Round(time.Millisecond))
	return index, nil
}

func (a *app) Close() error { return a.db.Close() }

func (a *app) config() *config.Config {
	a.cfgMu.Lock()
	defer a.cfgMu.Unlock()
	return a.cfg
}

func (a *app) setConfig(c *config.Config) {
	a.cfgMu.Lock()
	defer a.cfgMu.Unlock()
	a.cfg = c
}

// ready is nil when the store answers and takes polls, and the scheduler
// polls on time.
func (a *app) ready(ctx context.Context) error {
	if err := a.db.Ping(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := a.agg.StoreHealth(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if a.sched == nil {
		return errors.New("scheduler not started")
	}
	return a.sched.Healthy(a.now())
}

// alive is nil while the store answers and the scheduler runs: what the
// systemd watchdog vouches for.
func (a *app) alive(ctx context.Context) error {
	if err := a.db.Ping(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if a.sched == nil {
		return errors.New("scheduler not started")
	}
	if running, _ := a.sched.Running(); !running {
		return errors.New("scheduler not running")
	}
	return nil
}

// healthDetail lists the sources an operator should look at: retired by
// 410 Gone, moved permanently, failing.
func (a *app) healthDetail(ctx context.Context) string {
	srcs, err := a.db.Sources(ctx)
	if err != nil {
		return "store: " + err.Error() + "\n"
	}
	var b strings.Builder
	for _, s := range srcs {
		switch {
		case s.State.Retired != "" && s.State.Retired == s.URL:
			fmt.Fprintf(&b, "retired: %s (410 Gone from %s; change its URL to poll it again)\n", s.Name, s.URL)
		case s.State.MovedFrom == s.URL && s.State.MovedTo != "":
			fmt.Fprintf(&b, "moved: %s now polls %s; update the config\n", s.Name, s.State.MovedTo)
		}
		if s.State.LastError != "" && s.State.Retired != s.URL {
			fmt.Fprintf(&b, "failing: %s (%d in a row): %s\n", s.Name, s.State.Failures, s.State.LastError)
		}
	}
	return b.String()
}

// storyCount reports the stored stories for the metrics, -1 on error.
func (a *app) storyCount() float64 {
	counts, err := a.db.TopicCounts(context.Background())
	if err != nil {
		return -1
	}
	return float64(counts[news.AllTopic])
}

// explainText explains arg (a URL, GUID or headline) as text.
func (a *app) explainText(ctx context.Context, arg string) (string, error) {
	e, err := a.agg.Explain(ctx, a.db, arg)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	e.WriteText(&b)
	return b.String(), nil
}
