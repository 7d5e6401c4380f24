package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"code.dny.dev/ssrf"

	"tributary/news"
)

// Access says which internal addresses (loopback, private, link-local and
// the other special-purpose ranges) one source's fetches may reach.
type Access struct {
	// Private opens every address on every redirect hop: the operator's
	// allow_private.
	Private bool
	// Named is the host:port of a configured URL that itself names an
	// internal address or localhost: that exact host and port may be
	// reached, and nothing else internal, redirect hops included.
	Named string
	// Proxy is a proxy URL (http, https, socks5) the fetch goes through:
	// it may be internal (the operator chose it); the addresses fetched
	// through it are checked as if dialled.
	Proxy string
	// Credentials go to Origin only (scheme, host and port: what
	// OriginOf returns), on every path into the fetcher — the feed, a
	// full-text page, a redirect hop — and nowhere when Origin is empty.
	Credentials news.Credentials
	Origin      string
}

// AccessFor returns what src may reach: everything with allow_private;
// else the host and port its URL names when that is internal; else only
// public addresses.
func AccessFor(src news.Source) Access {
	a := Access{Proxy: src.Proxy, Credentials: src.Credentials, Origin: OriginOf(src.URL)}
	switch {
	case src.AllowPrivate:
		a.Private = true
	case namesInternal(src.URL):
		a.Named = hostPort(src.URL)
	}
	return a
}

// OriginOf returns rawURL's origin as Access.Origin names it:
// scheme://host:port, the host in lower case and the scheme's port when
// none is given; "" for a URL that does not parse or has no host.
func OriginOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme) + "://" + hostPort(rawURL)
}

// hostPort is the host:port a transport dials for rawURL: the host in
// lower case, the scheme's port when none is given.
func hostPort(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// namesInternal reports whether a URL itself names a loopback, private or
// other internal address, or localhost: the operator's explicit choice.
func namesInternal(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() ||
		netip.MustParsePrefix("100.64.0.0/10").Contains(ip)
}

// Guard decides whether an address (after DNS resolution) may be dialled;
// it runs as net.Dialer.Control, before any packet is sent.
type Guard func(network, address string, c syscall.RawConn) error

// DefaultGuard refuses loopback, private, link-local, CGNAT, multicast and
// the other special-purpose ranges (code.dny.dev/ssrf), on any port.
func DefaultGuard() Guard { return ssrf.New(ssrf.WithAnyPort()).Safe }

// InternalError is a dial the guard refused.
type InternalError struct {
	Address  string // ip:port
	URL      string // the URL that led there, when known
	Redirect bool   // the URL was a redirect hop, not the one asked for
	Err      error  // the guard's reason
}

func (e *InternalError) Error() string {
	switch {
	case e.URL == "":
		return e.Address + " is an internal address"
	case e.Redirect:
		return fmt.Sprintf("redirect to %s refused: %s is an internal address (allow_private: true opens every hop)", e.URL, e.Address)
	default:
		return fmt.Sprintf("%s refused: %s is an internal address (allow_private: true allows it)", e.URL, e.Address)
	}
}

func (e *InternalError) Unwrap() error { return e.Err }

// typed makes the guard's refusals InternalErrors.
func (g Guard) typed() Guard {
	return func(network, address string, c syscall.RawConn) error {
		if err := g(network, address, c); err != nil {
			return &InternalError{Address: address, Err: err}
		}
		return nil
	}
}

// client returns the client for a source's access.
func (f *Fetcher) client(access Access) *http.Client {
	switch {
	case access.Proxy != "":
		return f.proxied(access)
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

// dialContext dials through the guard, but for named (a host:port the
// operator's URL names), which it dials as it is.
func dialContext(guard Guard, named string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	guarded := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if guard != nil {
		guarded.Control = guard.typed()
	}
	plain := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if named != "" && strings.EqualFold(addr, named) {
			return plain.DialContext(ctx, network, addr)
		}
		return guarded.DialContext(ctx, network, addr)
	}
}

// refusal explains a request the guard stopped: which URL (the configured
// one or a redirect hop) led to which internal address. It returns nil
// for any other error.
func refusal(err error, requested string) error {
	var ie *InternalError
	if !errors.As(err, &ie) {
		return nil
	}
	out := *ie
	out.URL = requested
	var ue *url.Error
	if errors.As(err, &ue) {
		out.URL = ue.URL
	}
	out.Redirect = out.URL != requested
	return &out
}

// proxied returns the client fetching through access.Proxy: it dials the
// proxy (an internal one too: the operator chose it), and checks the
// addresses the fetch and its redirects lead to as the guard would check
// a dial, resolving them first.
func (f *Fetcher) proxied(access Access) *http.Client {
	key := "proxy " + access.Proxy + " " + strconv.FormatBool(access.Private) + " " + access.Named
	f.namedMu.Lock()
	defer f.namedMu.Unlock()
	if c := f.named[key]; c != nil {
		return c
	}
	proxy, _ := url.Parse(access.Proxy) // checked by the config
	c := newClient(dialContext(nil, ""))
	c.Transport.(*http.Transport).Proxy = http.ProxyURL(proxy)
	if !access.Private {
		next := c.Transport
		c.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if err := f.checkTarget(r.Context(), r.URL, access.Named); err != nil {
				return nil, err
			}
			return next.RoundTrip(r)
		})
	}
	f.named[key] = c
	return c
}

// roundTripFunc is a function as an http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// checkTarget resolves u's host and refuses it, as the guard refuses a
// dial, when it is internal (but for named, the host:port the operator's
// URL names).
func (f *Fetcher) checkTarget(ctx context.Context, u *url.URL, named string) error {
	addr := hostPort(u.String())
	if named != "" && strings.EqualFold(addr, named) {
		return nil
	}
	host, port, _ := net.SplitHostPort(addr)
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return err
	}
	for _, ip := range ips {
		ip = ip.Unmap()
		network := "tcp6"
		if ip.Is4() {
			network = "tcp4"
		}
		target := net.JoinHostPort(ip.String(), port)
		if err := f.guard(network, target, nil); err != nil {
			return &InternalError{Address: target, Err: err}
		}
	}
	return nil
}
