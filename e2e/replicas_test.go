package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tributary/internal/pgtest"
	"tributary/news"
	"tributary/postgres"
	"tributary/sqlite"
)

// upstreams serves n feeds on loopback and counts, per feed, the polls
// and the most it ever served at once. Feed i carries an item of its own
// (a headline no other shares a word with) and a copy (same link) of one
// of ten shared stories: the stories do not depend on arrival order, so
// the replicas' and one process's must be the same.
type upstreams struct {
	mu              sync.Mutex
	inFlight, worst map[string]int
	polls           map[string]int
	srv             *httptest.Server
}

func newUpstreams(t *testing.T) *upstreams {
	u := &upstreams{inFlight: map[string]int{}, worst: map[string]int{}, polls: map[string]int{}}
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		u.mu.Lock()
		u.inFlight[name]++
		u.polls[name]++
		u.worst[name] = max(u.worst[name], u.inFlight[name])
		u.mu.Unlock()
		defer func() {
			u.mu.Lock()
			u.inFlight[name]--
			u.mu.Unlock()
		}()
		time.Sleep(50 * time.Millisecond) // a poll takes a while: room for two at once, were they allowed
		var i int
		fmt.Sscanf(name, "feed%d", &i)
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>Outlet %[1]d</title><link>https://outlet%[1]d.example/</link><description>d</description>
<item><guid>own</guid><title>Zq%[1]da zq%[1]db zq%[1]dc zq%[1]dd</title><link>https://outlet%[1]d.example/own</link><pubDate>Fri, 27 Nov 2026 10:00:00 +0000</pubDate></item>
<item><guid>shared</guid><title>Shared zs%[2]da zs%[2]db zs%[2]dc</title><link>https://wire.example/story%[2]d</link><pubDate>Fri, 27 Nov 2026 09:00:00 +0000</pubDate></item>
</channel></rss>`, i, i%10)
	}))
	t.Cleanup(u.srv.Close)
	return u
}

// TestReplicas: three `tributary serve` on one PostgreSQL share 200
// sources: no upstream ever sees two polls at once, every source is
// polled each round, a replica killed with SIGKILL loses its sources to
// the others, the stories are those one SQLite process makes of the same
// feeds, and every replica serves the same ETag for every feed.
func TestReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("three daemons and a PostgreSQL for a minute")
	}
	dsn := pgtest.Database(t, "replicas")
	bin := binary(t)
	up := newUpstreams(t)
	const n = 200
	var sources strings.Builder
	for i := range n {
		fmt.Fprintf(&sources, "  - {name: s%d, url: \"%s/feed%d\"}\n", i, up.srv.URL, i)
	}
	config := func(addr, store string) string {
		dir := t.TempDir()
		path := filepath.Join(dir, "config.yaml")
		body := fmt.Sprintf(`listen: %q
base_url: "http://news.example"
metrics_listen: ""
state_dir: ./state
store: %q
log: {level: warn}
defaults: {schedule: "@every 5s", timeout: 2s, allow_private: true}
fetch: {min_interval: 5s, jitter: 1s, concurrency: 32, per_host: 32}
sources:
%s
topics:
  - {name: shared, any: [shared]}
`, addr, store, sources.String())
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	type replica struct {
		addr string
		cmd  *exec.Cmd
	}
	var replicas []*replica
	for range 3 {
		r := &replica{addr: freeAddr(t)}
		r.cmd = exec.Command(bin, "serve", "-config", config(r.addr, dsn))
		r.cmd.Stderr = os.Stderr
		if err := r.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.cmd.Process.Signal(syscall.SIGTERM); r.cmd.Wait() })
		replicas = append(replicas, r)
	}
	waitUp := func(r *replica) {
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if resp, err := http.Get("http://" + r.addr + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return
				}
			}
			if time.Now().After(deadline) {
				t.Fatal("a replica did not answer")
			}
		}
	}
	for _, r := range replicas {
		waitUp(r)
	}
	counts := func() map[string]int {
		up.mu.Lock()
		defer up.mu.Unlock()
		out := map[string]int{}
		for k, v := range up.polls {
			out[k] = v
		}
		return out
	}
	time.Sleep(12 * time.Second) // two rounds and more
	before := counts()
	for i := range n {
		if p := before[fmt.Sprint("feed", i)]; p < 2 {
			t.Errorf("feed%d polled %d times in 12 s on a 5 s schedule", i, p)
		}
	}
	// SIGKILL one replica in the middle of its polls: its leases expire
	// (3 × 2 s + 10 s) and the others poll its sources again.
	replicas[0].cmd.Process.Kill()
	killed := counts()
	time.Sleep(2 * 16 * time.Second)
	after := counts()
	for i := range n {
		name := fmt.Sprint("feed", i)
		if after[name] <= killed[name] {
			t.Errorf("%s not polled again within two lease periods of a replica's death", name)
		}
	}
	up.mu.Lock()
	for name, w := range up.worst {
		if w > 1 {
			t.Errorf("%s served %d polls at once", name, w)
		}
	}
	up.mu.Unlock()

	// The same ETag from every live replica, for every feed.
	for _, feed := range []string{"all.rss", "shared.atom", "all.json", "hot.rss"} {
		var tags []string
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(200 * time.Millisecond) {
			tags = tags[:0]
			for _, r := range replicas[1:] {
				resp, err := http.Get("http://" + r.addr + "/feeds/" + feed)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				tags = append(tags, resp.Header.Get("ETag"))
			}
			if tags[0] == tags[1] || time.Now().After(deadline) {
				break
			}
		}
		if tags[0] != tags[1] {
			t.Errorf("%s: replicas serve ETags %v", feed, tags)
		}
	}

	// The stories one SQLite process makes of the same feeds.
	lite := config(freeAddr(t), "sqlite")
	if out, err := exec.Command(bin, "fetch", "-config", lite).CombinedOutput(); err != nil {
		t.Fatalf("fetch into SQLite: %v\n%s", err, out)
	}
	ctx := context.Background()
	ls, err := sqlite.OpenExisting(ctx, filepath.Join(filepath.Dir(lite), "state"))
	if err != nil {
		t.Fatal(err)
	}
	defer ls.Close()
	pg, err := postgres.OpenExisting(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	membership := func(stories []news.Story) []string {
		var out []string
		for _, s := range stories {
			var members []string
			for _, it := range s.Items {
				members = append(members, it.Source+"/"+it.GUID)
			}
			sort.Strings(members)
			out = append(out, strings.Join(members, " "))
		}
		sort.Strings(out)
		return out
	}
	a, err := ls.Stories(ctx, news.AllTopic, 1000)
	if err != nil {
		t.Fatal(err)
	}
	b, err := pg.Stories(ctx, news.AllTopic, 1000)
	if err != nil {
		t.Fatal(err)
	}
	ma, mb := membership(a), membership(b)
	if len(ma) != len(mb) || strings.Join(ma, "\n") != strings.Join(mb, "\n") {
		t.Errorf("replicas made %d stories, one SQLite process %d", len(mb), len(ma))
	}
}
