package text

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ukraine’s “peace” talks — live", `ukraine's "peace" talks - live`},
		{"Café in Zürich, São Paulo", "cafe in zurich, sao paulo"},
		{"Ｆｕｌｌｗｉｄｔｈ ＡＢＣ", "fullwidth abc"},
		{"Fed&#39;s &amp; ECB&apos;s", "fed's & ecb's"},
		{"  many \t spaces\n", "many spaces"},
		{"ﬁnance ﬂows", "finance flows"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStrip(t *testing.T) {
	n, err := NewNormalizer([]string{"/ - my paper$/"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"Oil falls - Reuters", "oil falls"},
		{"Oil falls | BBC News", "oil falls"},
		{"Reuters: Oil falls", "oil falls"},
		{"LIVE: Oil falls", "oil falls"},
		{"VIDEO: Oil falls", "oil falls"},
		{"UPDATE 2-Oil falls", "oil falls"},
		{"Oil falls -- 2nd Update", "oil falls"},
		{"Oil falls (blog)", "oil falls"},
		{"LIVE: Oil falls - The Guardian", "oil falls"},
		{"Oil falls - nytimes.com", "oil falls"},
		{"Oil falls - My Paper", "oil falls"},
		{"Oil falls - what it means for you", "oil falls - what it means for you"},
		{"Ukraine: Russia attacks Kyiv", "ukraine: russia attacks kyiv"},
		{"LIVE:", "live:"}, // never strip a headline to nothing
	}
	for _, tt := range tests {
		if got := n.Strip(Fold(tt.in)); got != tt.want {
			t.Errorf("Strip(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if _, err := NewNormalizer([]string{"/(/"}); err == nil {
		t.Error("a bad affix pattern was accepted")
	}
}

func TestTokens(t *testing.T) {
	n, _ := NewNormalizer(nil)
	tests := []struct {
		in   string
		want []string
	}{
		{"Fed's Plosser sees high bar for tapering - Reuters", []string{"fed", "plosser", "see", "high", "bar", "taper"}},
		{"Two killed, 1,000 flee as floods hit Syrian towns", []string{"2", "die", "1000", "flee", "flood", "hit", "syria", "town"}},
		{"Growth slows to 3.5% in U.S. and UK", []string{"growth", "slow", "3.5", "usa", "uk"}},
		{"U.N. says US troops will stay", []string{"un", "say", "usa", "troop", "stay"}},
		{"Russia's Putin meets Russian oligarchs", []string{"russia", "putin", "meet", "oligarch"}},
		{"The the THE of and", []string{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, n.Tokens(tt.in)); diff != "" {
			t.Errorf("Tokens(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// TestFoldASCII: the ASCII fast path folds as the general one does.
func TestFoldASCII(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "aZ 1\t\n\v\f\r.'-"
	for range 20_000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		s := string(b)
		if got, want := foldASCII(s), strings.Join(strings.Fields(strings.ToLower(s)), " "); got != want {
			t.Fatalf("foldASCII(%q) = %q, want %q", s, got, want)
		}
	}
}
