// Package notify delivers the alerts the store's outbox holds: one per
// story and target (the store decides, in the poll's transaction), to a
// webhook (JSON, signed with HMAC-SHA256 when it has a secret) or an ntfy
// topic, retried with backoff until delivered, or gathered into one digest
// per window for a topic that batches.
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"tributary/news"
)

// Store is what delivering reads and records.
type Store interface {
	DueAlerts(ctx context.Context, now time.Time, limit int) ([]news.Alert, error)
	AlertDelivered(ctx context.Context, id int64, at time.Time) error
	AlertFailed(ctx context.Context, id int64, msg string, next time.Time) error
	StoryItems(ctx context.Context, key string) ([]news.Item, error)
}

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
}

// SignatureHeader carries a webhook body's HMAC-SHA256 with the target's
// secret, hex, after "sha256=".
const SignatureHeader = "X-Tributary-Signature"

// Deliverer sends the outbox's alerts.
type Deliverer struct {
	store Store
	log   *slog.Logger
	opts  Options

	mu      sync.Mutex // guards targets and batch, which a reload sets
	targets map[string]Target
	batch   map[string]time.Duration
}

// Set replaces the targets and digest windows (a reload).
func (d *Deliverer) Set(targets map[string]Target, batch map[string]time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.targets, d.batch = targets, batch
}

// New returns a deliverer.
func New(store Store, logger *slog.Logger, opts Options) *Deliverer {
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Every <= 0 {
		opts.Every = 2 * time.Second
	}
	return &Deliverer{store: store, log: logger.With("component", "notify"), opts: opts, targets: opts.Targets, batch: opts.Batch}
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

// Once delivers what is due now.
func (d *Deliverer) Once(ctx context.Context) error {
	if d.opts.Leader != nil && !d.opts.Leader(ctx) {
		return nil
	}
	now := d.opts.Now()
	due, err := d.store.DueAlerts(ctx, now, 500)
	if err != nil {
		return err
	}
	type key struct{ topic, target string }
	groups := map[key][]news.Alert{}
	var order []key
	for _, a := range due {
		k := key{a.Topic, a.Target}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], a)
	}
	d.mu.Lock()
	targets, batches := d.targets, d.batch
	d.mu.Unlock()
	for _, k := range order {
		alerts := groups[k]
		target, ok := targets[k.target]
		if !ok { // the target left the config: nothing to send it to
			continue
		}
		batch := batches[k.topic]
		if batch > 0 {
			if now.Sub(alerts[0].Created) < batch {
				continue // the window is still open
			}
			err = d.send(ctx, target, k.topic, alerts)
		} else {
			for _, a := range alerts {
				if err := d.send(ctx, target, k.topic, []news.Alert{a}); err != nil {
					d.failed(ctx, []news.Alert{a}, err, now)
					continue
				}
				d.delivered(ctx, []news.Alert{a}, now)
			}
			continue
		}
		if err != nil {
			d.failed(ctx, alerts, err, now)
			continue
		}
		d.delivered(ctx, alerts, now)
	}
	return nil
}

func (d *Deliverer) delivered(ctx context.Context, alerts []news.Alert, now time.Time) {
	for _, a := range alerts {
		if err := d.store.AlertDelivered(ctx, a.ID, now); err != nil {
			d.log.Error("alert sent but not recorded: it may be sent again", "id", a.ID, slog.Any("err", err))
		}
	}
}

func (d *Deliverer) failed(ctx context.Context, alerts []news.Alert, err error, now time.Time) {
	for _, a := range alerts {
		next := now.Add(backoff(a.Attempts))
		d.log.Warn("alert not delivered; will retry", "topic", a.Topic, "story", a.Story, "target", a.Target,
			"attempt", a.Attempts+1, "retry_at", next, slog.Any("err", err))
		if err := d.store.AlertFailed(ctx, a.ID, err.Error(), next); err != nil {
			d.log.Error("alert failure not recorded", "id", a.ID, slog.Any("err", err))
		}
	}
}

// Outlet is one outlet's copy of a story, in a webhook's body.
type Outlet struct {
	Source string `json:"source"`
	Title  string `json:"title"`
	Link   string `json:"link"`
}

// Story is one announced story, in a webhook's body.
type Story struct {
	Story   string   `json:"story"`
	Kind    string   `json:"kind"` // new, or update when another outlet joined
	Title   string   `json:"title"`
	Link    string   `json:"link"`
	Outlets []Outlet `json:"outlets"`
}

// Payload is a webhook's JSON body: one story, or a digest of several
// (Stories) for a topic that batches.
type Payload struct {
	Topic   string  `json:"topic"`
	Story           // one alert
	Stories []Story `json:"stories,omitempty"` // a digest
}

// story reads an alert's story as its alert shows it.
func (d *Deliverer) story(ctx context.Context, a news.Alert) (Story, error) {
	items, err := d.store.StoryItems(ctx, a.Story)
	if err != nil {
		return Story{}, err
	}
	s := Story{Story: a.Story, Kind: a.Kind}
	seen := map[string]bool{}
	for _, it := range items {
		if s.Title == "" {
			s.Title, s.Link = it.Title, news.SafeURL(it.Link)
		}
		if !seen[it.Source] {
			seen[it.Source] = true
			s.Outlets = append(s.Outlets, Outlet{Source: it.Source, Title: it.Title, Link: news.SafeURL(it.Link)})
		}
	}
	return s, nil
}

// send delivers alerts of one topic to target: one, or a digest.
func (d *Deliverer) send(ctx context.Context, target Target, topic string, alerts []news.Alert) error {
	var stories []Story
	for _, a := range alerts {
		s, err := d.story(ctx, a)
		if err != nil {
			return err
		}
		stories = append(stories, s)
	}
	if target.Ntfy {
		var body bytes.Buffer
		for i, s := range stories {
			if i > 0 {
				body.WriteByte('\n')
			}
			outlets := "1 outlet"
			if len(s.Outlets) != 1 {
				outlets = fmt.Sprintf("%d outlets", len(s.Outlets))
			}
			fmt.Fprintf(&body, "%s (%s)", s.Title, outlets)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.URL, &body)
		if err != nil {
			return err
		}
		req.Header.Set("Title", "tributary: "+topic)
		if len(stories) == 1 && stories[0].Link != "" {
			req.Header.Set("Click", stories[0].Link)
		}
		return d.do(req)
	}
	p := Payload{Topic: topic}
	if len(stories) == 1 {
		p.Story = stories[0]
	} else {
		p.Stories = stories
	}
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if target.Secret != "" {
		mac := hmac.New(sha256.New, []byte(target.Secret))
		mac.Write(body)
		req.Header.Set(SignatureHeader, "sha256="+hex.EncodeToString(mac.Sum(nil)))
	}
	return d.do(req)
}

func (d *Deliverer) do(req *http.Request) error {
	resp, err := d.opts.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%s answered %s", req.URL.Redacted(), resp.Status)
	}
	return nil
}
