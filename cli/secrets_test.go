package cli

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tributary/internal/fixture"
)

// TestSourceSecretsNeverShow: a source behind basic auth and a bearer
// header, its secrets from the environment and a file, is polled; no
// secret appears in the logs (debug level), status, the operators'
// health and readiness, the metrics, the published feeds or an error.
func TestSourceSecretsNeverShow(t *testing.T) {
	now := fixture.Now()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		switch {
		case r.URL.Path == "/basic" && user == "reader" && pass == "pw-from-env-51":
		case r.URL.Path == "/bearer" && r.Header.Get("Authorization") == "Bearer tok-from-file-77":
		case r.URL.Path == "/inline" && r.Header.Get("Authorization") == "Bearer tok-from-env-88":
		default:
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>p</title><link>https://p.example/</link><description>d</description>
			<item><guid>%[1]s</guid><title>Private story %[1]s</title><link>https://p.example%[1]s</link></item></channel></rss>`, r.URL.Path)
	}))
	defer up.Close()
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte("Bearer tok-from-file-77\n"), 0o600)
	extra := fmt.Sprintf(`  - name: basic
    url: %[1]s/basic
    basic_auth: {user: reader, password: "${PW}"}
  - name: bearer
    url: %[1]s/bearer
    headers: {Authorization: "file:%[2]s"}
  - name: inline
    url: %[1]s/inline
    headers: {Authorization: "Bearer ${TOK}"}
  - name: refused
    url: %[1]s/basic
    basic_auth: {user: reader, password: "wrong-secret-93"}
`, up.URL, tokenFile)
	cfg := writeConfig(t, dir, fixture.Upstream(t, now).URL, extra)
	t.Setenv("PW", "pw-from-env-51")
	t.Setenv("TOK", "tok-from-env-88")
	r := startDaemon(t, cfg, 7, now)
	defer r.stop(t)
	var seen bytes.Buffer
	for _, res := range r.results {
		if res.Err != nil {
			seen.WriteString(res.Err.Error() + "\n")
		}
		if (res.Source == "basic" || res.Source == "bearer" || res.Source == "inline") && res.New != 1 {
			t.Errorf("%s: %+v, want its item", res.Source, res)
		}
	}
	get := func(base, path string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		io.Copy(&seen, resp.Body)
	}
	for _, p := range []string{"/healthz", "/readyz", "/metrics"} {
		get(r.ops, p)
	}
	get(r.base, "/feeds/all.rss")
	// status reads no secret: it works in a shell without them.
	t.Setenv("PW", "")
	t.Setenv("TOK", "")
	var status bytes.Buffer
	if err := runCmd([]string{"status", "-config", cfg}, &status, &status, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	seen.Write(status.Bytes())
	seen.WriteString(r.logs.String())
	if !strings.Contains(seen.String(), "refused") || !strings.Contains(seen.String(), "Private story /basic") {
		t.Fatal("the test did not see what it looks through")
	}
	for _, secret := range []string{"pw-from-env-51", "tok-from-file-77", "tok-from-env-88", "wrong-secret-93"} {
		if strings.Contains(seen.String(), secret) {
			t.Errorf("the secret %q appears in the daemon's output", secret)
		}
	}
}
