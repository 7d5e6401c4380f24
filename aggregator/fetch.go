package aggregator

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"tributary/news"
)

// ErrTooLarge is returned when a body exceeds the configured cap.
var ErrTooLarge = errors.New("aggregator: body too large")

// Response is the outcome of one conditional fetch.
type Response struct {
	Status       int           // HTTP status; 0 for a file
	MovedTo      string        // the final URL when every redirect hop was permanent (301, 308)
	Fresh        time.Duration // how long the upstream says the feed stays fresh
	NotModified  bool          // the upstream said 304: nothing to do
	Body         []byte        // the feed, decompressed, at most the cap
	ETag         string        // validators to send back next time
	LastModified string
	ContentType  string
}

// StatusError is an HTTP answer other than 200 or 304.
type StatusError struct {
	Code       int
	Status     string    // e.g. "500 Internal Server Error"
	RetryAfter time.Time // when a 429 or 503 said when to come back
}

func (e *StatusError) Error() string {
	if !e.RetryAfter.IsZero() {
		return e.Status + ", retry after " + e.RetryAfter.UTC().Format(time.RFC3339)
	}
	return e.Status
}

// MaxRedirects is how many redirect hops a fetch follows.
const MaxRedirects = 5

// FetchOptions configure a Fetcher.
type FetchOptions struct {
	UserAgent string
	MaxBody   int64 // after decompression
	// Guard checks every address dialled, after DNS resolution, so a
	// redirect hop or a DNS answer cannot reach an internal address. Nil
	// is DefaultGuard.
	Guard Guard
	// Now reads the clock, for Retry-After and Expires; default time.Now.
	Now func() time.Time
}

// Fetcher gets feed bodies over HTTP (or from file URLs), politely: it
// sends the stored validators back, asks for gzip, names itself, caps the
// body after decompression, bounds every request with a deadline, follows
// at most MaxRedirects http(s) redirects, and refuses internal addresses
// beyond what each source's Access allows.
type Fetcher struct {
	guard     Guard
	guarded   *http.Client // public addresses only
	open      *http.Client // any address: allow_private
	userAgent string
	maxBody   int64
	now       func() time.Time

	// One client per internal host:port an operator named, each with its
	// own connection pool: a connection to a named address must never be
	// reused by another source or a redirect hop.
	namedMu sync.Mutex
	named   map[string]*http.Client
}

// NewFetcher returns a fetcher.
func NewFetcher(opts FetchOptions) *Fetcher {
	if opts.Guard == nil {
		opts.Guard = DefaultGuard()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Fetcher{
		guard:     opts.Guard,
		guarded:   newClient(dialContext(opts.Guard, "")),
		open:      newClient(dialContext(nil, "")),
		named:     map[string]*http.Client{},
		userAgent: opts.UserAgent,
		maxBody:   opts.MaxBody,
		now:       opts.Now,
	}
}

// client returns the client for a source's access.
func (f *Fetcher) client(access Access) *http.Client {
	switch {
	case access.Private:
		return f.open
	case access.Named == "":
		return f.guarded
	}
	f.namedMu.Lock()
	defer f.namedMu.Unlock()
	c := f.named[access.Named]
	if c == nil {
		c = newClient(dialContext(f.guard, access.Named))
		f.named[access.Named] = c
	}
	return c
}

func newClient(dial func(ctx context.Context, network, addr string) (net.Conn, error)) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dial,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
			MaxIdleConnsPerHost:   2,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
		},
		CheckRedirect: checkRedirect,
	}
}

// hopsKey finds a fetch's redirect record in its request context.
type hopsKey struct{}

// hops records the redirects of one fetch.
type hops struct {
	count     int
	permanent bool // every hop so far was 301 or 308
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return fmt.Errorf("more than %d redirects", MaxRedirects)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("redirect to %s URL refused", req.URL.Scheme)
	}
	for _, v := range via {
		if v.URL.String() == req.URL.String() {
			return fmt.Errorf("redirect loop at %s", req.URL.Redacted())
		}
	}
	if h, ok := req.Context().Value(hopsKey{}).(*hops); ok && req.Response != nil {
		code := req.Response.StatusCode
		h.permanent = (h.count == 0 || h.permanent) && (code == http.StatusMovedPermanently || code == http.StatusPermanentRedirect)
		h.count++
	}
	return nil
}

