package publish

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"tributary/news"
	"tributary/store"
)

// Hot stories: what several outlets carry now. Each topic, and the
// catch-all, has a hot feed (/feeds/hot.rss, /feeds/{topic}.hot.rss):
// of every story of the last Window carried by at least MinSources
// different sources, those with the most heat (store.Heat: the outlets,
// halved for every quarter of the window since the story was first
// published), re-ranked as heat decays (RunHot). An entry
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

// hotStories returns topic t's hot stories now, best first, at most its
// limit: ranked by the store over every story of the hot window (not
// only the newest), then muted items taken out and the rest ranked
// again on the outlets left.
func (p *Publisher) hotStories(ctx context.Context, t news.Topic, withPrivate bool) ([]news.Story, error) {
	now := p.opts.Now()
	window, least := p.opts.Hot.Window, p.opts.Hot.MinSources
	limit := cmp.Or(t.Limit, p.opts.Limit)
	// Read more than shown: muting may take a story below least.
	stories, err := p.store.HotStories(ctx, t.Name, p.privateFor(t, withPrivate), now, window, least, limit*filterHeadroom)
	if err != nil {
		return nil, err
	}
	p.unmute(stories)
	type ranked struct {
		s    news.Story
		heat float64
	}
	var hot []ranked
	for _, s := range stories {
		if n := news.Outlets(&s); n >= least && len(s.Items) > 0 {
			hot = append(hot, ranked{s, store.Heat(n, now.Sub(s.Published), window)})
		}
	}
	slices.SortStableFunc(hot, func(a, b ranked) int {
		return cmp.Or(-cmp.Compare(a.heat, b.heat), b.s.Updated.Compare(a.s.Updated), strings.Compare(a.s.Key, b.s.Key))
	})
	out := make([]news.Story, 0, min(len(hot), limit))
	for _, h := range hot[:min(len(hot), limit)] {
		out = append(out, h.s)
	}
	return out, nil
}

// RunRerank marks every topic changed every Options.Rerank until ctx is
// done, so that Run renders them again: a quiet topic's hot feed follows
// its stories' heat as it decays, and its feeds drop what max_age
// expires, though no new story came. A document whose bytes are the same
// is kept as it was.
func (p *Publisher) RunRerank(ctx context.Context) {
	t := time.NewTicker(p.opts.Rerank)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		p.refresh.Lock()
		names := make([]string, 0, len(p.topics))
		for _, tp := range p.topics {
			names = append(names, tp.Name)
		}
		p.refresh.Unlock()
		p.Changed(ctx, names)
	}
}
