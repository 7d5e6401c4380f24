package config

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"tributary/schedule"
	"tributary/text"
	"tributary/topic"
)

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Limits on a config: far above any real one, low enough that a wrong
// file (a database dump, a generated list gone wild) is refused in a
// moment rather than taking gigabytes.
const (
	MaxSize    = 16 << 20 // bytes of YAML
	MaxSources = 100_000  // sources, those OPML files add included
)

// Validate checks the decoded configuration and returns every problem as an
// Errors value, or nil.
func (c *Config) Validate() error {
	v := validator{c: c}
	v.address("listen", c.Listen)
	if c.MetricsListen != "" && v.address("metrics_listen", c.MetricsListen) && overlap(c.Listen, c.MetricsListen) {
		v.add("metrics_listen", fmt.Sprintf("%s shares a port with listen (%s): metrics are never served on the public listener", c.MetricsListen, c.Listen))
	}
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.add("base_url", fmt.Sprintf("must be an absolute http(s) URL, got %q", c.BaseURL))
		}
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		v.add("log.level", fmt.Sprintf("must be debug, info, warn or error, got %q", c.Log.Level))
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		v.add("log.format", fmt.Sprintf("must be text or json, got %q", c.Log.Format))
	}
	v.schedule("defaults.schedule", c.Defaults.Schedule)
	if c.Defaults.Timeout <= 0 {
		v.add("defaults.timeout", "must be positive")
	}
	if c.Fetch.MaxBody <= 0 {
		v.add("fetch.max_body", "must be positive")
	}
	if c.Fetch.Jitter < 0 {
		v.add("fetch.jitter", "must not be negative")
	}
	switch {
	case c.Fetch.MinInterval <= 0:
		v.add("fetch.min_interval", fmt.Sprintf("must be positive, got %s", c.Fetch.MinInterval))
	case c.Fetch.MaxInterval < c.Fetch.MinInterval:
		v.add("fetch.max_interval", fmt.Sprintf("must be at least fetch.min_interval (%s), got %s",
			c.Fetch.MinInterval, c.Fetch.MaxInterval))
	}
	for _, f := range []struct {
		path string
		n    int
	}{{"fetch.concurrency", c.Fetch.Concurrency}, {"fetch.per_host", c.Fetch.PerHost}, {"fetch.max_items", c.Fetch.MaxItems}} {
		if f.n <= 0 {
			v.add(f.path, "must be positive")
		}
	}
	if c.Fetch.MaxBackoff <= 0 {
		v.add("fetch.max_backoff", "must be positive")
	}
	if c.Dedupe.Window <= 0 {
		v.add("dedupe.window", "must be positive")
	}
	if c.Dedupe.Settle <= 0 {
		v.add("dedupe.settle", "must be positive")
	}
	for _, t := range []struct {
		path string
		v    float64
	}{{"dedupe.threshold", c.Dedupe.Threshold}, {"dedupe.merge", c.Dedupe.Merge}} {
		if t.v < 0 || t.v >= 1 {
			v.add(t.path, fmt.Sprintf("must be a probability in (0,1), or 0 for the model's; got %v", t.v))
		}
	}
	if c.Dedupe.StoryThreshold != nil {
		v.add("dedupe.story_threshold", "removed: a learned model now decides a story; remove the key, or set dedupe.threshold (join) and dedupe.merge (probabilities)")
	}
	for i, p := range c.Dedupe.Strip {
		if _, err := text.CompileAffix(p); err != nil {
			v.add(fmt.Sprintf("dedupe.strip[%d]", i), fmt.Sprintf("bad pattern %s: %v", p, err))
		}
	}
	if time.Duration(c.Retention.Items) < c.Dedupe.Window {
		v.add("retention.items", fmt.Sprintf("must be at least dedupe.window (%s)", c.Dedupe.Window))
	}
	if c.Publish.MaxAge < 0 {
		v.add("publish.max_age", "must not be negative")
	}
	if c.Publish.WebSubHub != "" {
		if u, err := url.Parse(c.Publish.WebSubHub); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.add("publish.websub_hub", fmt.Sprintf("must be an absolute http(s) URL, got %q", c.Publish.WebSubHub))
		}
	}
	if c.Publish.Limit <= 0 {
		v.add("publish.limit", "must be positive")
	}
	v.icon()
	if len(c.Sources) == 0 {
		v.add("sources", "no sources: add at least one feed (or an opml file)")
	}
	if len(c.Sources) > MaxSources {
		v.add("sources", fmt.Sprintf("%d sources: at most %d (run several tributaries, or PostgreSQL replicas)", len(c.Sources), MaxSources))
	}

	names := v.sources()

	if c.Store != "" && c.Store != "sqlite" && !isPostgresURL(c.Store) {
		v.add("store", `want "sqlite" or a PostgreSQL URL, postgres://user@host:5432/db`)
	}
	private := c.Publish.Private
	for _, t := range c.Topics {
		private = private || t.Private
	}
	if private && len(c.Publish.Tokens) == 0 {
		v.add("publish.tokens", "private feeds need at least one token")
	}
	for i, tok := range c.Publish.Tokens {
		if strings.TrimSpace(tok) == "" {
			v.add(fmt.Sprintf("publish.tokens[%d]", i), "empty token")
		}
	}
	if c.Hot.Window <= 0 {
		v.add("hot.window", "must be positive")
	}
	if c.Hot.MinSources < 1 {
		v.add("hot.min_sources", "must be at least 1")
	}
	for i, s := range c.Mute {
		if _, err := topic.ParseTerm(s); err != nil {
			v.add(fmt.Sprintf("mute[%d]", i), strings.TrimPrefix(err.Error(), "topic: "))
		}
	}
	v.topics(names)
	if len(v.errs) == 0 {
		return nil
	}
	v.errs.sort()
	return v.errs
}

