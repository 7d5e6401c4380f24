package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestIncludeAndNewTopicKeys: include: adds a topic file's topics; an
// included file with sources is refused; like, min_score, exclusive,
// output controls and mute are checked; LoadTopics reads a topics file
// that has no sources.
func TestIncludeAndNewTopicKeys(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("sections.yaml", "topics:\n  - name: business\n    like: [\"shares fall\"]\n    exclusive: section\n")
	write("bad.yaml", "sources:\n  - {name: x, url: \"http://x.example/\"}\n")
	c, err := Load(write("ok.yaml", "sources:\n  - {name: a, url: \"http://a.example/\"}\ninclude: [sections.yaml]\nmute: [\"site:spam.example\"]\ntopics:\n  - {name: mine, any: [x], limit: 10, max_age: 72h, per_source: 2, min_sources: 2}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Topics) != 2 || c.Topics[1].Name != "business" || c.Topics[1].Exclusive != "section" || c.Topics[0].MaxAge.Hours() != 72 {
		t.Errorf("topics = %+v", c.Topics)
	}
	_, err = Load(write("bad-include.yaml", "sources:\n  - {name: a, url: \"http://a.example/\"}\ninclude: [bad.yaml, missing.yaml]\n"))
	if err == nil || !strings.Contains(err.Error(), "bad.yaml: an included file holds topics: only") || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("bad includes: %v", err)
	}
	_, err = Load(write("bad-keys.yaml", "sources:\n  - {name: a, url: \"http://a.example/\"}\nmute: [\"site:\"]\ntopics:\n  - {name: t, like: [\"x\"], min_score: 2, limit: -1}\n"))
	for _, want := range []string{"mute[0]: bad site", "topics[0].min_score: must be between 0 and 1", "topics[0].limit: must not be negative"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("bad keys: %v, want %q", err, want)
		}
	}
	topics, err := LoadTopics(filepath.Join(dir, "sections.yaml"))
	if err != nil || len(topics) != 1 {
		t.Errorf("LoadTopics = %v, %v", topics, err)
	}
}

