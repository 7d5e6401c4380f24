package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dustin/go-humanize"

	"tributary/news"
	"tributary/schedule"
	"tributary/store"
	"tributary/topic"
)

// sourceStatus is one row of `tributary status`.
type sourceStatus struct {
	Name        string    `json:"name"`
	Configured  bool      `json:"configured"`
	LastPoll    time.Time `json:"last_poll"`
	LastSuccess time.Time `json:"last_success"`
	Outcome     string    `json:"outcome"` // never, ok, failing, retired (news.Status)
	LastError   string    `json:"last_error,omitempty"`
	Failures    int       `json:"failures"`
	NextPoll    time.Time `json:"next_poll"`
	Items       int       `json:"items"`
}

type topicStatus struct {
	Name    string `json:"name"`
	Stories int    `json:"stories"`
	// Learned is, for a topic by example, how many stored items of the
	// last week its outlets labelled with it (topic.Outlets).
	Learned *int `json:"learned,omitempty"`
}

func statusCommand() command {
	return command{name: "status", usage: "status  [-config FILE] [-json]   sources, topics, the store and the daemon", run: runStatus}
}

// runStatus prints every source's state and every topic's size from the
// store, the store's size and free space, and what the running daemon
// says of itself. It reads only, so it works beside the daemon.
func runStatus(ctx context.Context, e *env, configPath string, args []string) error {
	fs, path := flags(e, "status", configPath)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	cfg, err := loadConfig(e, *path, false)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, e, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	stored, err := db.Sources(ctx)
	if err != nil {
		return err
	}
	counts, err := db.TopicCounts(ctx)
	if err != nil {
		return err
	}
	now := e.now()
	schedules := map[string]string{}
	for _, s := range cfg.Sources {
		schedules[s.Name] = cfg.SourceSchedule(s)
	}
	var rows []sourceStatus
	for _, s := range stored {
		r := sourceStatus{Name: s.Name, LastPoll: s.State.LastPoll, LastSuccess: s.State.LastSuccess,
			LastError: s.State.LastError, Failures: s.State.Failures, Items: s.Items, Outcome: string(s.Health().Status)}
		spec, configured := schedules[s.Name]
		r.Configured = configured
		if sched, err := schedule.Parse(spec); configured && err == nil {
			r.NextPoll = schedule.Next(sched, now)
		}
		rows = append(rows, r)
	}
	st, err := storeUsage(db)
	if err != nil {
		return err
	}
	st.Integrity = "not checked here (PostgreSQL guards its own pages)"
	if _, ok := db.(store.Checker); ok {
		st.Integrity = "ok"
		if err := checkIntegrity(ctx, db); err != nil {
			st.Integrity = "DAMAGED: " + err.Error()
		}
	}
	outbox, err := db.Outbox(ctx)
	if err != nil {
		return err
	}
	daemon := askDaemon(ctx, cfg.MetricsListen)
	// What each topic by example learned from the outlets' labels, as the
	// daemon learned it (topic.Outlets): read from the stored week.
	set, _, err := buildTopics(cfg)
	if err != nil {
		return err
	}
	if err := learnSections(ctx, db, set, now, nil); err != nil {
		return err
	}
	learned := set.Outlets().Learned()
	topics := []topicStatus{{Name: news.AllTopic, Stories: counts[news.AllTopic]}}
	for _, t := range cfg.Topics {
		ts := topicStatus{Name: t.Name, Stories: counts[t.Name]}
		if len(t.Like) > 0 {
			n := learned[t.Name]
			ts.Learned = &n
		}
		topics = append(topics, ts)
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(struct {
			Store   storeStatus    `json:"store"`
			Daemon  daemonStatus   `json:"daemon"`
			Sources []sourceStatus `json:"sources"`
			Topics  []topicStatus  `json:"topics"`
			Outbox  store.Outbox   `json:"outbox"`
		}{st, daemon, rows, topics, outbox})
	}
	fmt.Fprintf(e.stdout, "store:  %s", st.Path)
	if st.Sized { // a PostgreSQL server's disk is not ours to measure
		fmt.Fprintf(e.stdout, ", %s, %s free", humanize.Bytes(uint64(st.Size)), humanize.Bytes(st.Free))
	}
	if st.Low {
		fmt.Fprint(e.stdout, ": LOW, polls fail once the disk is full")
	}
	fmt.Fprintf(e.stdout, "\nintegrity: %s\n", st.Integrity)
	fmt.Fprintf(e.stdout, "daemon: %s\n", daemon.Answer)
	fmt.Fprintf(e.stdout, "alerts: %d waiting (%d failing, retried with backoff), %d delivered\n\n", outbox.Pending, outbox.Failing, outbox.Delivered)
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Configured && !rows[j].Configured })
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tLAST POLL\tOUTCOME\tFAILURES\tNEXT POLL\tITEMS\tLAST ERROR")
	for _, r := range rows {
		name := r.Name
		if !r.Configured {
			name += " (removed)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%d\t%s\n", name, ago(now, r.LastPoll), r.Outcome, r.Failures,
			until(now, r.NextPoll), r.Items, r.LastError)
	}
	tw.Flush()
	fmt.Fprintln(e.stdout)
	for _, t := range topics {
		fmt.Fprintf(e.stdout, "topic %-20s %d stories", t.Name, t.Stories)
		if t.Learned != nil {
			fmt.Fprintf(e.stdout, ", learned from %d items its outlets labelled", *t.Learned)
		}
		fmt.Fprintln(e.stdout)
	}
	if n := learned[topic.NoSection]; n > 0 {
		fmt.Fprintf(e.stdout, "(%d items their outlets filed under no section of ours)\n", n)
	}
	return nil
}

