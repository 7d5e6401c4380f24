package config

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"tributary/topic"
)

// RestartKeys returns the keys whose change from old to c a running
// daemon cannot apply, in file order: they take a restart. Sources,
// topics and retention apply at a reload.
func (c *Config) RestartKeys(old *Config) []string {
	var keys []string
	for _, f := range []struct {
		key  string
		a, b any
	}{
		{"listen", c.Listen, old.Listen},
		{"base_url", c.BaseURL, old.BaseURL},
		{"state_dir", c.StateDir, old.StateDir},
		{"metrics_listen", c.MetricsListen, old.MetricsListen},
		{"log", c.Log, old.Log},
		{"fetch", c.Fetch, old.Fetch},
		{"dedupe", c.Dedupe, old.Dedupe},
		{"publish", c.Publish, old.Publish},
		{"hot", c.Hot, old.Hot},
		{"store", c.Store, old.Store},
	} {
		if !reflect.DeepEqual(f.a, f.b) {
			keys = append(keys, f.key)
		}
	}
	return keys
}

// RulesFingerprint identifies the topics' rules and the built-in
// calibration of topics by example: when it changes, every stored item
// is filed again.
func (c *Config) RulesFingerprint() string {
	data, _ := json.Marshal(c.Topics) // plain strings and slices: cannot fail
	sum := sha256.Sum256(append(data, topic.BuiltinConfidenceID()...))
	return hex.EncodeToString(sum[:])
}
