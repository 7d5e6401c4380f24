package aggregator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"tributary/news"
)

// ErrTooLarge is returned when a body exceeds the configured cap.
var ErrTooLarge = errors.New("aggregator: body too large")

// Response is the outcome of one conditional fetch.
type Response struct {
	Status       int    // HTTP status; 0 for a file
	NotModified  bool   // the upstream said 304: nothing to do
	Body         []byte // the feed, decompressed, at most the cap
	ETag         string // validators to send back next time
	LastModified string
	ContentType  string
}

// StatusError is an HTTP answer other than 200 or 304.
type StatusError struct {
	Code   int
	Status string // e.g. "500 Internal Server Error"
}

func (e *StatusError) Error() string { return e.Status }

// Fetcher gets feed bodies over HTTP (or from file URLs), politely: it
// sends the stored validators back, asks for gzip, names itself, caps the
// body after decompression and bounds every request with a deadline.
type Fetcher struct {
	client    *http.Client
	userAgent string
	maxBody   int64
}

// NewFetcher returns a fetcher using client (http.DefaultClient when nil).
func NewFetcher(client *http.Client, userAgent string, maxBody int64) *Fetcher {
	if client == nil {
		client = &http.Client{}
	}
	return &Fetcher{client: client, userAgent: userAgent, maxBody: maxBody}
}

// Fetch gets rawURL, sending the validators in st. timeout bounds the whole
// request, body included.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string, st news.FetchState, timeout time.Duration) (*Response, error) {
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
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.userAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5")
	// Accept-Encoding is left to the transport, which then asks for gzip
	// and decompresses transparently, so the cap below counts real bytes.
	if st.ETag != "" {
		req.Header.Set("If-None-Match", st.ETag)
	}
	if st.LastModified != "" {
		req.Header.Set("If-Modified-Since", st.LastModified)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, unwrapURLError(err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotModified:
		return &Response{Status: resp.StatusCode, NotModified: true, ETag: keep(resp.Header.Get("ETag"), st.ETag),
			LastModified: keep(resp.Header.Get("Last-Modified"), st.LastModified)}, nil
	default:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
		return nil, &StatusError{Code: resp.StatusCode, Status: resp.Status}
	}
	body, err := f.readCapped(resp.Body)
	if err != nil {
		return nil, err
	}
	return &Response{
		Status:       resp.StatusCode,
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
