package feed

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

func TestBound(t *testing.T) {
	rssItems := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "<item><guid>%d</guid><title>t%d</title></item>\n", i, i)
		}
		return b.String()
	}
	tests := []struct {
		name, doc string
		max       int
		want      []string // guids parsed, in order
	}{
		{"rss cut", `<?xml version="1.0"?><rss version="2.0"><channel><title>c</title>` + rssItems(5) + `</channel></rss>`, 3, []string{"0", "1", "2"}},
		{"rss under the limit", `<rss version="2.0"><channel><title>c</title>` + rssItems(3) + `</channel></rss>`, 3, []string{"0", "1", "2"}},
		{"atom cut", `<feed xmlns="http://www.w3.org/2005/Atom"><title>f</title><entry><id>a</id><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p><b>x</b></p></div></content></entry><entry><id>b</id></entry><entry><id>c</id></entry></feed>`, 2, []string{"a", "b"}},
		{"rss 1.0 cut", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>c</title><items><rdf:Seq><rdf:li resource="1"/></rdf:Seq></items></channel><item rdf:about="1"><title>one</title><link>https://a.example/1</link></item><item rdf:about="2"><title>two</title><link>https://a.example/2</link></item></rdf:RDF>`, 1, []string{"https://a.example/1"}},
		{"decoys in comments, CDATA and attributes", `<!DOCTYPE rss [<!ENTITY x "<item>">]><rss version="2.0"><channel><title>c</title><!-- <item><guid>no</guid></item> --><item><guid>0</guid><description><![CDATA[<item><entry> > <]]></description><category domain="a>b">a</category></item><item><guid>1</guid></item></channel></rss>`, 1, []string{"0"}},
		{"self-closing items", `<rss version="2.0"><channel><title>c</title><item/><item><guid>x</guid></item></channel></rss>`, 1, nil},
		{"json cut, items not last", `{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"0","tags":["a,b","]"]},{"id":"1"},{"id":"2"}],"title":"after"}`, 2, []string{"0", "1"}},
		{"json under the limit", `{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"0"}]}`, 2, []string{"0"}},
		{"json escapes", `{"version":"https://jsonfeed.org/version/1.1","title":"t \" [ {","items":[{"id":"0","title":"\\\"],"},{"id":"1"}]}`, 1, []string{"0"}},
		{"bom and space", "\xef\xbb\xbf\n  " + `<rss version="2.0"><channel><title>c</title>` + rssItems(4) + `</channel></rss>`, 2, []string{"0", "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := bound([]byte(tt.doc), tt.max)
			if err != nil {
				t.Fatal(err)
			}
			feed, err := gofeed.NewParser().ParseString(string(out))
			if err != nil {
				t.Fatalf("parse bounded document: %v\n%s", err, out)
			}
			var got []string
			for _, it := range feed.Items {
				id := it.GUID
				if id == "" {
					id = it.Link
				}
				got = append(got, id)
			}
			if tt.want != nil && strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("entries %q, want %q\n%s", got, tt.want, out)
			}
			if tt.want == nil && len(got) != tt.max {
				t.Errorf("%d entries, want %d", len(got), tt.max)
			}
			if strings.Contains(tt.name, "json cut") && feed.Title != "after" {
				t.Errorf("a key after the items was lost: %s", out)
			}
		})
	}
}

func TestBoundRefusesAbsurdShapes(t *testing.T) {
	tests := map[string]string{
		"deep xml":   `<rss version="2.0"><channel><item><description>` + strings.Repeat("<a>", 1000) + strings.Repeat("</a>", 1000) + `</description></item></channel></rss>`,
		"deep json":  `{"items":[` + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + `]}`,
		"many attrs": `<feed xmlns="http://www.w3.org/2005/Atom"><entry><link ` + strings.Repeat(`a="b" `, 2000) + `/></entry></feed>`,
	}
	for name, doc := range tests {
		if _, err := bound([]byte(doc), 500); !errors.Is(err, ErrShape) {
			t.Errorf("%s: err = %v, want ErrShape", name, err)
		}
	}
	// Deep but sane: XHTML content twenty levels down is fine.
	ok := `<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="xhtml">` + strings.Repeat("<div>", 20) + strings.Repeat("</div>", 20) + `</content></entry></feed>`
	if _, err := bound([]byte(ok), 500); err != nil {
		t.Errorf("twenty levels: %v", err)
	}
}
