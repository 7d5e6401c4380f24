package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"tributary/news"
	"tributary/store"
	"tributary/text"
)

// DeliveryHeader carries a request's delivery id: the same on every
// attempt to send the same alerts (a retry, a resend after a crash
// between sending and recording), so a receiver can drop a repeat. The
// body carries it too ("delivery").
const DeliveryHeader = "X-Tributary-Delivery"

// deliveryID names an alert for ever: a hash of what makes it unique in
// the outbox (topic, story, kind, target), so it survives a restart, a
// rebuilt outbox row or another replica sending it.
func deliveryID(a store.Alert) string {
	h := sha256.Sum256([]byte(a.Topic + "\x00" + a.Story + "\x00" + a.Kind + "\x00" + a.Target))
	return hex.EncodeToString(h[:16])
}

// digestID names a digest by the alerts it gathers.
func digestID(alerts []store.Alert) string {
	if len(alerts) == 1 {
		return deliveryID(alerts[0])
	}
	ids := make([]string, len(alerts))
	for i, a := range alerts {
		ids[i] = deliveryID(a)
	}
	slices.Sort(ids)
	h := sha256.Sum256([]byte(strings.Join(ids, ",")))
	return hex.EncodeToString(h[:16])
}

// Redact returns a target's URL as logs and errors may show it: scheme
// and host only, for its path and query are often the secret (an ntfy
// topic, a webhook's token).
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(a target URL)"
	}
	out := u.Scheme + "://" + u.Host
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		out += "/…"
	}
	return out
}

// Outlet is one outlet's copy of a story, in a webhook's body.
type Outlet struct {
	Source string `json:"source"`
	Title  string `json:"title"`
	Link   string `json:"link"`
}

// Story is one announced story, in a webhook's body.
type Story struct {
	// Delivery is the alert's delivery id (DeliveryHeader): a digest
	// lists each story's own.
	Delivery string   `json:"delivery"`
	Story    string   `json:"story"`
	Kind     string   `json:"kind"` // new, or update when another outlet joined
	Title    string   `json:"title"`
	Link     string   `json:"link"`
	Outlets  []Outlet `json:"outlets"`
}

// Payload is a webhook's JSON body: one story, or a digest of several
// (Stories) for a topic that batches.
type Payload struct {
	Topic   string  `json:"topic"`
	Story           // one alert
	Stories []Story `json:"stories,omitempty"` // a digest
}

// story reads an alert's story as its alert shows it.
func (d *Deliverer) story(ctx context.Context, a store.Alert) (Story, error) {
	items, err := d.store.StoryItems(ctx, a.Story)
	if err != nil {
		return Story{}, err
	}
	s := Story{Delivery: deliveryID(a), Story: a.Story, Kind: a.Kind}
	seen := map[string]bool{}
	for _, it := range items {
		title := text.Headline(it.Title, it.Body(), it.Untitled()) // never empty
		if s.Title == "" {
			s.Title, s.Link = title, news.SafeURL(it.Link)
		}
		if !seen[it.Source] {
			seen[it.Source] = true
			s.Outlets = append(s.Outlets, Outlet{Source: it.Source, Title: title, Link: news.SafeURL(it.Link)})
		}
	}
	return s, nil
}

// send delivers alerts of one topic to target: one, or a digest.
func (d *Deliverer) send(ctx context.Context, target Target, topic string, alerts []store.Alert) error {
	var stories []Story
	for _, a := range alerts {
		s, err := d.story(ctx, a)
		if err != nil {
			return err
		}
		stories = append(stories, s)
	}
	if target.Ntfy {
		var body bytes.Buffer
		for i, s := range stories {
			if i > 0 {
				body.WriteByte('\n')
			}
			outlets := "1 outlet"
			if len(s.Outlets) != 1 {
				outlets = fmt.Sprintf("%d outlets", len(s.Outlets))
			}
			fmt.Fprintf(&body, "%s (%s)", s.Title, outlets)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.URL, &body)
		if err != nil {
			return err
		}
		req.Header.Set("Title", "tributary: "+topic)
		req.Header.Set(DeliveryHeader, digestID(alerts))
		if len(stories) == 1 && stories[0].Link != "" {
			req.Header.Set("Click", stories[0].Link)
		}
		return d.do(req)
	}
	p := Payload{Topic: topic}
	if len(stories) == 1 {
		p.Story = stories[0]
	} else {
		p.Delivery, p.Stories = digestID(alerts), stories
	}
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(DeliveryHeader, digestID(alerts))
	if target.Secret != "" {
		mac := hmac.New(sha256.New, []byte(target.Secret))
		mac.Write(body)
		req.Header.Set(SignatureHeader, "sha256="+hex.EncodeToString(mac.Sum(nil)))
	}
	return d.do(req)
}

// do sends req; its errors name the target redacted.
func (d *Deliverer) do(req *http.Request) error {
	target := Redact(req.URL.String())
	resp, err := d.opts.Client.Do(req)
	if err != nil {
		var ue *url.Error // names the whole URL
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("%s: %w", target, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%s answered %s", target, resp.Status)
	}
	return nil
}
