// Package config is the schema of tributary's YAML file: its defaults, a
// strict decoder that rejects unknown keys, and Validate, which reports every
// problem at once, each naming the field path and the line it is on.
//
// The Config type stops at package cli: every other package takes its own
// options struct, filled in by cli from these fields.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tributary/dedupe"
	"tributary/fetch"
	"tributary/schedule"
)

// Config is the whole configuration file.
type Config struct {
	// Listen is the address the HTTP server binds, e.g. "127.0.0.1:8080".
	Listen string `yaml:"listen"`
	// BaseURL is the public URL of the server, used in self links and ids.
	// It defaults to "http://" + Listen.
	BaseURL string `yaml:"base_url"`
	// StateDir holds the SQLite database. $STATE_DIRECTORY (set by systemd)
	// is used when StateDir is not set; otherwise "./data".
	StateDir string `yaml:"state_dir"`
	// Store is "sqlite" (the default: a database in StateDir) or a
	// PostgreSQL URL, postgres://user@host:5432/db?sslmode=...; when
	// unset, $DATABASE_URL names a PostgreSQL store if set.
	Store string `yaml:"store"`
	// MetricsListen is the address of the Prometheus metrics listener,
	// kept apart from the public one. Default "127.0.0.1:9464"; empty
	// disables metrics.
	MetricsListen string `yaml:"metrics_listen"`
	// Log sets the log level and format.
	Log Log `yaml:"log"`
	// Defaults apply to every source that does not say otherwise.
	Defaults Defaults `yaml:"defaults"`
	// Fetch tunes the HTTP client shared by all sources.
	Fetch Fetch `yaml:"fetch"`
	// Dedupe tunes how copies of one story are recognised.
	Dedupe Dedupe `yaml:"dedupe"`
	// Publish tunes the published feeds.
	Publish Publish `yaml:"publish"`
	// Retention bounds what the store keeps.
	Retention Retention `yaml:"retention"`
	// Sources are the upstream feeds.
	Sources []Source `yaml:"sources"`
	// OPML lists subscription files (relative to the config file) whose
	// feeds are added as sources, named from their titles.
	OPML []string `yaml:"opml"`
	// Topics are the curated feeds, each a set of rules.
	Topics []Topic `yaml:"topics"`
	// SectionMap maps what outlets call their sections (category terms,
	// words of links' paths; any case) onto topics by example, or "none":
	// added to topic.DefaultSectionMap, overriding it.
	SectionMap map[string]string `yaml:"section_map"`
	// Hot tunes the hot feeds: /feeds/hot.rss and /feeds/{topic}.hot.rss.
	Hot Hot `yaml:"hot"`
	// Mute lists terms (as in topics, plus author:NAME and site:HOST) that
	// drop matching items from every topic, all included; they stay
	// stored.
	Mute []string `yaml:"mute"`
	// Include lists topic files (relative to the config file): each holds
	// a topics: list, appended to this file's (examples/sections.yaml).
	Include []string `yaml:"include"`

	file       string          // path the config was read from, for messages
	lines      map[string]int  // field path -> line, for messages
	unresolved map[string]bool // secret settings (paths) still holding ${NAME} or file:
}

// Log configures logging.
type Log struct {
	// Level is one of debug, info, warn, error. Default info.
	Level string `yaml:"level"`
	// Format is text or json. Default text.
	Format string `yaml:"format"`
}

// Defaults are per-source settings that a source may override.
type Defaults struct {
	// Schedule is a 5-field cron spec or a descriptor (@every 10m, @hourly).
	Schedule string `yaml:"schedule"`
	// Timeout bounds one whole fetch, from connecting to the last byte.
	Timeout time.Duration `yaml:"timeout"`
	// AllowPrivate lets every source reach loopback, private and other
	// internal addresses. Default false.
	AllowPrivate bool `yaml:"allow_private"`
}

