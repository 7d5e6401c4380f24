package publish

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// pingHub tells the WebSub hub that feeds changed (hub.mode=publish), one
// request per feed. A hub that fails is logged; feeds are served anyway.
func (p *Publisher) pingHub(ctx context.Context, feeds []string) {
	if p.opts.Leader != nil && !p.opts.Leader(ctx) {
		return // another replica pings
	}
	for _, f := range feeds {
		if err := p.ping(ctx, f); err != nil {
			p.log.Warn("websub ping failed", "hub", p.opts.Hub, "feed", f, slog.Any("err", err))
		}
	}
}

func (p *Publisher) ping(ctx context.Context, feed string) error {
	form := url.Values{"hub.mode": {"publish"}, "hub.url": {feed}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.opts.Hub, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := p.opts.HubClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("hub answered %s", resp.Status)
	}
	return nil
}
