package dedupe

import (
	"testing"
)

func TestCanonical(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/a/b", "https://example.com/a/b"},
		{"http://Example.COM/a/b/", "https://example.com/a/b"},
		{"https://example.com:443/a", "https://example.com/a"},
		{"http://example.com:80/a", "https://example.com/a"},
		{"https://example.com:8443/a", "https://example.com:8443/a"},
		{"https://example.com/a#comments", "https://example.com/a"},
		{"https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"},
		{"https://example.com/a?UTM_Campaign=x&id=7", "https://example.com/a?id=7"},
		{"https://example.com/a?fbclid=1&gclid=2&msclkid=3", "https://example.com/a"},
		{"https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"},
		{"https://user:pw@example.com/a", "https://example.com/a"},
		{"https://example.com/a?", "https://example.com/a"},
		{"http://example.com/a?=0&=&&b=1", "https://example.com/a?=0&b=1"},
		{"http://example.com./a", "https://example.com/a"},
		{"http://../a", "http://../a"},
		{"https://[::1]:443/a", "https://[::1]/a"},
		{"https://example.com/", "https://example.com"},
		{"https://example.com", "https://example.com"},
		{"  https://example.com/a  ", "https://example.com/a"},
		{"/relative/path", "/relative/path"},
		{"mailto:a@example.com", "mailto:a@example.com"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Canonical(tt.in); got != tt.want {
			t.Errorf("Canonical(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