type validator struct {
	c    *Config
	errs Errors
}

// add records a problem at path, with the line of the nearest known field.
func (v *validator) add(path, msg string) {
	v.errs = append(v.errs, &Error{Path: path, File: v.c.file, Line: v.c.line(path), Msg: msg})
}

// line returns the line of the field at path, or of its nearest parent
// whose line is known; 0 when none is.
func (c *Config) line(path string) int {
	for p := path; p != ""; {
		if l, ok := c.lines[p]; ok {
			return l
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 0
}

func (v *validator) slug(path, name string, index int, seen map[string]int) {
	switch {
	case name == "":
		v.add(path, "must not be empty")
	case !slugRE.MatchString(name):
		v.add(path, fmt.Sprintf("bad name %q: use lower-case letters, digits and '-'", name))
	default:
		if prev, dup := seen[name]; dup {
			v.add(path, fmt.Sprintf("duplicate name %q (first at index %d)", name, prev))
			return
		}
		seen[name] = index
	}
}

// schedule checks a cron spec: well formed, and naming a time that exists
// ("0 0 30 2 *" never fires); then that it polls no more often than
// fetch.min_interval allows.
func (v *validator) schedule(path, spec string) {
	sched, err := schedule.Parse(spec)
	if err != nil {
		v.add(path, err.Error())
		return
	}
	if gap, min := schedule.MinGap(sched), v.c.Fetch.MinInterval; gap < min {
		v.add(path, fmt.Sprintf("%q polls every %s, more often than fetch.min_interval (%s) allows; poll less often or lower fetch.min_interval",
			spec, gap, min))
	}
}

// icon checks publish.icon: an http(s) URL, or an image file of at most
// MaxIconSize.
func (v *validator) icon() {
	icon := v.c.Publish.Icon
	if icon == "" {
		return
	}
	if path := v.c.IconFile(); path != "" {
		data, err := readCapped(path, MaxIconSize)
		switch {
		case err != nil:
			v.add("publish.icon", err.Error())
		case !strings.HasPrefix(http.DetectContentType(data), "image/"):
			v.add("publish.icon", fmt.Sprintf("%s is not an image (PNG, GIF, JPEG or ICO)", icon))
		}
		return
	}
	if u, err := url.Parse(icon); err != nil || u.Host == "" {
		v.add("publish.icon", fmt.Sprintf("must be an image file or an absolute http(s) URL, got %q", icon))
	}
}

// readCapped reads a file of at most max bytes.
func readCapped(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s is larger than %d KiB", path, max>>10)
	}
	return data, nil
}

// ReadIcon returns publish.icon's file, checked as Validate does.
func (c *Config) ReadIcon() ([]byte, error) { return readCapped(c.IconFile(), MaxIconSize) }

// address checks a listen address: host:port, the port a number from 0
// (any free port) to 65535. It reports whether the address is good.
func (v *validator) address(path, addr string) bool {
	if addr == "" {
		v.add(path, "must not be empty")
		return false
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		v.add(path, fmt.Sprintf("bad address %q: want host:port, such as 127.0.0.1:8080", addr))
		return false
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		v.add(path, fmt.Sprintf("bad port in %q: want a number from 0 to 65535", addr))
		return false
	}
	return true
}

// overlap reports whether two good listen addresses would take one
// socket: the same fixed port on the same host, or on every interface.
func overlap(a, b string) bool {
	ha, pa, _ := net.SplitHostPort(a)
	hb, pb, _ := net.SplitHostPort(b)
	if pa != pb || pa == "0" {
		return false
	}
	norm := func(h string) string {
		if h == "localhost" {
			return "127.0.0.1"
		}
		if ip := net.ParseIP(h); ip != nil {
			if ip.IsUnspecified() {
				return ""
			}
			return ip.String()
		}
		return strings.ToLower(h)
	}
	ha, hb = norm(ha), norm(hb)
	return ha == hb || ha == "" || hb == ""
}

func (v *validator) sourceURL(path, raw string) {
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		v.add(path, "must not be empty")
	case err != nil:
		v.add(path, fmt.Sprintf("bad URL %q: %v", raw, unwrapURL(err)))
	case u.Scheme == "http" || u.Scheme == "https":
		if u.Host == "" {
			v.add(path, fmt.Sprintf("bad URL %q: no host", raw))
		}
	case u.Scheme == "file":
		if u.Opaque == "" && u.Path == "" {
			v.add(path, fmt.Sprintf("bad URL %q: no path", raw))
		}
	default:
		v.add(path, fmt.Sprintf("bad URL %q: must be absolute http(s) or file", raw))
	}
}

func unwrapURL(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
