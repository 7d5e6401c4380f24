package publish

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
)

// frontPageCSP allows the page exactly what it uses: its inline style,
// its icon (%s: from here, or from where publish.icon says) and the
// stories' thumbnails, from wherever their outlets keep them.
const frontPageCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src %s https: http:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Handler returns the public HTTP routes:
//
//	GET /                      front page
//	GET /feeds/{topic}.{rss,atom,json}
//	GET /opml                  every topic feed, for one import
//	GET /favicon.ico, /icon.png the icon (Options.Icon)
//	GET /healthz               "ok" once feeds are rendered, else "starting"
//	GET /readyz                "ready" when the store answers and polls run
//	GET /explain?url=...       why an item is in its story (Debug only)
//
// The public health answers say nothing more: source names and upstream
// errors are for operators (OpsHandler), unless Debug is set.
func (p *Publisher) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", p.serveIndex)
	mux.HandleFunc("GET /feeds/{file}", p.serveFeed)
	mux.HandleFunc("GET /opml", p.serveOPML)
	mux.HandleFunc("GET /stories/{file}", p.serveStory)
	mux.HandleFunc("GET /topics/{name}", p.serveTopicPage)
	mux.HandleFunc("GET /favicon.ico", p.serveIcon)
	mux.HandleFunc("GET /icon.png", p.serveIcon)
	mux.HandleFunc("GET /healthz", p.health(p.opts.Debug))
	mux.HandleFunc("GET /readyz", p.readiness(p.opts.Debug))
	if p.opts.Explain != nil {
		mux.HandleFunc("GET /explain", p.serveExplain)
	}
	return mux
}

// OpsHandler returns the operators' routes, for the metrics listener:
//
//	GET /metrics               Prometheus metrics
//	GET /healthz               as the public one, with the sources to look at
//	GET /readyz                as the public one, with the reason when not ready
func (p *Publisher) OpsHandler() http.Handler {
	mux := http.NewServeMux()
	if p.opts.Metrics != nil {
		mux.Handle("GET /metrics", p.opts.Metrics.Handler())
	}
	mux.HandleFunc("GET /healthz", p.health(true))
	mux.HandleFunc("GET /readyz", p.readiness(true))
	return mux
}

func (p *Publisher) serveFeed(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	dot := strings.LastIndexByte(name, '.')
	if dot < 0 || !isFormat(name[dot+1:]) {
		http.NotFound(w, r)
		return
	}
	format := name[dot+1:]
	private := p.private(feedName(name))
	d, ok := p.doc(r.Context(), name)
	if private && !p.authorized(r) {
		ok = false // as absent as an unknown feed: no hint that a token would open it
	}
	if !ok {
		p.opts.Metrics.ObserveRequest(format, http.StatusNotFound)
		if !p.isReady() {
			http.Error(w, "feeds are being rendered, try again in a moment", http.StatusServiceUnavailable)
			return
		}
		http.Error(w, "no such feed; the front page lists them", http.StatusNotFound) // never echo the path
		return
	}
	sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
	if private {
		w.Header().Set("Cache-Control", fmt.Sprintf("private, max-age=%d", int(p.opts.MaxAge.Seconds())))
	}
	p.serve(sw, r, d)
	p.opts.Metrics.ObserveRequest(format, sw.code)
}

// statusWriter remembers the status code written, for metrics.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (s *statusWriter) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

// ReadFrom lets http.ServeContent's copy reach the server's own ReadFrom,
// which copies through a pooled buffer: without it every response would
// allocate a 32 KiB buffer of its own, and the collector would run for it.
func (s *statusWriter) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := s.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(s.ResponseWriter, r)
}

// Unwrap gives http.ResponseController the server's writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// readiness answers 200 when the store answers and takes polls, the
// scheduler runs and a poll ended recently; 503 otherwise, with the
// reason when detail is set.
func (p *Publisher) readiness(detail bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !p.isReady() {
			plain(w, http.StatusServiceUnavailable, "starting: feeds not rendered yet\n")
			return
		}
		if p.opts.Ready != nil {
			if err := p.opts.Ready(r.Context()); err != nil {
				msg := "not ready\n"
				if detail {
					msg = "not ready: " + err.Error() + "\n"
				}
				plain(w, http.StatusServiceUnavailable, msg)
				return
			}
		}
		text := "ready\n"
		if detail && p.opts.ReadyDetail != nil {
			text += p.opts.ReadyDetail(r.Context())
		}
		plain(w, http.StatusOK, text)
	}
}

// plain writes an uncacheable plain-text answer.
func plain(w http.ResponseWriter, code int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write([]byte(text))
}

