package fetch

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"tributary/news"
)

// MaxRedirects is how many redirect hops a fetch follows.
const MaxRedirects = 5

// hopsKey finds a fetch's redirect record in its request context.
type hopsKey struct{}

// hops records the redirects of one fetch.
type hops struct {
	count     int
	permanent bool     // every hop so far was 301 or 308
	creds     []string // the headers carrying credentials, stripped when a hop leaves the first host
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
	// Go's client names the previous URL in Referer; a feed URL's query
	// may carry a token, so no hop names where it came from.
	req.Header.Del("Referer")
	if h, ok := req.Context().Value(hopsKey{}).(*hops); ok {
		if req.Response != nil {
			code := req.Response.StatusCode
			h.permanent = (h.count == 0 || h.permanent) && (code == http.StatusMovedPermanently || code == http.StatusPermanentRedirect)
			h.count++
		}
		// Credentials are for the origin they were configured for: never
		// sent to another host, port or scheme.
		if len(via) > 0 && !sameOrigin(req.URL, via[0].URL) {
			for _, k := range h.creds {
				req.Header.Del(k)
			}
		}
	}
	return nil
}

// sameOrigin reports whether a and b have one scheme, host and port.
func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && strings.EqualFold(a.Host, b.Host)
}

// setCredentials puts a source's credentials on its request and returns
// the headers that carry them.
func setCredentials(req *http.Request, c news.Credentials) []string {
	var keys []string
	for k, v := range c.Headers {
		req.Header.Set(k, v)
		keys = append(keys, k)
	}
	if c.User != "" {
		req.SetBasicAuth(c.User, c.Password)
		keys = append(keys, "Authorization")
	}
	if c.Cookie != "" {
		req.Header.Set("Cookie", c.Cookie)
		keys = append(keys, "Cookie")
	}
	return keys
}
