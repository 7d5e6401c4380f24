// Package fetch gets feed documents from upstreams, politely and safely:
// conditional GET with the validators a store kept, caching headers read
// (Retry-After, max-age, Expires), gzip and deflate decoded with the body
// capped after decompression, redirects followed within limits, fetches
// at once bounded in all and per host, and every address dialled checked
// by an SSRF guard. It knows bytes and headers, not feeds; it depends on
// package news alone.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"tributary/news"
)

// ErrTooLarge is returned when a body exceeds the configured cap.
var ErrTooLarge = errors.New("fetch: body too large")

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

	done func() // from the Admit the body was fetched with
}

// Release tells the Admit the body was fetched with that it has been
// processed. It does nothing for a response fetched without one.
func (r *Response) Release() {
	if r.done != nil {
		r.done()
		r.done = nil
	}
}

// Admit waits until a fetched body of size bytes may be processed and
// returns what to call once it has been (Response.Release). A fetch calls
// it before it gives its slot back, so fetched documents wait in the
// fetch slots, as many as those, rather than piling up in memory while
// fetching goes on.
type Admit func(ctx context.Context, size int) (done func(), err error)

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

// Defaults for Options.
const (
	DefaultMaxBody     = 10 << 20 // response body cap, after decompression
	DefaultConcurrency = 8        // fetches at once
	DefaultPerHost     = 2        // fetches at once from one host
	// DefaultMaxItems is how many entries of one document are kept (the
	// first, newest, ones): the fetched document's bound, though the
	// parser (package feed) applies it.
	DefaultMaxItems = 500
)

// Options configure a Fetcher.
type Options struct {
	UserAgent   string
	MaxBody     int64 // after decompression; default DefaultMaxBody
	Concurrency int   // fetches at once; default DefaultConcurrency
	PerHost     int   // fetches at once from one host; default DefaultPerHost
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
// at most MaxRedirects http(s) redirects, bounds fetches at once, and
// refuses internal addresses beyond what each source's Access allows.
type Fetcher struct {
	guard     Guard
	guarded   *http.Client // public addresses only
	open      *http.Client // any address: allow_private
	userAgent string
	maxBody   int64
	now       func() time.Time
	slots     *limiter

	// One client per internal host:port an operator named, each with its
	// own connection pool: a connection to a named address must never be
	// reused by another source or a redirect hop.
	namedMu sync.Mutex
	named   map[string]*http.Client
}

// New returns a fetcher.
func New(opts Options) *Fetcher {
	if opts.Guard == nil {
		opts.Guard = DefaultGuard()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.PerHost <= 0 {
		opts.PerHost = DefaultPerHost
	}
	return &Fetcher{
		guard:     opts.Guard,
		guarded:   newClient(dialContext(opts.Guard, "")),
		open:      newClient(dialContext(nil, "")),
		named:     map[string]*http.Client{},
		userAgent: opts.UserAgent,
		maxBody:   opts.MaxBody,
		now:       opts.Now,
		slots:     newLimiter(opts.Concurrency, opts.PerHost),
	}
}

// MaxBody returns the body cap in force.
func (f *Fetcher) MaxBody() int64 { return f.maxBody }

// Fetch gets rawURL, sending the validators in st, once a slot is free
// (Options.Concurrency, Options.PerHost). timeout bounds the whole
// request, body included.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string, st news.FetchState, timeout time.Duration, access Access) (*Response, error) {
	return f.FetchAdmitted(ctx, rawURL, st, timeout, access, nil)
}

// FetchAdmitted is Fetch that, when it has a body, holds its slot until
// admit lets the body in (admit's wait is not the upstream's time); the
// caller calls Response.Release once it has processed the body.
func (f *Fetcher) FetchAdmitted(ctx context.Context, rawURL string, st news.FetchState, timeout time.Duration, access Access, admit Admit) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme == "file" {
		return admitted(ctx, admit)(f.fetchFile(u, st))
	}
	outer := ctx
	// Waiting for a slot is not the upstream's time: the deadline starts
	// once the fetch does.
	release, err := f.slots.acquire(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	defer release()
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
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
	if access.Origin != "" && OriginOf(rawURL) == access.Origin {
		h.creds = setCredentials(req, access.Credentials)
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
	return admitted(outer, admit)(&Response{
		Status:       resp.StatusCode,
		MovedTo:      moved,
		Fresh:        fresh,
		Body:         body,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		ContentType:  resp.Header.Get("Content-Type"),
	}, nil)
}

// admitted returns a function passing a fetch's result through admit,
// when there is one and the result has a body.
func admitted(ctx context.Context, admit Admit) func(*Response, error) (*Response, error) {
	return func(r *Response, err error) (*Response, error) {
		if err != nil || admit == nil || r.NotModified {
			return r, err
		}
		if r.done, err = admit(ctx, len(r.Body)); err != nil {
			return nil, err
		}
		return r, nil
	}
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
