// Package notify delivers the alerts the store's outbox holds: one per
// story and target (the store decides, in the poll's transaction), to a
// webhook (JSON, signed with HMAC-SHA256 when it has a secret) or an ntfy
// topic, retried with backoff until delivered, or gathered into one digest
// per window for a topic that batches.
package notify

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"
	"tributary/store"
)

// Target is where a topic's alerts go.
type Target struct {
	URL    string
	Ntfy   bool   // an ntfy topic URL; else a webhook
	Secret string // signs a webhook's body (X-Tributary-Signature: sha256=…)
}

// Options tune delivery.
type Options struct {
	Targets map[string]Target        // by URL, as alerts name them
	Batch   map[string]time.Duration // a topic's digest window; none: one alert per story
	Client  *http.Client             // default: a 10-second timeout
	Now     func() time.Time
	// Leader, when set, says whether this replica delivers now.
	Leader func(ctx context.Context) bool
	Every  time.Duration // how often the outbox is read; default 2s
	// Parallel bounds the targets sent to at once; default
	// DefaultParallel.
	Parallel int
	// PerMinute bounds the requests one target gets in a minute; default
	// DefaultPerMinute.
	PerMinute int
}

// DefaultPerMinute is how many requests a target gets in a minute at
// most: public ntfy servers refuse bursts. Past it, a topic's alerts
// due go together in one digest, and what the minute cannot take waits.
const DefaultPerMinute = 10

// DefaultParallel is how many targets are sent to at once by default.
const DefaultParallel = 8

// SignatureHeader carries a webhook body's HMAC-SHA256 with the target's
// secret, hex, after "sha256=".
const SignatureHeader = "X-Tributary-Signature"

// Deliverer sends the outbox's alerts.
type Deliverer struct {
	store store.Store
	log   *slog.Logger
	opts  Options

	mu      sync.Mutex // guards targets and batch, which a reload sets
	targets map[string]Target
	batch   map[string]time.Duration

	sentMu sync.Mutex
	sent   map[string][]time.Time // by target URL: its requests of the last minute
}

// Set replaces the targets and digest windows (a reload).
func (d *Deliverer) Set(targets map[string]Target, batch map[string]time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.targets, d.batch = targets, batch
}

// New returns a deliverer.
func New(st store.Store, logger *slog.Logger, opts Options) *Deliverer {
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Every <= 0 {
		opts.Every = 2 * time.Second
	}
	if opts.Parallel <= 0 {
		opts.Parallel = DefaultParallel
	}
	if opts.PerMinute <= 0 {
		opts.PerMinute = DefaultPerMinute
	}
	return &Deliverer{store: st, log: logger.With("component", "notify"), opts: opts, targets: opts.Targets, batch: opts.Batch,
		sent: map[string][]time.Time{}}
}

// Run delivers until ctx ends.
func (d *Deliverer) Run(ctx context.Context) {
	t := time.NewTicker(d.opts.Every)
	defer t.Stop()
	for {
		if err := d.Once(ctx); err != nil && ctx.Err() == nil {
			d.log.Warn("alerts not delivered this round", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// backoff is the wait after a failed attempt: 30 s, doubling, at most an
// hour.
func backoff(attempts int) time.Duration {
	return min(time.Hour, 30*time.Second<<min(attempts, 10))
}

// Once delivers what is due now: each target's alerts in order, the
// targets side by side (at most Parallel at once), so a slow target
// delays only its own.
func (d *Deliverer) Once(ctx context.Context) error {
	if d.opts.Leader != nil && !d.opts.Leader(ctx) {
		return nil
	}
	now := d.opts.Now()
	due, err := d.store.DueAlerts(ctx, now, 500)
	if err != nil {
		return err
	}
	d.mu.Lock()
	targets, batches := d.targets, d.batch
	d.mu.Unlock()
	// Per target, its topics' alerts in the order they came due.
	type group struct {
		topic  string
		alerts []store.Alert
	}
	perTarget := map[string][]*group{}
	var order []string
	for _, a := range due {
		groups := perTarget[a.Target]
		if groups == nil {
			order = append(order, a.Target)
		}
		var g *group
		for _, have := range groups {
			if have.topic == a.Topic {
				g = have
			}
		}
		if g == nil {
			g = &group{topic: a.Topic}
			perTarget[a.Target] = append(groups, g)
		}
		g.alerts = append(g.alerts, a)
	}
	var wg sync.WaitGroup
	slots := make(chan struct{}, d.opts.Parallel)
	for _, url := range order {
		target, ok := targets[url]
		if !ok { // the target left the config: nothing to send it to
			continue
		}
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			for _, g := range perTarget[url] {
				d.deliver(ctx, target, g.topic, g.alerts, batches[g.topic], now)
			}
		})
	}
	wg.Wait()
	return nil
}

// deliver sends one topic's due alerts to target: a digest once its
// window closed, else one request per alert — within the target's
// requests a minute (PerMinute): when the minute has fewer left than
// alerts, the last request left carries the rest as one digest; with
// none left, they wait for the next round.
func (d *Deliverer) deliver(ctx context.Context, target Target, topic string, alerts []store.Alert, batch time.Duration, now time.Time) {
	if batch > 0 && now.Sub(alerts[0].Created) < batch {
		return // the window is still open
	}
	for len(alerts) > 0 {
		left := d.left(target.URL, now)
		if left == 0 {
			return // due still: the next rounds send them
		}
		n := 1
		if batch > 0 || len(alerts) > left && left == 1 {
			n = len(alerts) // a digest
		}
		part := alerts[:n]
		alerts = alerts[n:]
		d.spend(target.URL, d.opts.Now()) // when it is sent: a slow round spends later
		if err := d.send(ctx, target, topic, part); err != nil {
			d.failed(ctx, part, err, now)
			continue
		}
		d.delivered(ctx, part, now)
	}
}

// left returns how many requests target may still get in the minute
// before now.
func (d *Deliverer) left(target string, now time.Time) int {
	d.sentMu.Lock()
	defer d.sentMu.Unlock()
	recent := d.sent[target][:0]
	for _, at := range d.sent[target] {
		if now.Sub(at) < time.Minute {
			recent = append(recent, at)
		}
	}
	d.sent[target] = recent
	return max(0, d.opts.PerMinute-len(recent))
}

// spend records a request to target at now.
func (d *Deliverer) spend(target string, now time.Time) {
	d.sentMu.Lock()
	d.sent[target] = append(d.sent[target], now)
	d.sentMu.Unlock()
}

func (d *Deliverer) delivered(ctx context.Context, alerts []store.Alert, now time.Time) {
	for _, a := range alerts {
		if err := d.store.AlertDelivered(ctx, a.ID, now); err != nil {
			d.log.Error("alert sent but not recorded: it may be sent again", "id", a.ID, slog.Any("err", err))
		}
	}
}

func (d *Deliverer) failed(ctx context.Context, alerts []store.Alert, err error, now time.Time) {
	for _, a := range alerts {
		next := now.Add(backoff(a.Attempts))
		d.log.Warn("alert not delivered; will retry", "topic", a.Topic, "story", a.Story, "target", Redact(a.Target),
			"attempt", a.Attempts+1, "retry_at", next, slog.Any("err", err))
		if err := d.store.AlertFailed(ctx, a.ID, err.Error(), next); err != nil {
			d.log.Error("alert failure not recorded", "id", a.ID, slog.Any("err", err))
		}
	}
}
