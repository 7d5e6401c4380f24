package feed

import (
	"net/url"
	"regexp"
	"strings"
)

// titleParts splits a feed's title where feeds join their outlet's name
// to a section label or a slogan: "NYT > Top Stories", "BBC News -
// World", "The Latest News from the UK | Sky News", "MacRumors: …".
var titleParts = regexp.MustCompile(`\s+[>|\-–—:]\s+|:\s+`)

// sectionLabel matches what a feed's title says of its section rather
// than of its outlet.
var sectionLabel = regexp.MustCompile(`(?i)^(the\s+)?(latest|top|all|breaking|front|home|uk|us|world|main|recent|news|stories|headlines|homepage|page|pages|feed|rss|and|&|,|\s|` +
	`politics|business|money|markets|economy|technology|tech|science|environment|climate|health|sport|sports|football|` +
	`opinion|comment|culture|arts|entertainment|lifestyle|life|style|travel|food|books|film|music|tv|media|education|` +
	`international|national|local|us\s+news|uk\s+news|world\s+news|global|europe|asia|africa|americas)+$`)

// logo is the word image titles add to the outlet's name.
var logo = regexp.MustCompile(`(?i)\s*\blogo\b\s*`)

// slogan matches a title that describes rather than names its outlet.
var slogan = regexp.MustCompile(`(?i)(\bfor the latest\b|\bthe latest\b|\bbreaking news\b|\bis an?\b|\bcoverage of\b)`)

// OutletName returns the name to credit a feed's outlet by, from the
// feed's title, its image's title and its link: the part of the title
// that names the outlet rather than a section or a slogan ("NYT" of "NYT
// > Top Stories", "Sky News" of "The Latest News from the UK and Around
// the World | Sky News"), else the image's title ("Telegraph" of
// "Telegraph Logo"), else the name a title gives before " is a…"
// ("Engadget"), else the site's host ("ft.com" for "UK homepage").
func OutletName(title, imageTitle, link string) string {
	title = strings.TrimSpace(title)
	const long = 40 // a name is short; a longer part is a description
	for _, p := range titleParts.Split(title, -1) {
		p = strings.TrimSpace(p)
		if p != "" && len(p) <= long && !sectionLabel.MatchString(p) && !slogan.MatchString(p) {
			return p
		}
	}
	if img := strings.TrimSpace(logo.ReplaceAllString(imageTitle, " ")); img != "" &&
		len(img) <= long && !sectionLabel.MatchString(img) && !slogan.MatchString(img) {
		return img
	}
	if name, _, ok := strings.Cut(title, " is a"); ok && name != "" && len(name) <= long {
		return strings.TrimSpace(name)
	}
	if u, err := url.Parse(link); err == nil && u.Hostname() != "" {
		return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	return title
}
