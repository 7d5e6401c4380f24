package fetch

import (
	"fmt"
	"net/http"
)

// MaxRedirects is how many redirect hops a fetch follows.
const MaxRedirects = 5

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
