package config

import (
	"time"

	"tributary/topic"
)

// Topic is one curated feed and the rules that fill it.
type Topic struct {
	// Name is a unique slug; the feed is served at /feeds/<name>.rss.
	Name string `yaml:"name"`
	// Title is shown in feed readers; defaults to Name.
	Title string `yaml:"title"`
	// Any: an item matching at least one of these terms is in the topic.
	Any []string `yaml:"any"`
	// All: an item must match every one of these terms.
	All []string `yaml:"all"`
	// None: an item matching any of these terms is left out.
	None []string `yaml:"none"`
	// Sources, when set, limits the topic to items from these sources.
	Sources []string `yaml:"sources"`
	// Like are example headlines or short phrases: an item whose terms
	// are enough like theirs and the keywords' (MinScore) is in the topic
	// even when no rule matches.
	Like []string `yaml:"like"`
	// MinScore is the score in (0,1] an item needs with Like; default
	// topic.DefaultMinScore.
	MinScore float64 `yaml:"min_score"`
	// MinConfidence is the confidence in (0,1) an item joining by example
	// must reach (topic.Confidence: how likely the topic is right, from
	// its score, its lead over the group's next topic and how much the
	// item says); default the built-in calibration's threshold.
	MinConfidence float64 `yaml:"min_confidence"`
	// Exclusive names a group: an item joins only the best-scoring topic
	// of its group (sections of a newspaper, say).
	Exclusive string `yaml:"exclusive"`

	// Limit is how many entries the topic's feeds show; default
	// publish.limit.
	Limit int `yaml:"limit"`
	// MaxAge leaves out stories published longer ago than this.
	MaxAge time.Duration `yaml:"max_age"`
	// PerSource shows at most this many entries whose representative
	// comes from one source, so one prolific outlet cannot flood the feed.
	PerSource int `yaml:"per_source"`
	// MinSources shows only stories at least this many outlets carry.
	MinSources int `yaml:"min_sources"`
	// Private makes the topic's feeds ask for a token (publish.tokens),
	// and keeps it off the front page and the OPML list without one.
	Private bool `yaml:"private"`

	// Notify lists where a story of the topic is announced, once, when
	// the topic holds it (from min_sources outlets, when set).
	Notify []NotifyTarget `yaml:"notify"`
	// NotifyUpdates announces a story once more when another outlet joins.
	NotifyUpdates bool `yaml:"notify_updates"`
	// Batch gathers the topic's alerts into one digest per window.
	Batch time.Duration `yaml:"batch"`
}

// Rules returns the topic's filing rules as package topic compiles them.
func (t *Topic) Rules() topic.Rules {
	return topic.Rules{Any: t.Any, All: t.All, None: t.None, Sources: t.Sources,
		Like: t.Like, MinScore: t.MinScore, MinConfidence: t.MinConfidence, Exclusive: t.Exclusive}
}

// NotifyTarget is one place alerts go: a webhook or an ntfy topic.
type NotifyTarget struct {
	// Webhook is a URL POSTed JSON alerts.
	Webhook string `yaml:"webhook"`
	// Secret signs a webhook's body (HMAC-SHA256); may be ${ENV} or file:.
	Secret string `yaml:"secret"`
	// Ntfy is an ntfy topic URL (https://ntfy.sh/mytopic).
	Ntfy string `yaml:"ntfy"`
}

// URL returns where the target is.
func (n NotifyTarget) URL() string {
	if n.Webhook != "" {
		return n.Webhook
	}
	return n.Ntfy
}

// Hot tunes the hot feeds: the stories of the last Window that at least
// MinSources different sources carry, most carried first.
type Hot struct {
	// Window is how far back a hot story may have been first published.
	// Default 24h.
	Window time.Duration `yaml:"window"`
	// MinSources is how many outlets must carry a story. Default 2.
	MinSources int `yaml:"min_sources"`
}
