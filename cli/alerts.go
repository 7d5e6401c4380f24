package cli

import (
	"time"

	"tributary/config"
	"tributary/notify"
	"tributary/store"
)

// buildAlerts returns the notifying topics' rules for the store, and the
// targets and digest windows for delivery.
func buildAlerts(cfg *config.Config) ([]store.AlertRule, map[string]notify.Target, map[string]time.Duration) {
	var rules []store.AlertRule
	targets := map[string]notify.Target{}
	batch := map[string]time.Duration{}
	for _, t := range cfg.Topics {
		if len(t.Notify) == 0 {
			continue
		}
		r := store.AlertRule{Topic: t.Name, MinSources: max(1, t.MinSources), Updates: t.NotifyUpdates}
		for _, n := range t.Notify {
			r.Targets = append(r.Targets, n.URL())
			targets[n.URL()] = notify.Target{URL: n.URL(), Ntfy: n.Ntfy != "", Secret: n.Secret}
		}
		rules = append(rules, r)
		if t.Batch > 0 {
			batch[t.Name] = t.Batch
		}
	}
	return rules, targets, batch
}
