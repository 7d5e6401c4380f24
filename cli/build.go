package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"time"

	"tributary/aggregator"
	"tributary/config"
	"tributary/dedupe"
	"tributary/fetch"
	"tributary/metrics"
	"tributary/news"
	"tributary/postgres"
	"tributary/publish"
	"tributary/schedule"
	"tributary/sqlite"
	"tributary/store"
	"tributary/text"
	"tributary/topic"
)

// loadConfig loads the config at path, printing every problem to stderr.
// With secrets (serve and fetch, which send them) the secret settings'
// ${NAME} and file: references are read first, and an unreadable one is
// a problem; the other commands need none of them.
func loadConfig(e *env, path string, secrets bool) (*config.Config, error) {
	load := config.Load
	if secrets {
		load = func(path string) (*config.Config, error) { return config.LoadResolved(path, e.getenv) }
	}
	cfg, err := load(path)
	if err != nil {
		var errs config.Errors
		if errors.As(err, &errs) {
			fmt.Fprintln(e.stderr, errs.Error())
			return nil, &reportedError{fmt.Sprintf("%s: %d problem(s); see above or run 'tributary check'", path, len(errs))}
		}
		return nil, err
	}
	return cfg, nil
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

// openStore opens the config's store: to write it (serve and fetch: the
// store is created if need be, its lock taken, its schema brought up to
// date), or to read it beside a running daemon.
func openStore(ctx context.Context, e *env, cfg *config.Config, write bool) (store.Store, error) {
	kind, where := cfg.StoreLocation(e.getenv)
	if kind == "postgres" {
		if write {
			return postgres.Open(ctx, where)
		}
		return postgres.OpenExisting(ctx, where)
	}
	if write {
		return sqlite.Open(ctx, where)
	}
	return sqlite.OpenExisting(ctx, where)
}

// buildTopics compiles the configured topics' rules. Topics by example
// learn from what the outlets labelled (topic.Outlets: sources'
// sections, the section map): empty until learnSections reads the store.
func buildTopics(cfg *config.Config) (topic.Set, []news.Topic, error) {
	var topics topic.Set
	var pubTopics []news.Topic
	var lex *topic.Lexicon // for topics by example, made once
	for _, t := range cfg.Topics {
		if len(t.Like) > 0 && lex == nil {
			bg, err := text.BuiltinBackground()
			if err != nil {
				return nil, nil, err
			}
			if lex, err = topic.NewLexicon(bg); err != nil {
				return nil, nil, err
			}
		}
		tp, err := topic.New(t.Name, t.Title, t.Rules(), lex)
		if err != nil { // Validate already rejected bad rules
			return nil, nil, fmt.Errorf("topic %s: %w", t.Name, err)
		}
		topics = append(topics, tp)
		pubTopics = append(pubTopics, news.Topic{Name: tp.Name, Title: tp.Title,
			Limit: t.Limit, MaxAge: t.MaxAge, PerSource: t.PerSource, MinSources: t.MinSources, Private: t.Private})
	}
	if sections := topics.Sections(); len(sections) > 0 {
		bySource := map[string]string{}
		for _, s := range cfg.Sources {
			if s.Section != "" {
				bySource[s.Name] = s.Section
			}
		}
		terms := topic.DefaultSectionMap()
		for term, section := range cfg.SectionMap {
			terms[strings.ToLower(strings.TrimSpace(term))] = section
		}
		topics.LearnFrom(topic.NewOutlets(lex, sections, bySource, terms, topic.LearnWindow))
	}
	return topics, pubTopics, nil
}

// learnSections teaches the topics by example what the outlets labelled
// among the stored items of the last topic.LearnWindow (topic.Outlets),
// as the daemon learned them while polling.
func learnSections(ctx context.Context, st store.Store, topics topic.Set, now time.Time, logger *slog.Logger) error {
	o := topics.Outlets()
	if o == nil {
		return nil
	}
	start := time.Now()
	err := st.RecentItems(ctx, now.Add(-topic.LearnWindow), dedupe.TextChars, func(it *news.Item) {
		o.Learn(it, o.Label(it))
	})
	if err != nil {
		return fmt.Errorf("learning sections: %w", err)
	}
	if logger != nil {
		logger.Info("sections learned from the outlets' labels", "learned", o.Learned(), "duration", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// buildSources resolves every configured source's URL and defaults.
func buildSources(cfg *config.Config) []news.Source {
	var out []news.Source
	for _, s := range cfg.Sources {
		out = append(out, news.Source{
			Name:             s.Name,
			URL:              cfg.SourceURL(s),
			Schedule:         cfg.SourceSchedule(s),
			Priority:         s.Priority,
			Timeout:          cfg.SourceTimeout(s),
			AllowPrivate:     s.AllowPrivate || cfg.Defaults.AllowPrivate,
			Credentials:      credentials(s),
			Proxy:            s.Proxy,
			FullText:         s.FullText || s.FullTextSelector != "",
			FullTextSelector: s.FullTextSelector,
			Title:            s.Title,
		})
	}
	return out
}

func dedupeOptions(c config.Dedupe) dedupe.Options {
	return dedupe.Options{Window: c.Window, Settle: c.Settle, Threshold: c.Threshold, Merge: c.Merge, Strip: c.Strip}
}

// rebuildIndex fills a dedupe index from the store's window and logs it.
func rebuildIndex(ctx context.Context, e *env, st store.Store, cfg *config.Config, logger *slog.Logger) (*dedupe.Index, error) {
	start := time.Now()
	index, n, err := aggregator.RebuildIndex(ctx, st, dedupeOptions(cfg.Dedupe), e.now())
	if err != nil {
		return nil, err
	}
	logger.Info("dedupe index rebuilt", "items", n, "duration", time.Since(start).Round(time.Millisecond))
	return index, nil
}

// applySources records the configured sources in the store and refiles
// every item when the topic rules changed since the store's filings.
func applySources(ctx context.Context, st store.Store, cfg *config.Config, topics topic.Set, logger *slog.Logger) error {
	if err := st.SyncSources(ctx, buildSources(cfg)); err != nil {
		return err
	}
	start := time.Now()
	n, err := aggregator.Refile(ctx, st, cfg.RulesFingerprint(), topics)
	if err != nil {
		return err
	}
	if n > 0 {
		logger.Info("topic rules changed: items refiled", "items", n, "duration", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// newAggregator builds the fetcher and the aggregator polling through it.
func newAggregator(e *env, cfg *config.Config, st store.Store, index *dedupe.Index, topics topic.Set,
	listener aggregator.Listener, logger *slog.Logger, m *metrics.Metrics, onPoll func(aggregator.Result)) *aggregator.Aggregator {
	ua := cfg.Fetch.UserAgent
	if ua == "" {
		ua = userAgent()
	}
	fetcher := fetch.New(fetch.Options{UserAgent: ua, MaxBody: int64(cfg.Fetch.MaxBody), Concurrency: cfg.Fetch.Concurrency,
		PerHost: cfg.Fetch.PerHost, Now: e.now})
	return aggregator.New(st, fetcher, index, topics, listener, logger, aggregator.Options{
		MaxItems: cfg.Fetch.MaxItems,
		Politeness: schedule.Politeness{MinInterval: cfg.Fetch.MinInterval, MaxInterval: cfg.Fetch.MaxInterval,
			MaxBackoff: cfg.Fetch.MaxBackoff},
		Now:     e.now,
		OnPoll:  onPoll,
		Metrics: m,
		Holder:  replicaName(cfg, e),
	})
}

// replicaName names this process among the replicas sharing a PostgreSQL
// store, which claims each poll under it; "" for SQLite, which one
// process writes.
func replicaName(cfg *config.Config, e *env) string {
	if kind, _ := cfg.StoreLocation(e.getenv); kind != "postgres" {
		return ""
	}
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%d:%x", host, os.Getpid(), rand.Uint32())
}

// icon is publish.icon for the publisher: a URL elsewhere, the file's
// bytes, or the zero value for the icon tributary draws.
func icon(cfg *config.Config) (publish.Icon, error) {
	if cfg.Publish.Icon == "" {
		return publish.Icon{}, nil
	}
	if cfg.IconFile() == "" {
		return publish.Icon{URL: cfg.Publish.Icon}, nil
	}
	data, err := cfg.ReadIcon()
	if err != nil {
		return publish.Icon{}, fmt.Errorf("publish.icon: %w", err)
	}
	return publish.Icon{Data: data, Type: http.DetectContentType(data)}, nil
}

// credentials are a source's configured credentials (secrets resolved by
// loadConfig).
func credentials(s config.Source) news.Credentials {
	c := news.Credentials{Headers: s.Headers, Cookie: s.Cookie}
	if s.BasicAuth != nil {
		c.User, c.Password = s.BasicAuth.User, s.BasicAuth.Password
	}
	return c
}
