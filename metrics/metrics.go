// Package metrics holds tributary's Prometheus collectors, which the
// poll's pipeline (polls, their outcomes and store writes), the publisher
// (feed requests) and the replicas (leases, lag) report to; they are
// served on the operators' listener (metrics_listen), never on the
// public one.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are tributary's Prometheus metrics. A nil *Metrics counts
// nothing, so a part built without them (a test, tributary fetch) needs
// no check.
type Metrics struct {
	reg           *prometheus.Registry
	polls         *prometheus.CounterVec
	fetchDuration *prometheus.HistogramVec
	httpStatus    *prometheus.CounterVec
	itemsNew      *prometheus.CounterVec
	itemsUpdated  *prometheus.CounterVec
	merged        *prometheus.CounterVec
	lastSuccess   *prometheus.GaugeVec
	requests      *prometheus.CounterVec
	storeWrites   prometheus.Histogram
	storeItems    prometheus.Counter
}

// New registers every metric. stories reports the stored story
// count when scraped.
func New(version string, stories func() float64) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tributary_polls_total", Help: "Polls by source and outcome (changed, unchanged, not-modified, error).",
		}, []string{"source", "outcome"}),
		fetchDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "tributary_poll_duration_seconds", Help: "Duration of a whole poll: fetch, parse, store.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 20, 60},
		}, []string{"source"}),
		httpStatus: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tributary_fetch_http_status_total", Help: "Upstream HTTP status codes by source.",
		}, []string{"source", "code"}),
		itemsNew: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tributary_items_new_total", Help: "New items stored, by source.",
		}, []string{"source"}),
		itemsUpdated: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tributary_items_updated_total", Help: "Items updated upstream and stored again, by source.",
		}, []string{"source"}),
		merged: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tributary_duplicates_merged_total", Help: "New items that joined an existing story, by source.",
		}, []string{"source"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "tributary_last_success_timestamp_seconds", Help: "Unix time of the last successful poll, by source.",
		}, []string{"source"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tributary_feed_requests_total", Help: "Published feed requests by format and status (200, 304, ...).",
		}, []string{"format", "code"}),
		storeWrites: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "tributary_store_write_seconds", Help: "Duration of storing one poll's changes (one transaction).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 5},
		}),
		storeItems: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tributary_store_items_written_total", Help: "New and edited items stored.",
		}),
	}
	reg.MustRegister(m.storeWrites, m.storeItems, m.polls, m.fetchDuration, m.httpStatus, m.itemsNew, m.itemsUpdated, m.merged, m.lastSuccess, m.requests,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tributary_stories", Help: "Stories in the store."}, stories),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "tributary_build_info", Help: "Always 1; the version label says which build runs.",
			ConstLabels: prometheus.Labels{"version": version},
		}, func() float64 { return 1 }),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// ObservePoll records one poll. status is the upstream HTTP status, 0
// when there was none (a file source, a network error).
func (m *Metrics) ObservePoll(source, outcome string, status int, d time.Duration, newItems, updated, merged int, success bool) {
	if m == nil {
		return
	}
	m.polls.WithLabelValues(source, outcome).Inc()
	m.fetchDuration.WithLabelValues(source).Observe(d.Seconds())
	if status != 0 {
		m.httpStatus.WithLabelValues(source, strconv.Itoa(status)).Inc()
	}
	m.itemsNew.WithLabelValues(source).Add(float64(newItems))
	m.itemsUpdated.WithLabelValues(source).Add(float64(updated))
	m.merged.WithLabelValues(source).Add(float64(merged))
	if success {
		m.lastSuccess.WithLabelValues(source).SetToCurrentTime()
	}
}

// ObserveStoreWrite records one poll's changes stored: how long the
// transaction took and how many new or edited items it held.
func (m *Metrics) ObserveStoreWrite(d time.Duration, items int) {
	if m == nil {
		return
	}
	m.storeWrites.Observe(d.Seconds())
	m.storeItems.Add(float64(items))
}

// ObserveRequest counts a request for a published document.
func (m *Metrics) ObserveRequest(format string, code int) {
	if m != nil {
		m.requests.WithLabelValues(format, strconv.Itoa(code)).Inc()
	}
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Replica registers the figures of a replica on a shared store: the
// leases it holds, the leases it took over from replicas that let them
// expire, and how far behind the others' items it was at its last
// catch-up.
func (m *Metrics) Replica(leases, takeovers, lagSeconds func() float64) {
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tributary_leases_held",
			Help: "Source leases this replica holds now: its polls in flight."}, leases),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "tributary_lease_takeovers_total",
			Help: "Source leases taken over from replicas that let them expire."}, takeovers),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tributary_follow_lag_seconds",
			Help: "How long after another replica stored its newest item this replica read it, at its last catch-up."}, lagSeconds),
	)
}
