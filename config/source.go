package config

import (
	"net/url"
	"path/filepath"
	"time"
)

// Source is one upstream feed.
type Source struct {
	// Name is unique: lower-case letters, digits and '-'.
	Name string `yaml:"name"`
	// URL is http(s) or file. A relative file URL (file:feeds/a.xml) is
	// relative to the config file's directory.
	URL string `yaml:"url"`
	// Schedule overrides defaults.schedule.
	Schedule string `yaml:"schedule"`
	// Priority decides which copy represents a story: higher wins.
	Priority int `yaml:"priority"`
	// Timeout overrides defaults.timeout.
	Timeout time.Duration `yaml:"timeout"`
	// AllowPrivate lets this source reach internal addresses on every
	// redirect hop (see defaults.allow_private). A URL naming such an
	// address itself, or localhost, may reach that host and port without it.
	AllowPrivate bool `yaml:"allow_private"`
	// Headers are sent with every fetch of this source (Authorization:
	// Bearer …), to its URL's origin only. Values may be ${ENV} or file:.
	Headers map[string]string `yaml:"headers"`
	// BasicAuth is HTTP basic authentication; the password may be ${ENV}
	// or file:.
	BasicAuth *BasicAuth `yaml:"basic_auth"`
	// Cookie is sent as the Cookie header; may be ${ENV} or file:.
	Cookie string `yaml:"cookie"`
	// Proxy fetches through an http, https or socks5 proxy.
	Proxy string `yaml:"proxy"`
	// FullText fetches each new item's page and publishes its article
	// (readability) as the item's content, for feeds that give a teaser.
	FullText bool `yaml:"full_text"`
	// Title is the outlet's name, credited on its items, in "Also
	// reported by", on the front page, in alerts and in status; default:
	// the name the feed's title gives.
	Title string `yaml:"title"`
	// Section names the topic by example (a section such as sports) every
	// item of this source belongs to: a section feed of its outlet. Its
	// items are filed there and teach the section its words.
	Section string `yaml:"section"`
	// FullTextSelector is a CSS selector for the article, where
	// readability picks the wrong part of the page.
	FullTextSelector string `yaml:"full_text_selector"`
}

// BasicAuth is a user name and password.
type BasicAuth struct {
	User     string `yaml:"user"`
	Password string `yaml:"password"`
}

// SourceSchedule returns the schedule of s, falling back to the default.
func (c *Config) SourceSchedule(s Source) string {
	if s.Schedule != "" {
		return s.Schedule
	}
	return c.Defaults.Schedule
}

// SourceTimeout returns the timeout of s, falling back to the default.
func (c *Config) SourceTimeout(s Source) time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return c.Defaults.Timeout
}

// SourceURL returns the URL to fetch for s. A relative file URL
// (file:feeds/world.xml) is made absolute against the config file's
// directory, so the config works from any working directory.
func (c *Config) SourceURL(s Source) string {
	u, err := url.Parse(s.URL)
	if err != nil || u.Scheme != "file" {
		return s.URL
	}
	p := u.Opaque
	if p == "" {
		p = u.Path
		if u.Host != "" && u.Host != "localhost" { // file://feeds/a.xml: meant relative
			p = u.Host + u.Path
		}
	}
	if !filepath.IsAbs(p) {
		abs, err := filepath.Abs(filepath.Join(c.Dir(), p))
		if err == nil {
			p = abs
		}
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String()
}