// Fetch configures the HTTP client.
type Fetch struct {
	// UserAgent is sent with every request. Default
	// "tributary/<version> (+https://github.com/tributary-news/tributary)".
	UserAgent string `yaml:"user_agent"`
	// MaxBody caps a response body after decompression. Default 10MiB.
	MaxBody ByteSize `yaml:"max_body"`
	// Jitter is the longest random delay before a scheduled poll, so
	// sources sharing a schedule do not fire in one burst. Default 30s.
	Jitter time.Duration `yaml:"jitter"`
	// MinInterval is the shortest time between two polls of a source: no
	// schedule may fire more often, and an upstream's "come back later"
	// (Retry-After, Cache-Control max-age, Expires) is at least this.
	// MaxInterval caps how long an upstream may ask us to wait. Defaults
	// 5m, 24h.
	MinInterval time.Duration `yaml:"min_interval"`
	MaxInterval time.Duration `yaml:"max_interval"`
	// MaxBackoff caps the exponential backoff after failures. Default 24h.
	MaxBackoff time.Duration `yaml:"max_backoff"`
	// Concurrency and PerHost bound fetches at once, in all and per host.
	// Defaults 8 and 2.
	Concurrency int `yaml:"concurrency"`
	PerHost     int `yaml:"per_host"`
	// MaxItems is the most entries kept from one document. Default 500.
	MaxItems int `yaml:"max_items"`
}

// Dedupe configures how copies of one event are recognised.
type Dedupe struct {
	// Window is how far apart, by published time, two items may be and
	// still be compared.
	Window time.Duration `yaml:"window"`
	// Settle is how long an item's story may still be decided again with
	// the items that came after it (in one order, whatever order polls
	// came in). Default 30m.
	Settle time.Duration `yaml:"settle"`
	// Threshold is the probability in (0,1) the learned model must give an
	// item and a story's most alike members to join it. 0: the model's.
	Threshold float64 `yaml:"threshold"`
	// Merge is the probability in (0,1) an item must have with a second
	// story to merge the two. 0: the model's.
	Merge float64 `yaml:"merge"`
	// StoryThreshold is gone (the model decides); validation says so.
	StoryThreshold *float64 `yaml:"story_threshold"`
	// Strip lists extra headline boilerplate to remove before comparing,
	// as regular expressions: ["/ - My Paper$/"].
	Strip []string `yaml:"strip"`
}

// Publish configures the published feeds.
type Publish struct {
	// Title prefixes every feed title and heads the front page.
	Title string `yaml:"title"`
	// Description is the channel description of the catch-all feed.
	Description string `yaml:"description"`
	// Limit is the number of entries in each published feed.
	Limit int `yaml:"limit"`
	// Debug serves GET /explain?url=... for operators. Default false.
	Debug bool `yaml:"debug"`
	// MaxAge is the Cache-Control max-age of published responses.
	// Default 5m.
	MaxAge time.Duration `yaml:"max_age"`
	// WebSubHub, when set, is linked from every feed (rel="hub") and
	// pinged (hub.mode=publish) when a feed changes.
	WebSubHub string `yaml:"websub_hub"`
	// Icon is the picture readers show beside the feeds: an image file
	// (PNG, GIF, JPEG or ICO, relative to the config file), served at
	// /favicon.ico and /icon.png, or an http(s) URL of one elsewhere.
	// Default: an icon tributary draws.
	Icon string `yaml:"icon"`
	// Private makes every feed, the front page and the OPML list ask for a
	// token (Tokens).
	Private bool `yaml:"private"`
	// Tokens open private topics: ?token=… on the URL, or the password of
	// HTTP basic auth. Each may be written ${ENV_NAME} or file:/path.
	Tokens []string `yaml:"tokens"`
}

// Retention configures deleting old items.
type Retention struct {
	// Items is how long items are kept after their published time, unless
	// their story is still in a published feed. Default 30d.
	Items Days `yaml:"items"`
}