func isFormat(ext string) bool {
	for _, f := range formats() {
		if string(f) == ext {
			return true
		}
	}
	return false
}

func (p *Publisher) serveIndex(w http.ResponseWriter, r *http.Request) {
	if !p.isReady() {
		http.Error(w, "starting, try again in a moment", http.StatusServiceUnavailable)
		return
	}
	tokened := p.authorized(r)
	if p.opts.Private && !tokened {
		http.Error(w, "no such page", http.StatusNotFound)
		return
	}
	var d *document
	var err error
	if tokened && p.anyPrivate() { // the private topics listed: rendered for this request, never cached
		p.refresh.Lock()
		d, err = p.renderFrontPage(r.Context(), true)
		p.refresh.Unlock()
		w.Header().Set("Cache-Control", "private, no-store")
	} else {
		d, err = p.frontPage(r.Context())
	}
	if err != nil {
		p.log.Error("front page", slog.Any("err", err))
		http.Error(w, "the front page could not be rendered; the feeds are still served", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Security-Policy", p.csp)
	w.Header().Set("Referrer-Policy", "no-referrer")
	p.serve(w, r, d)
}

func (p *Publisher) serveOPML(w http.ResponseWriter, r *http.Request) {
	tokened := p.authorized(r)
	if p.opts.Private && !tokened {
		http.Error(w, "no such page", http.StatusNotFound)
		return
	}
	p.mu.RLock()
	d := p.opml
	p.mu.RUnlock()
	if d == nil {
		http.Error(w, "starting, try again in a moment", http.StatusServiceUnavailable)
		return
	}
	if tokened && p.anyPrivate() { // the private topics listed, for this request only
		body, err := p.renderOPML(p.visible(true))
		if err != nil {
			http.Error(w, "the OPML list could not be rendered", http.StatusInternalServerError)
			return
		}
		d = newDocument(body, d.contentType, d.modified)
		w.Header().Set("Cache-Control", "private, no-store")
	}
	p.serve(w, r, d)
}

// health answers "ok" once the feeds are rendered, "starting" before; with
// detail, the sources an operator should look at follow.
func (p *Publisher) health(detail bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !p.isReady() {
			plain(w, http.StatusServiceUnavailable, "starting\n")
			return
		}
		text := "ok\n"
		if detail && p.opts.HealthDetail != nil {
			text += p.opts.HealthDetail(r.Context())
		}
		plain(w, http.StatusOK, text)
	}
}

func (p *Publisher) isReady() bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.ready
}

// serve writes d, compressed when the client accepts gzip. http.ServeContent
// answers If-None-Match and If-Modified-Since with 304, HEAD, and a Range
// of one part; a Range of several gets the whole body, since a request
// for many small overlapping parts would have us send the document many
// times over.
func (p *Publisher) serve(w http.ResponseWriter, r *http.Request, d *document) {
	if strings.Contains(r.Header.Get("Range"), ",") {
		r.Header.Del("Range")
	}
	h := w.Header()
	h.Set("Content-Type", d.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	if h.Get("Cache-Control") == "" { // a private document says so already
		h.Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(p.opts.MaxAge.Seconds())))
	}
	h.Add("Vary", "Accept-Encoding")
	body, etag := d.body, d.etag
	if acceptsGzip(r) {
		body, etag = d.gzipped(&p.zippers), strings.TrimSuffix(d.etag, `"`)+`-gz"`
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", d.modified, bytes.NewReader(body))
}

// acceptsGzip reads Accept-Encoding (RFC 9110, 12.5.3): gzip (or x-gzip)
// is acceptable with a q-value above zero, or, when it is not named, if
// "*" is. A q-value that does not parse counts as zero.
func acceptsGzip(r *http.Request) bool {
	gzipQ, anyQ := -1.0, -1.0
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(part, ";")
		q := 1.0
		for _, param := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(param, "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				var err error
				if q, err = strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
					q = 0
				}
			}
		}
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "gzip", "x-gzip":
			gzipQ = max(gzipQ, q)
		case "*":
			anyQ = q
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return anyQ > 0
}

// serveExplain answers operators' "why is this item in that story?".
func (p *Publisher) serveExplain(w http.ResponseWriter, r *http.Request) {
	arg := r.URL.Query().Get("url")
	if arg == "" {
		arg = r.URL.Query().Get("q")
	}
	if arg == "" {
		http.Error(w, "usage: /explain?url=<item URL>, or ?q=<GUID or headline>", http.StatusBadRequest)
		return
	}
	text, err := p.opts.Explain(r.Context(), arg)
	if err != nil {
		p.log.Error("explain", "arg", arg, slog.Any("err", err))
		http.Error(w, "explain failed; see the server log", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(text))
}
