package feed

import (
	"testing"
	"time"
)

func TestRSSTTL(t *testing.T) {
	for body, want := range map[string]time.Duration{
		`<rss><channel><title>t</title><ttl>60</ttl><item><title>x</title></item></channel></rss>`: time.Hour,
		`<rss><channel><ttl> 15 </ttl></channel></rss>`:                                            15 * time.Minute,
		`<rss><channel><item><ttl>60</ttl></item></channel></rss>`:                                 0, // an item's, not the channel's
		`<rss><channel><ttl>soon</ttl></channel></rss>`:                                            0,
		`<rss><channel><ttl>-5</ttl></channel></rss>`:                                              0,
		`<rss><channel><ttl>999999</ttl></channel></rss>`:                                          7 * 24 * time.Hour,
		`<feed><title>atom</title></feed>`:                                                         0,
	} {
		if got := rssTTL([]byte(body)); got != want {
			t.Errorf("rssTTL(%s) = %v, want %v", body, got, want)
		}
	}
}