// Default returns a configuration holding every default value. Each
// default is defined once: here for the published feeds' shape (the
// publisher takes it from the config and has none of its own), and as a
// constant of the small package that owns the behaviour for the rest —
// fetch (the client's limits, entries per document), schedule (the
// politeness bounds), dedupe (the story window and thresholds) — whose
// constructors fall back to the same constant. config imports those, and
// never the daemon's heavy packages (aggregator, feed, publish): every
// command reads the config.
func Default() *Config {
	return &Config{
		Listen:        "127.0.0.1:8080",
		MetricsListen: "127.0.0.1:9464",
		Log:           Log{Level: "info", Format: "text"},
		Defaults:      Defaults{Schedule: "*/15 * * * *", Timeout: 20 * time.Second},
		Fetch: Fetch{MaxBody: fetch.DefaultMaxBody, Jitter: 30 * time.Second, MinInterval: schedule.DefaultMinInterval,
			MaxInterval: schedule.DefaultMaxInterval, MaxBackoff: schedule.DefaultMaxBackoff,
			Concurrency: fetch.DefaultConcurrency, PerHost: fetch.DefaultPerHost, MaxItems: fetch.DefaultMaxItems},
		Dedupe: Dedupe{Window: dedupe.DefaultWindow, Settle: dedupe.DefaultSettle},
		Hot:    Hot{Window: 24 * time.Hour, MinSources: 2},
		Publish: Publish{Title: "tributary", Description: "News from many sources, deduplicated",
			Limit: 50, MaxAge: 5 * time.Minute},
		Retention: Retention{Items: Days(30 * 24 * time.Hour)},
	}
}

// Load reads, decodes and validates the file at path, without reading
// its secrets: a secret setting written ${NAME} or file: keeps that
// reference, and its shape is not checked. The error, if any, is an
// Errors value listing every problem found.
func Load(path string) (*Config, error) { return load(path, nil) }

// LoadResolved is Load that first replaces every secret setting's ${NAME}
// and file: references by their values (getenv reads the environment),
// so the values are what is validated — a proxy URL from ${PROXY_URL},
// say. A secret that cannot be read is an Error marked Secret.
func LoadResolved(path string, getenv func(string) string) (*Config, error) {
	return load(path, getenv)
}

func load(path string, getenv func(string) string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	c, err := Parse(f, path)
	if c == nil {
		return nil, err
	}
	var errs Errors
	if err != nil {
		errs = append(errs, err.(Errors)...)
	}
	errs = append(errs, c.importOPML()...)
	errs = append(errs, c.includeTopics()...)
	errs = append(errs, c.resolveSecrets(getenv)...)
	if err := c.Validate(); err != nil {
		errs = append(errs, err.(Errors)...)
	}
	if len(errs) > 0 {
		errs.sort()
		return c, errs
	}
	return c, nil
}

// File returns the path the configuration was read from.
func (c *Config) File() string { return c.file }

// Dir returns the directory that relative paths in the file are relative to.
func (c *Config) Dir() string {
	if c.file == "" {
		return "."
	}
	return filepath.Dir(c.file)
}

// StatePath returns the state directory: state_dir relative to the config
// file, else $STATE_DIRECTORY (the first, when systemd lists several), else
// ./data beside the config file.
func (c *Config) StatePath(getenv func(string) string) string {
	dir := c.StateDir
	if dir == "" {
		if env := getenv("STATE_DIRECTORY"); env != "" {
			dir, _, _ = strings.Cut(env, ":")
			return dir
		}
		dir = "data"
	}
	if filepath.IsAbs(dir) {
		return dir
	}
	return filepath.Join(c.Dir(), dir)
}

// MaxIconSize caps publish.icon's file.
const MaxIconSize = 1 << 20

// IconFile returns the path of publish.icon's file, "" when the icon is
// a URL or not set.
func (c *Config) IconFile() string {
	icon := c.Publish.Icon
	if icon == "" || strings.HasPrefix(icon, "http://") || strings.HasPrefix(icon, "https://") {
		return ""
	}
	if filepath.IsAbs(icon) {
		return icon
	}
	return filepath.Join(c.Dir(), icon)
}

// StoreLocation returns which store to open — "sqlite" with its state
// directory, or "postgres" with its URL — from store:, else
// $DATABASE_URL, else the state directory.
func (c *Config) StoreLocation(getenv func(string) string) (kind, where string) {
	switch {
	case isPostgresURL(c.Store):
		return "postgres", c.Store
	case c.Store == "" && getenv("DATABASE_URL") != "":
		return "postgres", getenv("DATABASE_URL")
	}
	return "sqlite", c.StatePath(getenv)
}

// isPostgresURL reports whether s is a PostgreSQL connection URL.
func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}
