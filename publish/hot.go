package publish

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"tributary/news"
)

// Hot stories: what several outlets carry now. Each topic, and the
// catch-all, has a hot feed (/feeds/hot.rss, /feeds/{topic}.hot.rss):
// the stories of the last Window carried by at least MinSources
// different sources, ranked by how many outlets carry them, halved for
// every quarter of the window since they were first published. An entry
// is the story's own (same id as in the other feeds) and lists every
// outlet's headline and link; it updates, never repeats, as outlets join.
const hotSuffix = ".hot"

// Hot tunes the hot feeds.
type Hot struct {
	Window     time.Duration // how long ago a hot story may have begun
	MinSources int           // how many outlets must carry it
}

// hotTopic is the hot feed of topic t: "hot" for the catch-all, else
// "{topic}.hot".
func hotTopic(t news.Topic) news.Topic {
	h := news.Topic{Name: t.Name + hotSuffix, Title: t.Title + ": hot", Limit: t.Limit, Private: t.Private}
	if t.Name == news.AllTopic {
		h.Name, h.Title = "hot", "Hot"
	}
	return h
}

// baseTopic returns the topic a feed's document belongs to: "ukraine" for
// "ukraine.hot", the catch-all for "hot".
func baseTopic(topic string) string {
	if topic == "hot" {
		return news.AllTopic
	}
	return strings.TrimSuffix(topic, hotSuffix)
}

// hotStories returns topic t's hot stories among stories (its newest,
// muted items taken out), best first, at most its limit.
func (p *Publisher) hotStories(t news.Topic, stories []news.Story) []news.Story {
	now := p.opts.Now()
	window, least := p.opts.Hot.Window, p.opts.Hot.MinSources
	type ranked struct {
		s    news.Story
		heat float64
	}
	var hot []ranked
	for _, s := range stories {
		age := now.Sub(s.Published)
		if len(s.Items) == 0 || age > window {
			continue
		}
		n := news.Outlets(&s)
		if n < least {
			continue
		}
		hot = append(hot, ranked{s, float64(n) * math.Exp2(-4*max(age, 0).Hours()/window.Hours())})
	}
	slices.SortStableFunc(hot, func(a, b ranked) int {
		return cmp.Or(-cmp.Compare(a.heat, b.heat), b.s.Updated.Compare(a.s.Updated), strings.Compare(a.s.Key, b.s.Key))
	})
	out := make([]news.Story, 0, min(len(hot), cmp.Or(t.Limit, p.opts.Limit)))
	for _, h := range hot[:min(len(hot), cap(out))] {
		out = append(out, h.s)
	}
	return out
}
