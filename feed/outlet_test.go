package feed

import "testing"

// TestOutletName: the titles of the saved real feeds, credited by the
// outlet's name, not a section label or a slogan.
func TestOutletName(t *testing.T) {
	for _, tt := range []struct{ title, image, link, want string }{
		{"NYT > Top Stories", "NYT > Top Stories", "https://www.nytimes.com", "NYT"},
		{"BBC News - World", "BBC News - World", "https://www.bbc.co.uk/news/", "BBC News"},
		{"The Latest News from the UK and Around the World | Sky News", "", "https://news.sky.com/home", "Sky News"},
		{"www.telegraph.co.uk for the latest news from the UK and around the world.", "Telegraph Logo", "http://www.telegraph.co.uk/", "Telegraph"},
		{"UK homepage", "", "https://www.ft.com", "ft.com"},
		{"HuffPost - Breaking News, U.S. and World News", "", "https://www.huffpost.com/", "HuffPost"},
		{"BuzzFeed - Latest", "BuzzFeed - Latest", "https://www.buzzfeed.com/index", "BuzzFeed"},
		{"The Verge -  Front Pages", "", "https://www.theverge.com/", "The Verge"},
		{"MacRumors: Mac News and Rumors - All Stories", "", "https://www.macrumors.com", "MacRumors"},
		{"Engadget is a web magazine with obsessive daily coverage of everything new in gadgets and consumer electronics", "", "https://www.engadget.com/", "Engadget"},
		{"The Guardian", "The Guardian", "https://www.theguardian.com/uk", "The Guardian"},
		{"NASA Image of the Day", "", "http://www.nasa.gov/", "NASA Image of the Day"},
		{"Release notes from hugo", "", "https://github.com/gohugoio/hugo/releases", "Release notes from hugo"},
		{"", "", "https://example.org/feed", "example.org"},
		{"Technology | The Guardian", "The Guardian", "https://www.theguardian.com/uk/technology", "The Guardian"},
		{"Sport - BBC News", "", "https://www.bbc.co.uk/sport", "BBC News"},
		{"Politics - The Hill", "", "https://thehill.com", "The Hill"},
		{"Opinion | The New York Times", "", "https://www.nytimes.com", "The New York Times"},
	} {
		if got := OutletName(tt.title, tt.image, tt.link); got != tt.want {
			t.Errorf("OutletName(%q, %q) = %q, want %q", tt.title, tt.image, got, tt.want)
		}
	}
}