// lowDisk is the free space below which status warns.
const lowDisk = 64 << 20

// storeUsage reports a store's size and free space, when it can.
func storeUsage(st store.Store) (storeStatus, error) {
	u, ok := st.(store.Sizer)
	if !ok {
		return storeStatus{Path: st.Path()}, nil
	}
	usage, err := u.Usage()
	if err != nil {
		return storeStatus{}, err
	}
	return storeStatus{Path: usage.Path, Size: usage.Size, Free: usage.Free, Low: usage.Free < lowDisk, Sized: true}, nil
}

// storeStatus is the store's line of `tributary status`.
type storeStatus struct {
	Path  string `json:"path"`
	Size  int64  `json:"size,omitempty"` // bytes, database and WAL
	Free  uint64 `json:"free,omitempty"` // bytes free on its file system
	Low   bool   `json:"low"`            // under lowDisk
	Sized bool   `json:"-"`              // Size and Free are known (SQLite)
	// Integrity is "ok", "DAMAGED: why" or why it was not checked.
	Integrity string `json:"integrity"`
}

// daemonStatus is what the running daemon says of itself.
type daemonStatus struct {
	Ready  bool   `json:"ready"`
	Answer string `json:"answer"` // its readiness answer, or why there is none
}

// askDaemon asks the running daemon's operators' listener whether it is
// ready, and why not: what the store cannot record (a full disk, say),
// the daemon can still say.
func askDaemon(ctx context.Context, metricsListen string) daemonStatus {
	if metricsListen == "" {
		return daemonStatus{Answer: "unknown: metrics_listen is off"}
	}
	host, port, err := net.SplitHostPort(metricsListen)
	if err != nil || port == "0" {
		return daemonStatus{Answer: "unknown: metrics_listen has no fixed port"}
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	u := "http://" + net.JoinHostPort(host, port) + "/readyz"
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return daemonStatus{Answer: "not answering at " + u + " (not running?)"}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	return daemonStatus{Ready: resp.StatusCode == http.StatusOK, Answer: strings.TrimSpace(string(body))}
}

func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return now.Sub(t).Round(time.Second).String() + " ago"
}

func until(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return "in " + t.Sub(now).Round(time.Second).String()
}
