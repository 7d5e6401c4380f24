package dedupe

import (
	"slices"
	"testing"
	"tributary/text"
)

// TestVariants: each entry of the synonym and phrase lists, and demonyms,
// for a pair of headlines a reader would call one story: once
// normalised, the two are the same tokens.
func TestVariants(t *testing.T) {
	n, err := text.NewNormalizer(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{
		{"Strong quake shakes Taiwan", "Strong earthquake shakes Taiwan"},
		{"Tremors felt across Tokyo", "Earthquakes felt across Tokyo"},
		{"Actor dies at 82", "Actor dead at 82"},
		{"Singer died in hospital", "Singer's death in hospital"},
		{"Three killed in Kabul blast", "Three dead in Kabul explosion"},
		{"Kenya goes to the polls", "Kenya goes to the election"},
		{"Gaza truce holds", "Gaza cease-fire holds"},
		{"Gaza ceasefire holds", "Gaza cease fire holds"},
		{"US jobless claims fall", "US unemployment claims fall"},
		{"Bank of England hikes rates", "Bank of England rate rise"},
		{"FBI probe into senator widens", "FBI investigation into senator widens"},
		{"Inquiry into Grenfell fire reports", "Investigation into Grenfell fire reports"},
		{"Cops shoot suspect in Ohio", "Police shoot suspect in Ohio"},
		{"Govt unveils budget", "Government unveils budget"},
		{"Coronavirus cases rise in Shanghai", "Covid-19 cases rise in Shanghai"},
		{"Explosions heard in Kiev", "Explosions heard in Kyiv"},
		{"Zelenskiy addresses parliament", "Zelenskyy addresses parliament"},
		{"Zelenskyi addresses parliament", "Zelensky addresses parliament"},
		{"Gadhafi's son freed", "Qaddafi's son freed"},
		{"Kadafi's son freed", "Gaddafi's son freed"},
		{"Prime Minister resigns in Italy", "Italian PM resigns"},
		{"United States imposes tariffs", "US imposes tariffs"},
		{"United Kingdom leaves", "UK leaves"},
		{"United Nations warns of famine", "UN warns of famine"},
		{"European Union fines Apple", "EU fines Apple"},
		{"Ukrainian refugees reach Poland", "Ukraine refugees reach Poland"},
	} {
		a, b := n.Tokens(pair[0]), n.Tokens(pair[1])
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Errorf("%q %v and %q %v: want the same tokens", pair[0], a, pair[1], b)
		}
	}
}

// TestGivenNames: a headline naming a man by first name and surname, and
// one by surname alone, are one story; a given name both hold still
// counts in full.
func TestGivenNames(t *testing.T) {
	x := newTestIndex(t, Options{})
	a := "Luis Díaz scores twice as Liverpool beat Benfica"
	b := "Díaz scores twice as Liverpool beat Benfica"
	if got := assign(x, a, b); distinct(got) != 1 {
		t.Errorf("%q and %q: two stories", a, b)
	}
	// The first name weighs less only where the other side lacks it.
	if c := x.Compare(a, b); c.Score < 0.9 || len(c.Shared) == 0 || c.OnlyA[0].Token != "lui" {
		t.Errorf("%q and %q: %+v, want at least 0.9 and only the first name apart", a, b, c)
	}
	if c := x.Compare("Luis Díaz scores twice", "Luis Suárez scores twice"); c.Score >= DefaultThreshold {
		t.Errorf("two men of one first name: %v, want below %v", c.Score, DefaultThreshold)
	}
}

// TestCountries: a headline naming a country the other does not, and
// lacking the other's, is another event; one that only adds a country is
// not.
func TestCountries(t *testing.T) {
	x := newTestIndex(t, Options{})
	if got := assign(x, "Indonesian president to visit UK", "Indonesian president to visit Australia"); distinct(got) != 2 {
		t.Error("visits to two countries merged")
	}
	x = newTestIndex(t, Options{})
	if got := assign(x, "EU to propose fresh sanctions including ban on Russian coal", "US to announce fresh sanctions including ban on new Russia investments"); distinct(got) != 2 {
		t.Error("sanctions of the EU and of the US merged")
	}
	x = newTestIndex(t, Options{})
	if got := assign(x, "Russian missiles hit Kyiv suburbs overnight", "Russian missiles hit Kyiv suburbs overnight, Ukraine says"); distinct(got) != 1 {
		t.Error("a headline that adds its country made another story")
	}
}
