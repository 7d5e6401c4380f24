package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"

	"tributary/news"
)

// TestJSONLaidOutAsEncoded: a JSON Feed assembled from cached entries is
// byte for byte what encoding the whole document with the encoder's
// indentation gives, with no items, one, or several.
func TestJSONLaidOutAsEncoded(t *testing.T) {
	st := fixture()
	st.stories["empty"] = nil
	p, err := newShaped(st, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{
		BaseURL: "http://news.example", Title: "t",
		Topics: []news.Topic{{Name: "ukraine", Title: "Ukraine"}, {Name: "empty", Title: "Nothing yet"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"empty.json", "ukraine.json", "all.json"} {
		d, ok := p.doc(context.Background(), name)
		if !ok {
			t.Fatalf("no document %s", name)
		}
		var compact, want bytes.Buffer
		if err := json.Compact(&compact, d.body); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		want.WriteByte('\n')
		if !bytes.Equal(d.body, want.Bytes()) {
			t.Errorf("%s is not laid out as the encoder would:\n%s\nwant:\n%s", name, d.body, want.Bytes())
		}
	}
}