// Fetch gets rawURL, sending the validators in st. timeout bounds the whole
// request, body included.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string, st news.FetchState, timeout time.Duration, access Access) (*Response, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme == "file" {
		return f.fetchFile(u, st)
	}
	h := &hops{}
	req, err := http.NewRequestWithContext(context.WithValue(ctx, hopsKey{}, h), http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.userAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5")
	// Asked for here, so decoded here (the transport decodes only gzip,
	// and only when it asked itself); the cap counts decoded bytes.
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	if st.ETag != "" {
		req.Header.Set("If-None-Match", st.ETag)
	}
	if st.LastModified != "" {
		req.Header.Set("If-Modified-Since", st.LastModified)
	}
	resp, err := f.client(access).Do(req)
	if err != nil {
		if r := refusal(err, rawURL); r != nil {
			return nil, r
		}
		return nil, unwrapURLError(err)
	}
	defer resp.Body.Close()
	var moved string
	if h.count > 0 && h.permanent {
		moved = resp.Request.URL.String()
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotModified:
		return &Response{Status: resp.StatusCode, MovedTo: moved, NotModified: true, ETag: keep(resp.Header.Get("ETag"), st.ETag),
			LastModified: keep(resp.Header.Get("Last-Modified"), st.LastModified)}, nil
	default:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
		se := &StatusError{Code: resp.StatusCode, Status: resp.Status}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			se.RetryAfter, _ = retryAfter(resp.Header, f.now())
		}
		return nil, se
	}
	decoded, err := decode(resp)
	if err != nil {
		return nil, err
	}
	body, err := f.readCapped(decoded)
	if err != nil {
		return nil, err
	}
	fresh, _ := freshFor(resp.Header, f.now())
	return &Response{
		Status:       resp.StatusCode,
		MovedTo:      moved,
		Fresh:        fresh,
		Body:         body,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		ContentType:  resp.Header.Get("Content-Type"),
	}, nil
}

func keep(v, old string) string {
	if v == "" {
		return old
	}
	return v
}

func (f *Fetcher) readCapped(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, f.maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", unwrapURLError(err))
	}
	if int64(len(body)) > f.maxBody {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, f.maxBody)
	}
	return body, nil
}

// fetchFile reads a file URL. Its modification time, to the nanosecond,
// and size stand in for Last-Modified, so an unchanged file costs no
// parsing while a file rewritten within the same second is still read.
func (f *Fetcher) fetchFile(u *url.URL, st news.FetchState) (*Response, error) {
	path := u.Path
	if u.Opaque != "" {
		path = u.Opaque
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		return nil, err
	}
	mod := fmt.Sprintf("%s size=%d", info.ModTime().UTC().Format(time.RFC3339Nano), info.Size())
	if mod == st.LastModified {
		return &Response{NotModified: true, LastModified: mod}, nil
	}
	body, err := f.readCapped(file)
	if err != nil {
		return nil, err
	}
	return &Response{Body: body, LastModified: mod}, nil
}

// unwrapURLError drops the *url.Error wrapper, whose message repeats the
// method and URL that the caller's message already names.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if errors.Is(ue.Err, context.DeadlineExceeded) {
			return fmt.Errorf("timeout: %w", context.DeadlineExceeded)
		}
		return ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("timeout: %w", err)
	}
	return err
}

// decode undoes the response's Content-Encoding: gzip, or deflate (zlib,
// or the raw deflate some servers send under that name).
func decode(resp *http.Response) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))) {
	case "", "identity":
		return resp.Body, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		return zr, nil
	case "deflate":
		br := bufio.NewReader(resp.Body)
		if head, err := br.Peek(2); err == nil && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 && head[0]&0x0f == 8 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, fmt.Errorf("deflate body: %w", err)
			}
			return zr, nil
		}
		return flate.NewReader(br), nil
	default:
		return nil, fmt.Errorf("unsupported Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
}
