package publish

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"tributary/news"
)

// Private feeds ask for a token: ?token=… on the URL (what feed readers
// can keep), or the password of HTTP basic auth. Without a valid one a
// private feed is as absent as an unknown one (404, no hint), and the
// front page and the OPML list leave private topics out.

// authorized reports whether r carries one of the tokens, compared in
// constant time.
func (p *Publisher) authorized(r *http.Request) bool {
	given := r.URL.Query().Get("token")
	if given == "" {
		_, given, _ = r.BasicAuth()
	}
	if given == "" {
		return false
	}
	ok := 0
	for _, t := range p.opts.Tokens {
		ok |= subtle.ConstantTimeCompare([]byte(given), []byte(t))
	}
	return ok == 1
}

// private reports whether a topic's feeds (its hot feed's too) ask for a
// token.
func (p *Publisher) private(topic string) bool {
	if p.opts.Private {
		return true
	}
	topic = baseTopic(topic)
	for _, t := range p.topics {
		if t.Name == topic {
			return t.Private
		}
	}
	return false
}

// visible returns the topics a request may see listed: all with a valid
// token, else the public ones.
func (p *Publisher) visible(withPrivate bool) []news.Topic {
	if withPrivate {
		return p.topics
	}
	var out []news.Topic
	for _, t := range p.topics {
		if !t.Private && !p.opts.Private {
			out = append(out, t)
		}
	}
	return out
}

// anyPrivate reports whether some feed asks for a token.
func (p *Publisher) anyPrivate() bool {
	if p.opts.Private {
		return true
	}
	for _, t := range p.topics {
		if t.Private {
			return true
		}
	}
	return false
}

// feedName returns the topic of a feed document's name ("ukraine.hot.rss"
// → "ukraine.hot").
func feedName(name string) string { return name[:strings.LastIndexByte(name, '.')] }
