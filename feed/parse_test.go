package feed

import (
	"strings"
	"testing"
	"tributary/fetch"
)

// TestInvalidUTF8Repaired: one bad byte in a UTF-8 document is replaced,
// not a reason to refuse the document; a document declaring another
// encoding is decoded as it says.
func TestInvalidUTF8Repaired(t *testing.T) {
	tests := []struct {
		name, doc, want string
		repaired        bool
	}{
		{"bad byte", `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>c</title><item><guid>1</guid><title>Caf` + "\xff" + ` opens</title></item><item><guid>2</guid><title>Fine</title></item></channel></rss>`,
			"Caf\uFFFD opens", true},
		{"undeclared", `<rss version="2.0"><channel><title>c</title><item><guid>1</guid><title>` + "\xc3\x28" + `x</title></item></channel></rss>`,
			"\uFFFD(x", true},
		{"json", `{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","title":"a` + "\xfe" + `b"}]}`,
			"a\uFFFDb", true},
		{"latin-1 declared", `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>c</title><item><guid>1</guid><title>Caf` + "\xe9" + `</title></item></channel></rss>`,
			"Café", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed, repaired, err := parse(&fetch.Response{Body: []byte(tt.doc)}, maxItems)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(feed.Items[0].Title); got != tt.want || repaired != tt.repaired {
				t.Errorf("title %q, repaired %v; want %q, %v", got, repaired, tt.want, tt.repaired)
			}
		})
	}
}

func TestToUTF8(t *testing.T) {
	tests := []struct {
		name, contentType string
		body              []byte
		want              string
	}{
		{"windows-1252", "application/rss+xml; charset=windows-1252", []byte("<t>\x93quoted\x94 \x80</t>"), "<t>“quoted” €</t>"},
		{"iso-8859-1", "text/xml; charset=ISO-8859-1", []byte("<t>caf\xe9</t>"), "<t>café</t>"},
		{"koi8-r", "application/xml; charset=koi8-r", []byte("<t>\xf0\xd2\xc9\xd7\xc5\xd4</t>"), "<t>Привет</t>"},
		{"shift_jis", "application/rss+xml; charset=Shift_JIS", []byte("<t>\x93\xfa\x96\x7b</t>"), "<t>日本</t>"},
		{"declared wins over header", "text/xml; charset=iso-8859-1", []byte(`<?xml version="1.0" encoding="utf-8"?><t>caf` + "\xc3\xa9</t>"), `<?xml version="1.0" encoding="utf-8"?><t>café</t>`},
		{"missing charset", "application/rss+xml", []byte("<t>caf\xc3\xa9</t>"), "<t>café</t>"},
	}
	for _, tt := range tests {
		got, err := toUTF8(tt.body, tt.contentType)
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	if _, err := toUTF8([]byte("x"), "text/xml; charset=no-such-charset"); err == nil || !strings.Contains(err.Error(), "no-such-charset") {
		t.Errorf("unknown charset: %v", err)
	}
}
