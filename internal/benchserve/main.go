// Command benchserve measures how fast the daemon serves a published feed
// against a bare net/http handler serving the same bytes with
// http.ServeContent, in one run, with wrk: /feeds/all.rss plain, gzipped,
// and answered 304 to If-None-Match. Run it with scripts/bench-serve
// (README, "Capacity").
//
// The daemon (tributary serve) reads -sources made-up feeds from files
// (feedgen: real feeds' item bodies), so all.rss holds its 50 entries.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"tributary/internal/feedgen"
)

type options struct {
	bin, wrk, corpus        string
	sources, conns, threads int
	duration                time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "", "the tributary binary (scripts/bench-serve builds it)")
	flag.StringVar(&o.wrk, "wrk", "wrk", "the wrk binary")
	flag.StringVar(&o.corpus, "corpus", feedgen.DefaultCorpus(), "directory of real feeds whose item bodies the entries carry")
	flag.IntVar(&o.sources, "sources", 20, "feeds the daemon reads")
	flag.IntVar(&o.conns, "c", 32, "wrk connections")
	flag.IntVar(&o.threads, "t", 1, "wrk threads")
	flag.DurationVar(&o.duration, "d", 10*time.Second, "wrk duration of each measurement")
	flag.Parse()
	if o.bin == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(o); err != nil {
		log.Fatalf("benchserve: %v", err)
	}
}

func run(o options) error {
	dir, err := os.MkdirTemp("", "tributary-bench-serve-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	pool, err := feedgen.LoadPool(o.corpus)
	if err != nil {
		return err
	}
	cfg, addr, err := writeSetup(dir, pool, o.sources)
	if err != nil {
		return err
	}
	cmd := exec.Command(o.bin, "serve", "-config", cfg)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	feed := "http://" + addr + "/feeds/all.rss"
	plain, zipped, hdr, err := waitFeed(feed)
	if err != nil {
		return err
	}
	bare, err := serveBare(plain, zipped, hdr)
	if err != nil {
		return err
	}
	fmt.Printf("all.rss: %d bytes, %d gzipped; wrk -t%d -c%d -d%s\n", len(plain), len(zipped), o.threads, o.conns, o.duration)
	fmt.Printf("%-8s %14s %14s %7s\n", "case", "daemon req/s", "bare req/s", "ratio")
	cases := []struct {
		name    string
		headers []string
	}{
		{"plain", nil},
		{"gzip", []string{"Accept-Encoding: gzip"}},
		{"304", []string{"If-None-Match: " + hdr.Get("ETag")}},
	}
	worst := 1e9
	for _, c := range cases {
		want := http.StatusOK
		if c.name == "304" {
			want = http.StatusNotModified
		}
		for _, u := range []string{feed, "http://" + bare + "/feeds/all.rss"} {
			if err := check(u, c.headers, want); err != nil {
				return err
			}
		}
		d, err := wrk(o, feed, c.headers)
		if err != nil {
			return err
		}
		b, err := wrk(o, "http://"+bare+"/feeds/all.rss", c.headers)
		if err != nil {
			return err
		}
		worst = min(worst, d/b)
		fmt.Printf("%-8s %14.0f %14.0f %7.2f\n", c.name, d, b, d/b)
	}
	fmt.Printf("worst ratio %.2f (target ≥ 0.80)\n", worst)
	return nil
}

// writeSetup writes n feed files and a config reading them, and returns
// the config's path and the daemon's address.
func writeSetup(dir string, pool feedgen.Pool, n int) (cfg, addr string, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", "", err
	}
	addr = ln.Addr().String()
	ln.Close()
	var b strings.Builder
	fmt.Fprintf(&b, "listen: %q\nstate_dir: %q\nlog: {level: warn}\ndefaults: {schedule: \"@every 24h\"}\npublish: {limit: 50}\nsources:\n", addr, filepath.Join(dir, "state"))
	now := time.Now()
	for i := range n {
		path := filepath.Join(dir, fmt.Sprintf("feed-%d.rss", i))
		if err := os.WriteFile(path, pool.Document(i, n, 0, 50, now), 0o644); err != nil {
			return "", "", err
		}
		fmt.Fprintf(&b, "  - {name: s%d, url: %q}\n", i, "file:"+path)
	}
	cfg = filepath.Join(dir, "config.yaml")
	return cfg, addr, os.WriteFile(cfg, []byte(b.String()), 0o644)
}

// waitFeed waits until the feed holds its 50 entries and returns it
// plain and gzipped, with the plain response's headers.
func waitFeed(url string) (plain, zipped []byte, hdr http.Header, err error) {
	deadline := time.Now().Add(time.Minute)
	var lastTag string
	var since time.Time
	for {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Accept-Encoding", "identity") // the plain bytes and their ETag, not the client's transparent gzip
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			plain, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			hdr = resp.Header
		}
		// Full, and unchanged for three seconds: every source polled, so
		// the bytes (and the ETag the 304 case sends) stay as they are.
		if err == nil && resp.StatusCode == http.StatusOK && bytes.Count(plain, []byte("<item>")) == 50 {
			if hdr.Get("ETag") == lastTag && time.Since(since) >= 3*time.Second {
				break
			}
			if hdr.Get("ETag") != lastTag {
				lastTag, since = hdr.Get("ETag"), time.Now()
			}
		}
		if time.Now().After(deadline) {
			return nil, nil, nil, fmt.Errorf("%s: no feed of 50 entries within a minute (%v)", url, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req) // the raw bytes: no transparent decoding
	if err != nil {
		return nil, nil, nil, err
	}
	defer resp.Body.Close()
	if zipped, err = io.ReadAll(resp.Body); err != nil {
		return nil, nil, nil, err
	}
	if zr, err := gzip.NewReader(bytes.NewReader(zipped)); err != nil || resp.Header.Get("Content-Encoding") != "gzip" {
		return nil, nil, nil, fmt.Errorf("%s: gzip asked for, not given", url)
	} else if unzipped, _ := io.ReadAll(zr); !bytes.Equal(unzipped, plain) {
		return nil, nil, nil, fmt.Errorf("%s: gzipped body differs", url)
	}
	return plain, zipped, hdr, nil
}

// serveBare serves the same bytes as the daemon with nothing but
// http.ServeContent, the yardstick, and returns its address.
func serveBare(plain, zipped []byte, hdr http.Header) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	etag := hdr.Get("ETag")
	modified, _ := http.ParseTime(hdr.Get("Last-Modified"))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", hdr.Get("Content-Type"))
		body, tag := plain, etag
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			body, tag = zipped, strings.TrimSuffix(etag, `"`)+`-gz"`
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.Header().Set("ETag", tag)
		http.ServeContent(w, r, "", modified, bytes.NewReader(body))
	})
	go (&http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}).Serve(ln)
	return ln.Addr().String(), nil
}

// check makes sure url answers the headers with status want, so each
// case measures what it says it does.
func check(url string, headers []string, want int) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept-Encoding", "identity") // as wrk asks, unless the case says otherwise
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		return fmt.Errorf("%s with %q: status %d (ETag %s), want %d", url, headers, resp.StatusCode, resp.Header.Get("ETag"), want)
	}
	return nil
}

// wrk runs wrk against url with the headers and returns requests per
// second.
func wrk(o options, url string, headers []string) (float64, error) {
	args := []string{"-t", strconv.Itoa(o.threads), "-c", strconv.Itoa(o.conns), "-d", o.duration.String()}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	out, err := exec.Command(o.wrk, append(args, url)...).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("wrk: %v: %s", err, out)
	}
	m := regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("wrk: no Requests/sec in %s", out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}
