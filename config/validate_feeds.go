package config

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/andybalholm/cascadia"

	"tributary/news"
	"tributary/topic"
)

// sources checks every source and returns their names, by index.
func (v *validator) sources() map[string]int {
	names := map[string]int{}
	for i, s := range v.c.Sources {
		p := fmt.Sprintf("sources[%d]", i)
		v.slug(p+".name", s.Name, i, names)
		v.sourceURL(p+".url", s.URL)
		if s.Schedule != "" {
			v.schedule(p+".schedule", s.Schedule)
		}
		if s.Timeout < 0 {
			v.add(p+".timeout", "must not be negative")
		}
		for k := range s.Headers {
			if k == "" || strings.ContainsAny(k, " :\r\n") || strings.EqualFold(k, "Host") || strings.EqualFold(k, "Content-Length") {
				v.add(p+".headers", fmt.Sprintf("bad header name %q", k))
			}
		}
		if s.FullTextSelector != "" {
			if _, err := cascadia.Compile(s.FullTextSelector); err != nil {
				v.add(p+".full_text_selector", fmt.Sprintf("bad CSS selector: %v", err))
			}
		}
		if s.BasicAuth != nil && s.BasicAuth.User == "" {
			v.add(p+".basic_auth.user", "required")
		}
		if s.Proxy != "" && v.c.resolved(p+".proxy") {
			if u, err := url.Parse(s.Proxy); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "socks5") {
				v.add(p+".proxy", "want an http://, https:// or socks5:// URL")
			}
		}
	}
	return names
}

// topics checks every topic; names are the sources' (a topic's sources:
// must name one).
func (v *validator) topics(names map[string]int) {
	topics := map[string]int{news.AllTopic: -1}
	for i, t := range v.c.Topics {
		p := fmt.Sprintf("topics[%d]", i)
		if t.Name == news.AllTopic || t.Name == "hot" {
			v.add(p+".name", fmt.Sprintf("%q is reserved for the catch-all and hot feeds", t.Name))
		} else {
			v.slug(p+".name", t.Name, i, topics)
		}
		if len(t.Any) == 0 && len(t.All) == 0 && len(t.Sources) == 0 && len(t.Like) == 0 {
			v.add(p, "empty rules: set any, all, like or sources")
		}
		for _, f := range []struct {
			key string
			n   int64
		}{{"limit", int64(t.Limit)}, {"max_age", int64(t.MaxAge)}, {"per_source", int64(t.PerSource)}, {"min_sources", int64(t.MinSources)}} {
			if f.n < 0 {
				v.add(p+"."+f.key, "must not be negative")
			}
		}
		for j, n := range t.Notify {
			q := fmt.Sprintf("%s.notify[%d]", p, j)
			if (n.Webhook == "") == (n.Ntfy == "") {
				v.add(q, "want one of webhook or ntfy")
				continue
			}
			if !v.c.resolved(q+".webhook") || !v.c.resolved(q+".ntfy") {
				continue
			}
			if u, err := url.Parse(n.URL()); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
				v.add(q, "want an http(s) URL")
			}
		}
		if t.Batch < 0 {
			v.add(p+".batch", "must not be negative")
		}
		if t.MinConfidence < 0 || t.MinConfidence >= 1 {
			v.add(p+".min_confidence", "must be between 0 and 1")
		}
		if t.MinScore < 0 || t.MinScore > 1 {
			v.add(p+".min_score", "must be between 0 and 1")
		}
		for j, e := range t.Like {
			if strings.TrimSpace(e) == "" {
				v.add(fmt.Sprintf("%s.like[%d]", p, j), "empty example")
			}
		}
		for _, l := range []struct {
			key   string
			terms []string
		}{{"any", t.Any}, {"all", t.All}, {"none", t.None}} {
			for j, s := range l.terms {
				if _, err := topic.ParseTerm(s); err != nil {
					v.add(fmt.Sprintf("%s.%s[%d]", p, l.key, j), strings.TrimPrefix(err.Error(), "topic: "))
				}
			}
		}
		for j, s := range t.Sources {
			if _, ok := names[s]; !ok {
				v.add(fmt.Sprintf("%s.sources[%d]", p, j), fmt.Sprintf("no source named %q", s))
			}
		}
	}
	v.sections()
}

// sections checks that sources' sections and the section map name topics
// by example (or "none", in the map).
func (v *validator) sections() {
	byExample := map[string]bool{}
	for _, t := range v.c.Topics {
		if len(t.Like) > 0 {
			byExample[t.Name] = true
		}
	}
	for i, s := range v.c.Sources {
		if s.Section != "" && !byExample[s.Section] {
			v.add(fmt.Sprintf("sources[%d].section", i), fmt.Sprintf("%q is no topic with like: examples", s.Section))
		}
	}
	for _, term := range slices.Sorted(maps.Keys(v.c.SectionMap)) {
		if section := v.c.SectionMap[term]; section != topic.NoSection && !byExample[section] {
			v.add("section_map."+term, fmt.Sprintf("%q is no topic with like: examples, nor %q", section, topic.NoSection))
		}
	}
}
