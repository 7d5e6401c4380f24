package aggregator

import (
	"strings"
	"testing"
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
			feed, repaired, err := parse(&Response{Body: []byte(tt.doc)}, DefaultMaxItems)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(feed.Items[0].Title); got != tt.want || repaired != tt.repaired {
				t.Errorf("title %q, repaired %v; want %q, %v", got, repaired, tt.want, tt.repaired)
			}
		})
	}
}
