package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The URLs in these tests (*.example, real feed hosts) are only parsed:
// the config package never dials or resolves an address (it uses net for
// SplitHostPort and ParseIP alone), so no test here sends traffic.

const good = `listen: "127.0.0.1:8080"
base_url: "http://127.0.0.1:8080"
state_dir: "./data"
defaults:
  schedule: "*/15 * * * *"
  timeout: 20s
dedupe:
  window: 48h
publish:
  title: "tributary"
  limit: 50
sources:
  - name: bbc-world
    url: https://feeds.bbci.co.uk/news/world/rss.xml
    schedule: "@every 10m"
    priority: 10
topics:
  - name: ukraine
    title: "Ukraine war"
    any: [ukraine, kyiv, "zelensk*", "\"peace talks\"", "/\\bputin\\b/"]
    all: []
    none: [football]
    sources: []
`

func TestParseGood(t *testing.T) {
	c, err := Parse(strings.NewReader(good), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if got, want := c.Dedupe.Window, 48*time.Hour; got != want {
		t.Errorf("window = %v, want %v", got, want)
	}
	if got, want := c.Topics[0].Any[4], `/\bputin\b/`; got != want {
		t.Errorf("any[4] = %q, want %q", got, want)
	}
	if got, want := c.SourceSchedule(c.Sources[0]), "@every 10m"; got != want {
		t.Errorf("schedule = %q, want %q", got, want)
	}
	if got, want := c.SourceTimeout(c.Sources[0]), 20*time.Second; got != want {
		t.Errorf("timeout = %v, want %v", got, want)
	}
	if got, want := c.Fetch.MaxBody, ByteSize(10<<20); got != want {
		t.Errorf("max_body default = %d, want %d", got, want)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{
			name: "unknown keys at every depth",
			yaml: "listen: ':8080'\nlisen: y\nsources:\n  - name: a\n    url: http://a.example/\n    shedule: '@hourly'\n",
			want: []string{
				`lisen: unknown key (did you mean "listen"?) (config.yaml:2)`,
				`sources[0].shedule: unknown key (did you mean "schedule"?) (config.yaml:6)`,
			},
		},
		{
			name: "bad url, duplicate name, bad cron",
			yaml: "sources:\n  - name: a\n    url: ftp://a.example/\n  - name: a\n    url: http://b.example/\n  - name: c\n    url: http://c.example/\n    schedule: '*/x * * * *'\n",
			want: []string{
				`sources[0].url: bad URL "ftp://a.example/": must be absolute http(s) or file (config.yaml:3)`,
				`sources[1].name: duplicate name "a" (first at index 0) (config.yaml:4)`,
				`sources[2].schedule: bad cron "*/x * * * *": failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax (config.yaml:8)`,
			},
		},
		{
			name: "bad regexp, empty rules, unknown topic source",
			yaml: "sources:\n  - name: a\n    url: http://a.example/\ntopics:\n  - name: t\n    any: ['/(unclosed/']\n  - name: u\n    none: [x]\n  - name: v\n    sources: [nope]\n",
			want: []string{
				`topics[0].any[0]: bad regexp /(unclosed/: missing closing ): (unclosed (config.yaml:6)`,
				`topics[1]: empty rules: set any, all, like or sources (config.yaml:7)`,
				`topics[2].sources[0]: no source named "nope" (config.yaml:10)`,
			},
		},
		{
			name: "wrong types",
			yaml: "defaults:\n  timeout: soon\npublish:\n  limit: many\nfetch:\n  max_body: lots\nsources:\n  - name: a\n    url: http://a.example/\n",
			want: []string{
				"defaults.timeout: cannot unmarshal !!str `soon` into time.Duration (config.yaml:2)",
				"publish.limit: cannot unmarshal !!str `many` into int (config.yaml:4)",
				`fetch.max_body: bad size "lots": want a number of bytes such as 10MiB (config.yaml:6)`,
			},
		},
		{
			name: "reserved and bad names",
			yaml: "sources:\n  - name: Bad_Name\n    url: http://a.example/\ntopics:\n  - name: all\n    any: [x]\n",
			want: []string{
				`sources[0].name: bad name "Bad_Name": use lower-case letters, digits and '-' (config.yaml:2)`,
				`topics[0].name: "all" is reserved for the catch-all and hot feeds (config.yaml:5)`,
			},
		},
		{
			name: "flow style: each wrong value at its own key",
			yaml: "sources: [{name: a, url: 'http://a.example/', priority: high, timeout: 5s}, {name: b, url: 'http://b.example/', allow_private: maybe}]\n" +
				"topics: [{name: t, any: ukraine, title: T}]\n",
			want: []string{
				"sources[0].priority: cannot unmarshal !!str `high` into int (config.yaml:1)",
				"sources[1].allow_private: cannot unmarshal !!str `maybe` into bool (config.yaml:1)",
				"topics[0].any: cannot unmarshal !!str `ukraine` into []string (config.yaml:2)",
				"topics[0]: empty rules: set any, all, like or sources (config.yaml:2)",
			},
		},
		{
			name: "listen addresses",
			yaml: "listen: '0.0.0.0:99999'\nsources:\n  - name: a\n    url: http://a.example/\n",
			want: []string{`listen: bad port in "0.0.0.0:99999": want a number from 0 to 65535 (config.yaml:1)`},
		},
		{
			name: "metrics on the public port",
			yaml: "listen: '0.0.0.0:8080'\nmetrics_listen: '127.0.0.1:8080'\nsources:\n  - name: a\n    url: http://a.example/\n",
			want: []string{`metrics_listen: 127.0.0.1:8080 shares a port with listen (0.0.0.0:8080): metrics are never served on the public listener (config.yaml:2)`},
		},
		{
			name: "schedules faster than fetch.min_interval",
			yaml: "defaults:\n  schedule: '@every 100ms'\nsources:\n  - name: a\n    url: http://a.example/\n    schedule: '* * * * *'\n  - name: b\n    url: http://b.example/\n    schedule: '0,2 * * * *'\n  - name: c\n    url: http://c.example/\n    schedule: '@every 5m'\n",
			want: []string{
				`defaults.schedule: "@every 100ms" polls every 1s, more often than fetch.min_interval (5m0s) allows; poll less often or lower fetch.min_interval (config.yaml:2)`,
				`sources[0].schedule: "* * * * *" polls every 1m0s, more often than fetch.min_interval (5m0s) allows; poll less often or lower fetch.min_interval (config.yaml:6)`,
				`sources[1].schedule: "0,2 * * * *" polls every 2m0s, more often than fetch.min_interval (5m0s) allows; poll less often or lower fetch.min_interval (config.yaml:9)`,
			},
		},
		{
			// Once these spun for ever in the validator (cron's Next gives
			// the zero time), hanging check, serve and a reload.
			name: "schedules that never fire",
			yaml: "defaults:\n  schedule: '0 0 31 4 *'\nsources:\n  - name: a\n    url: http://a.example/\n    schedule: \"0 0 30 2 *\"\n",
			want: []string{
				`defaults.schedule: "0 0 31 4 *" never fires (config.yaml:2)`,
				`sources[0].schedule: "0 0 30 2 *" never fires (config.yaml:6)`,
			},
		},
		{
			name: "sections that name no topic by example",
			yaml: "sources:\n  - name: a\n    url: http://a.example/\n    section: sport\nsection_map:\n  Sport: sports\n  Opinion: none\n  Football: ukraine\n" +
				"topics:\n  - name: sports\n    like: [\"cup final\"]\n    min_confidence: 1.5\n  - name: ukraine\n    any: [kyiv]\n",
			want: []string{
				`sources[0].section: "sport" is no topic with like: examples (config.yaml:4)`,
				`section_map.Football: "ukraine" is no topic with like: examples, nor "none" (config.yaml:6)`,
				`topics[0].min_confidence: must be between 0 and 1 (config.yaml:12)`,
			},
		},
		{
			// The parser blames the list's first line (2); the fault is on 5.
			name: "syntax error at its own line",
			yaml: "listen: x\nsources:\n  - name: a\n    url: http://a.example/\n   bad: indent\n",
			want: []string{`did not find expected '-' indicator (config.yaml:5)`},
		},
		{
			name: "an unclosed flow list on the last line",
			yaml: "listen: x\nsources:\n  - name: a\n    url: http://a.example/\n    headers: [a, b\n",
			want: []string{`did not find expected ',' or ']' (config.yaml:5)`},
		},
		{
			// Once ten type errors with no path, and the unknown key unseen.
			name: "an anchor's problems once, whatever its uses",
			yaml: "x: &s {url: \"http://a.example/\", priority: high, colour: red}\nsources:\n" + func() string {
				var b strings.Builder
				for i := range 10 {
					fmt.Fprintf(&b, "  - {<<: *s, name: a%d}\n", i)
				}
				return b.String()
			}(),
			want: []string{
				`x: unknown key (config.yaml:1)`,
				"sources[0].priority: cannot unmarshal !!str `high` into int (config.yaml:1)",
				`sources[0].colour: unknown key (config.yaml:1)`,
			},
		},
		{
			name: "fetch intervals, each under its own key",
			yaml: "fetch:\n  min_interval: 0s\nsources:\n  - {name: a, url: \"http://a.example/\"}\n",
			want: []string{`fetch.min_interval: must be positive, got 0s (config.yaml:2)`},
		},
		{
			name: "max_interval under min_interval",
			yaml: "fetch:\n  min_interval: 10m\n  max_interval: 5m\nsources:\n  - {name: a, url: \"http://a.example/\", schedule: '@hourly'}\n",
			want: []string{`fetch.max_interval: must be at least fetch.min_interval (10m0s), got 5m0s (config.yaml:3)`},
		},
		{
			name: "no sources",
			yaml: "listen: ':8080'\n",
			want: []string{`sources: no sources: add at least one feed (or an opml file)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(strings.NewReader(tt.yaml), "config.yaml")
			var errs Errors
			if err != nil {
				errs = append(errs, err.(Errors)...)
			}
			if c != nil { // nil: not YAML at all, nothing to validate
				if err := c.Validate(); err != nil {
					errs = append(errs, err.(Errors)...)
				}
			}
			errs.sort()
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	_, err := Parse(strings.NewReader(strings.Repeat("#", MaxSize+1)), "huge.yaml")
	if err == nil || !strings.Contains(err.Error(), "larger than 16 MiB") {
		t.Errorf("a 16 MiB config: err = %v", err)
	}
	c := Default()
	for i := range MaxSources + 1 {
		c.Sources = append(c.Sources, Source{Name: fmt.Sprint("s", i), URL: fmt.Sprint("https://s.example/", i)})
	}
	err = c.Validate()
	if err == nil || !strings.Contains(err.Error(), "sources: 100001 sources: at most 100000") {
		t.Errorf("too many sources: err = %v", err)
	}
}

func TestNotYAML(t *testing.T) {
	_, err := Parse(strings.NewReader("sources: [\n"), "config.yaml")
	if err == nil || !strings.Contains(err.Error(), "config.yaml") {
		t.Fatalf("err = %v, want a message naming the file", err)
	}
}

func TestStatePath(t *testing.T) {
	env := func(v string) func(string) string { return func(string) string { return v } }
	tests := []struct {
		name, stateDir, env, want string
	}{
		{"default beside config", "", "", "/etc/t/data"},
		{"systemd wins when unset", "", "/var/lib/tributary:/var/lib/other", "/var/lib/tributary"},
		{"explicit relative", "state", "/var/lib/tributary", "/etc/t/state"},
		{"explicit absolute", "/srv/t", "", "/srv/t"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			c.file, c.StateDir = "/etc/t/config.yaml", tt.stateDir
			if got := c.StatePath(env(tt.env)); got != tt.want {
				t.Errorf("StatePath = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSourceURL(t *testing.T) {
	c := Default()
	c.file = "/etc/t/config.yaml"
	tests := map[string]string{
		"https://a.example/rss": "https://a.example/rss",
		"file:feeds/a.xml":      "file:///etc/t/feeds/a.xml",
		"file://feeds/a.xml":    "file:///etc/t/feeds/a.xml",
		"file:///srv/a.xml":     "file:///srv/a.xml",
	}
	for in, want := range tests {
		if got := c.SourceURL(Source{URL: in}); got != want {
			t.Errorf("SourceURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseByteSize(t *testing.T) {
	tests := map[string]ByteSize{"2048": 2048, "10MiB": 10 << 20, "512KB": 512 << 10, "1 GB": 1 << 30}
	for in, want := range tests {
		got, err := ParseByteSize(in)
		if err != nil || got != want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := ParseByteSize("-1"); err == nil {
		t.Error("ParseByteSize(-1) succeeded")
	}
}

func TestSchedules(t *testing.T) {
	tests := []struct {
		spec string
		ok   bool
	}{
		{"*/15 * * * *", true},
		{"0 6,18 * * 1-5", true},
		{"@every 10m", true},
		{"@hourly", true},
		{"@daily", true},
		{"TZ=Europe/London 0 7 * * *", true},
		{"*/x * * * *", false},
		{"* * * *", false},     // four fields
		{"0 * * * * *", false}, // seconds are not accepted
		{"@every ten minutes", false},
		{"@fortnightly", false},
		{"61 * * * *", false},
	}
	for _, tt := range tests {
		c := Default()
		c.Sources = []Source{{Name: "a", URL: "https://a.example/", Schedule: tt.spec}}
		err := c.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("schedule %q: err = %v, want ok = %v", tt.spec, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), `sources[0].schedule: bad cron "`+tt.spec+`"`) {
			t.Errorf("schedule %q: error %q does not name the field and value", tt.spec, err)
		}
	}
}

func TestRetentionDays(t *testing.T) {
	c, err := Parse(strings.NewReader("retention:\n  items: 7d\nsources:\n  - name: a\n    url: http://a.example/\n"), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := time.Duration(c.Retention.Items); got != 7*24*time.Hour {
		t.Errorf("retention.items = %v, want 168h", got)
	}
	_, err = Parse(strings.NewReader("retention:\n  items: a week\n"), "config.yaml")
	if err == nil || !strings.Contains(err.Error(), `retention.items: bad duration "a week"`) {
		t.Errorf("bad retention: %v", err)
	}
}

func TestOPMLImport(t *testing.T) {
	dir := t.TempDir()
	data, _ := os.ReadFile("testdata/subscriptions.opml")
	os.WriteFile(filepath.Join(dir, "subs.opml"), data, 0o600)
	path := filepath.Join(dir, "config.yaml")
	os.WriteFile(path, []byte("opml: [subs.opml]\nsources:\n  - name: the-guardian\n    url: https://example.com/g\n"), 0o600)
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range c.Sources {
		got = append(got, s.Name+" "+s.URL)
	}
	want := []string{
		"the-guardian https://example.com/g",
		"bbc-news-world https://feeds.bbci.co.uk/news/world/rss.xml",
		"the-guardian-2 https://www.theguardian.com/world/rss",
		"bbc-news-world-2 https://feeds.bbci.co.uk/news/rss.xml",
		"le-monde-international https://www.lemonde.fr/international/rss_full.xml",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}

	os.WriteFile(path, []byte("opml: [missing.opml, config.yaml]\n"), 0o600)
	_, err = Load(path)
	for _, want := range []string{"opml[0]: open", "opml[1]: config.yaml: not OPML"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("bad opml: %v, want %q", err, want)
		}
	}
}

func TestRestartKeys(t *testing.T) {
	old, err := Parse(strings.NewReader(good), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := Parse(strings.NewReader(good), "config.yaml")
	if keys := c.RestartKeys(old); len(keys) != 0 {
		t.Errorf("no change: %v", keys)
	}
	c.Publish.Limit, c.Dedupe.Strip = 5, []string{"/x/"}
	c.Sources = append(c.Sources, Source{Name: "new"}) // applies at a reload
	c.Topics = nil
	if keys := strings.Join(c.RestartKeys(old), ","); keys != "dedupe,publish" {
		t.Errorf("restart keys = %s, want dedupe,publish", keys)
	}
	if c.RulesFingerprint() == old.RulesFingerprint() {
		t.Error("the rules changed, their fingerprint did not")
	}
	same, _ := Parse(strings.NewReader(good), "config.yaml")
	if same.RulesFingerprint() != old.RulesFingerprint() {
		t.Error("the same rules, two fingerprints")
	}
}

func TestIconValidation(t *testing.T) {
	dir := t.TempDir()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	os.WriteFile(filepath.Join(dir, "icon.png"), png, 0o600)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a picture"), 0o600)
	os.WriteFile(filepath.Join(dir, "huge.png"), append(png, make([]byte, MaxIconSize)...), 0o600)
	for icon, want := range map[string]string{
		"icon.png":                     "",
		"https://cdn.example/icon.png": "",
		"notes.txt":                    "publish.icon: notes.txt is not an image",
		"missing.png":                  "no such file",
		"huge.png":                     "is larger than 1024 KiB",
		filepath.Join(dir, "icon.png"): "",
	} {
		path := filepath.Join(dir, "config.yaml")
		os.WriteFile(path, []byte("publish: {icon: '"+icon+"'}\nsources:\n  - name: a\n    url: http://a.example/\n"), 0o600)
		_, err := Load(path)
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("icon %q: err = %v, want %q", icon, err, want)
		}
	}
}
