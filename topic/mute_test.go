package topic

import (
	"testing"

	"tributary/news"
)

// TestMute: mute terms, author: and site: included, say which term mutes
// an item; author: and site: work in topic rules too.
func TestMute(t *testing.T) {
	m, err := NewMute([]string{"horoscope", "author:Jane Doe", "site:spam.example"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		it   news.Item
		want string
	}{
		{news.Item{Title: "Your horoscope for today"}, "horoscope"},
		{news.Item{Title: "Markets rally", Author: "JANE DOE, Reuters"}, "author:Jane Doe"},
		{news.Item{Title: "Markets rally", Author: "Jane Smith"}, ""},
		{news.Item{Title: "x", Link: "https://www.spam.example/a"}, "site:spam.example"},
		{news.Item{Title: "x", Link: "https://notspam.example/a"}, ""},
	} {
		if got := m.Muted(&tt.it); got != tt.want {
			t.Errorf("%+v muted by %q, want %q", tt.it, got, tt.want)
		}
	}
	for _, bad := range []string{"site:", "site:http://x.example/", "author:"} {
		if _, err := NewMute([]string{bad}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	tp, err := New("t", "", Rules{Any: []string{"site:bbc.co.uk"}, None: []string{"author:Bot"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !tp.Match(NewDoc(&news.Item{Link: "https://www.bbc.co.uk/news/1"})) || tp.Match(NewDoc(&news.Item{Link: "https://www.bbc.co.uk/news/1", Author: "bot"})) {
		t.Error("site: and author: in rules")
	}
}
