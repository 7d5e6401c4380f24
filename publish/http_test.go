package publish

import (
	"io"
	"strings"
	"testing"
)

// TestAcceptEncoding: gzip only when the client accepts it with a q-value
// above zero (RFC 9110 12.5.3), named or through *.
func TestAcceptEncoding(t *testing.T) {
	h := newTestPublisher(t, fixture()).Handler()
	for header, want := range map[string]bool{
		"gzip":                     true,
		"gzip, br":                 true,
		"br;q=1.0, gzip;q=0.5":     true,
		"*":                        true,
		"x-gzip":                   true,
		"gzip;q=0":                 false,
		"gzip; q=0":                false,
		"gzip;q=0.0":               false,
		"GZIP;Q=0.000":             false,
		"gzip;q=0, *":              false,
		"*;q=0":                    false,
		"identity":                 false,
		"br, deflate":              false,
		"gzip;q=bogus":             false,
		"":                         false,
		"deflate, *;q=0.1":         true,
		"gzip;level=9;q=0, x-gzip": true,
	} {
		resp := get(t, h, "GET", "/feeds/ukraine.rss", map[string]string{"Accept-Encoding": header})
		if got := resp.Header.Get("Content-Encoding") == "gzip"; got != want {
			t.Errorf("Accept-Encoding %q: gzip %v, want %v", header, got, want)
		}
	}
}

// TestResponseHardening: every document says nosniff; a Range of many
// parts gets the whole body, one range its part; a 404 never repeats
// what was asked.
func TestResponseHardening(t *testing.T) {
	h := newTestPublisher(t, fixture()).Handler()
	for _, path := range []string{"/feeds/ukraine.rss", "/feeds/all.json", "/opml", "/"} {
		if got := get(t, h, "GET", path, nil).Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q, want nosniff", path, got)
		}
	}
	whole, _ := io.ReadAll(get(t, h, "GET", "/feeds/ukraine.rss", nil).Body)
	many := "bytes=0-0" + strings.Repeat(",1-1", 200)
	resp := get(t, h, "GET", "/feeds/ukraine.rss", map[string]string{"Range": many})
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != string(whole) {
		t.Errorf("a Range of 201 parts: %d, %d bytes; want 200 and the whole body", resp.StatusCode, len(body))
	}
	resp = get(t, h, "GET", "/feeds/ukraine.rss", map[string]string{"Range": "bytes=0-4"})
	if body, _ := io.ReadAll(resp.Body); resp.StatusCode != 206 || string(body) != string(whole[:5]) {
		t.Errorf("one range: %d %q, want 206 and its five bytes", resp.StatusCode, body)
	}
	for _, path := range []string{"/feeds/%3Cscript%3Ealert(1)%3C%2Fscript%3E.rss", "/feeds/evil-topic-name.json", "/nowhere/evil"} {
		resp := get(t, h, "GET", path, nil)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 404 || strings.Contains(string(body), "evil") || strings.Contains(string(body), "script") {
			t.Errorf("GET %s = %d %q, want a 404 that repeats nothing", path, resp.StatusCode, body)
		}
	}
}
