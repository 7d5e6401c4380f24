package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "modernc.org/sqlite"
)

// writeConfig writes the daemon's config: the n sources on a one-minute
// schedule, a few topics, JSON logs (the fleet reads every poll from
// them), the store in o.dir.
func writeConfig(o options, upstream string) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a free port for the daemon's listener
	if err != nil {
		return "", err
	}
	listen := ln.Addr().String()
	ln.Close()
	var b strings.Builder
	fmt.Fprintf(&b, "listen: %q\nstate_dir: %q\nlog: {level: info, format: json}\n", listen, filepath.Join(o.dir, "state"))
	b.WriteString("defaults: {schedule: \"* * * * *\", timeout: 30s, allow_private: true}\n")
	b.WriteString("fetch:\n  min_interval: 1m\n  jitter: 5s\n")
	if o.concurrency > 0 {
		fmt.Fprintf(&b, "  concurrency: %d\n  per_host: %d\n", o.concurrency, o.concurrency)
	} else {
		b.WriteString("  per_host: 8 # the default concurrency: every source is this one host\n")
	}
	b.WriteString(`topics:
  - {name: common, title: Common words, any: [w0x, w1x]}
  - {name: rare, title: Rare words, any: ["w2999*"]}
  - {name: numbers, title: Numbers, any: ["/\\bw1[0-9]x\\b/"]}
  - {name: everything-but, title: Not the commonest, any: [w3x, w4x, w5x], none: [w0x]}
sources:
`)
	for i := range o.n {
		fmt.Fprintf(&b, "  - {name: s%d, url: \"http://%s/feed/%d.xml\"}\n", i, upstream, i)
	}
	path := filepath.Join(o.dir, "config.yaml")
	return path, os.WriteFile(path, []byte(b.String()), 0o644)
}

// fetchOnce polls every source once with `tributary fetch`.
func fetchOnce(ctx context.Context, bin, cfg string) error {
	cmd := exec.CommandContext(ctx, bin, "fetch", "-config", cfg)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("tributary fetch: %w", err)
	}
	return nil
}

// countItems counts the stored items, reading the store beside the
// daemon (SQLite in WAL mode lets a reader in).
func countItems(dir string) (int, error) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "state", "tributary.db")+"?mode=ro")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM items`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count items: %w", err)
	}
	return n, nil
}

// daemon is a running `tributary serve` and the polls its log reports.
type daemon struct {
	cmd  *exec.Cmd
	done chan struct{} // the log reader has finished

	mu    sync.Mutex
	polls []poll
	skips int
	cond  *sync.Cond
}

type poll struct {
	at       time.Time
	outcome  string
	itemsNew int
	duration time.Duration
}

func startDaemon(ctx context.Context, bin, cfg string) (*daemon, error) {
	d := &daemon{cmd: exec.Command(bin, "serve", "-config", cfg), done: make(chan struct{})}
	d.cond = sync.NewCond(&d.mu)
	stderr, err := d.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := d.cmd.Start(); err != nil {
		return nil, fmt.Errorf("tributary serve: %w", err)
	}
	go d.read(stderr)
	go func() {
		<-ctx.Done()
		d.cond.Broadcast()
	}()
	return d, nil
}

// read parses the daemon's JSON log: every "polled" line is a poll.
func (d *daemon) read(r io.Reader) {
	defer close(d.done)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var line struct {
			Msg      string `json:"msg"`
			Outcome  string `json:"outcome"`
			ItemsNew int    `json:"items_new"`
			Duration int64  `json:"duration"` // nanoseconds
			Level    string `json:"level"`
			Err      string `json:"err"`
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil {
			continue
		}
		d.mu.Lock()
		switch {
		case line.Msg == "polled":
			d.polls = append(d.polls, poll{time.Now(), line.Outcome, line.ItemsNew, time.Duration(line.Duration)})
			d.cond.Broadcast()
		case strings.HasPrefix(line.Msg, "poll skipped"):
			d.skips++
		case line.Level == "ERROR":
			fmt.Fprintf(os.Stderr, "daemon: %s %s\n", line.Msg, line.Err)
		}
		d.mu.Unlock()
	}
	d.mu.Lock()
	d.cond.Broadcast()
	d.mu.Unlock()
}

// waitPolls waits until the daemon has reported n polls.
func (d *daemon) waitPolls(ctx context.Context, n int) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for len(d.polls) < n {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-d.done:
			return fmt.Errorf("tributary serve exited after %d polls", len(d.polls))
		default:
		}
		d.cond.Wait()
	}
	return nil
}

// between returns the polls reported in [t0, t1): how many, how many
// were answered 304, the items they stored, and their durations.
func (d *daemon) between(t0, t1 time.Time) (polls, notModified, items int, durations []time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, p := range d.polls {
		if p.at.Before(t0) || !p.at.Before(t1) {
			continue
		}
		polls++
		items += p.itemsNew
		if p.outcome == "not-modified" {
			notModified++
		}
		durations = append(durations, p.duration)
	}
	return polls, notModified, items, durations
}

func (d *daemon) skipped() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.skips
}

func (d *daemon) stop() {
	d.cmd.Process.Signal(syscall.SIGTERM)
	t := time.AfterFunc(30*time.Second, func() { d.cmd.Process.Kill() })
	defer t.Stop()
	d.cmd.Wait()
}

// cpuSeconds returns the user and system CPU time process pid has used.
func cpuSeconds(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: count after it.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	utime, err1 := strconv.ParseFloat(f[11], 64)
	stime, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: unreadable times", pid)
	}
	const ticks = 100 // USER_HZ, 100 on every Linux the project runs on
	return (utime + stime) / ticks, nil
}

// peakRSS returns process pid's peak resident set size in bytes (VmHWM).
func peakRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no VmHWM", pid)
}
