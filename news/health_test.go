package news

import (
	"strings"
	"testing"
	"time"
)

func TestHealth(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	const url = "https://a.example/feed"
	tests := []struct {
		name  string
		state FetchState
		want  Status
		notes string
	}{
		{"never polled", FetchState{}, StatusNever, ""},
		{"ok", FetchState{LastPoll: t0, LastSuccess: t0}, StatusOK, ""},
		{"failing", FetchState{LastPoll: t0, LastError: "a: fetch: 500 Internal Server Error", Failures: 3}, StatusFailing,
			"failing: a (3 in a row): a: fetch: 500 Internal Server Error"},
		{"retired", FetchState{LastPoll: t0, LastError: "a: fetch: 410 Gone", Retired: url}, StatusRetired,
			"retired: a (410 Gone from https://a.example/feed; change its URL to poll it again)"},
		{"retired under an old URL: polled again", FetchState{LastPoll: t0, Retired: "https://old.example/"}, StatusOK, ""},
		{"moved and fine", FetchState{LastPoll: t0, MovedFrom: url, MovedTo: "https://b.example/feed"}, StatusOK,
			"moved: a now polls https://b.example/feed; update the config"},
		{"moved and failing", FetchState{LastPoll: t0, LastError: "x", Failures: 1, MovedFrom: url, MovedTo: "https://b.example/feed"}, StatusFailing,
			"moved: a now polls https://b.example/feed; update the config|failing: a (1 in a row): x"},
	}
	for _, tt := range tests {
		h := SourceRecord{Name: "a", URL: url, State: tt.state}.Health()
		if h.Status != tt.want || strings.Join(h.Notes, "|") != tt.notes {
			t.Errorf("%s: %s %q, want %s %q", tt.name, h.Status, h.Notes, tt.want, tt.notes)
		}
	}
}

func TestSafeURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://a.example/x":       "https://a.example/x",
		"  HTTP://a.example/  ":     "HTTP://a.example/",
		"javascript:alert(1)":       "",
		"data:text/html,x":          "",
		"/relative":                 "",
		"https:///no-host":          "",
		"java\tscript:alert(1)":     "",
		"mailto:someone@a.example":  "",
		"ftp://a.example/file.xml":  "",
		"https://a.example/a?b=c#d": "https://a.example/a?b=c#d",
	} {
		if got := SafeURL(in); got != want {
			t.Errorf("SafeURL(%q) = %q, want %q", in, got, want)
		}
	}
}