// TestSecret: ${ENV} and file: name a secret; errors name the variable or
// file, never a value; private feeds need a token.
func TestSecret(t *testing.T) {
	env := func(k string) string { return map[string]string{"TOKEN": "from-env"}[k] }
	path := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(path, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"${TOKEN}":                 "from-env",
		"file:" + path:             "from-file",
		"plain":                    "plain",
		"Bearer ${TOKEN}":          "Bearer from-env", // the README's own example, once sent as written
		"a${TOKEN}b${TOKEN}":       "afrom-envbfrom-env",
		"pa$$word":                 "pa$word",
		"$${TOKEN}":                "${TOKEN}",
		"cost $5":                  "cost $5",
		"ends with $":              "ends with $",
		"http://u:${TOKEN}@p:3128": "http://u:from-env@p:3128",
	} {
		if got, err := Secret(in, env); err != nil || got != want {
			t.Errorf("Secret(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"${MISSING}":        "environment variable MISSING is not set",
		"Bearer ${MISSING}": "environment variable MISSING is not set",
		"${TOKEN":           "unterminated ${",
		"${}":               "empty ${}",
	} {
		if _, err := Secret(in, env); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Secret(%q): %v, want %q", in, err, want)
		}
	}
	_, err := Load(writeTo(t, "sources:\n  - {name: a, url: \"http://a.example/\"}\ntopics:\n  - {name: t, any: [x], private: true}\n"))
	if err == nil || !strings.Contains(err.Error(), "publish.tokens: private feeds need at least one token") {
		t.Errorf("private without tokens: %v", err)
	}
}

func writeTo(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSourceCredentialKeys: headers, basic_auth, cookie and proxy are
// checked, and secrets resolve, an unset variable named in its setting.
func TestSourceCredentialKeys(t *testing.T) {
	_, err := Load(writeTo(t, `sources:
  - {name: a, url: "http://a.example/", proxy: "ftp://p.example", headers: {"Bad Name": x}, basic_auth: {password: p}}
`))
	for _, want := range []string{"sources[0].proxy: want an http://", `sources[0].headers: bad header name "Bad Name"`, "sources[0].basic_auth.user: required"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v, want %q", err, want)
		}
	}
	c, err := LoadResolved(writeTo(t, `sources:
  - {name: a, url: "http://a.example/", proxy: "socks5://127.0.0.1:1080", headers: {X-Key: "${KEY}"}, cookie: "${NOPE}"}
`), func(k string) string { return map[string]string{"KEY": "v"}[k] })
	if err == nil || !strings.Contains(err.Error(), "sources[0].cookie: environment variable NOPE is not set") {
		t.Errorf("unset variable: %v", err)
	}
	if c.Sources[0].Headers["X-Key"] != "v" {
		t.Errorf("header = %q", c.Sources[0].Headers["X-Key"])
	}
}

// TestSecretsValidatedResolved: a proxy or a webhook kept in the
// environment is validated as the value it resolves to, not refused for
// its ${NAME}; without reading secrets (status, explain...) the reference
// is left alone and not judged.
func TestSecretsValidatedResolved(t *testing.T) {
	path := writeTo(t, `sources:
  - {name: a, url: "http://a.example/", proxy: "${PROXY_URL}", basic_auth: {user: "${USER_NAME}", password: "${PW}"}}
topics:
  - {name: t, any: [x], notify: [{webhook: "${HOOK_URL}"}, {ntfy: "https://ntfy.example/${NTFY_TOPIC}"}]}
`)
	env := map[string]string{"PROXY_URL": "socks5://u:p@127.0.0.1:1080", "USER_NAME": "me", "PW": "pw",
		"HOOK_URL": "https://hooks.example/abc", "NTFY_TOPIC": "t0pic"}
	c, err := LoadResolved(path, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Sources[0].Proxy != env["PROXY_URL"] || c.Topics[0].Notify[0].Webhook != env["HOOK_URL"] ||
		c.Topics[0].Notify[1].Ntfy != "https://ntfy.example/t0pic" || c.Sources[0].BasicAuth.User != "me" {
		t.Errorf("not resolved: %+v %+v", c.Sources[0], c.Topics[0].Notify)
	}
	if _, err := Load(path); err != nil {
		t.Errorf("without secrets: %v", err)
	}
	env["PROXY_URL"], env["HOOK_URL"] = "ftp://p.example", "not a url"
	_, err = LoadResolved(path, func(k string) string { return env[k] })
	for _, want := range []string{"sources[0].proxy: want an http://", "topics[0].notify[0]: want an http(s) URL"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v, want %q", err, want)
		}
	}
	for _, secret := range []string{"ftp://p.example", "not a url"} {
		if err != nil && strings.Contains(err.Error(), secret) {
			t.Errorf("an error shows the secret value %q: %v", secret, err)
		}
	}
	delete(env, "PW")
	_, err = LoadResolved(path, func(k string) string { return env[k] })
	var errs Errors
	if !errors.As(err, &errs) || !slices.ContainsFunc(errs, func(e *Error) bool { return e.Path == "sources[0].basic_auth.password" && e.Secret }) {
		t.Errorf("unset PW: %v, want an Error marked Secret", err)
	}
}

// TestNotifyKeys: a notify target is a webhook or an ntfy URL, one of
// them; its secret resolves like the others.
func TestNotifyKeys(t *testing.T) {
	_, err := Load(writeTo(t, `sources:
  - {name: a, url: "http://a.example/"}
topics:
  - {name: t, any: [x], batch: -1m, notify: [{webhook: "https://h.example/x", ntfy: "https://ntfy.sh/y"}, {webhook: "ftp://h.example"}, {}]}
`))
	for _, want := range []string{"topics[0].notify[0]: want one of webhook or ntfy", "topics[0].notify[1]: want an http(s) URL",
		"topics[0].notify[2]: want one of webhook or ntfy", "topics[0].batch: must not be negative"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v, want %q", err, want)
		}
	}
	c, err := LoadResolved(writeTo(t, `sources:
  - {name: a, url: "http://a.example/"}
topics:
  - {name: t, any: [x], notify: [{webhook: "https://h.example/x", secret: "${HOOK}"}]}
`), func(string) string { return "sig" })
	if err != nil || c.Topics[0].Notify[0].Secret != "sig" {
		t.Errorf("secret: %v, %q", err, c.Topics[0].Notify[0].Secret)
	}
}
