package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Days is a duration that may also be written in days: "30d", "36h".
type Days time.Duration

// UnmarshalYAML reads a Go duration or a whole number of days.
func (d *Days) UnmarshalYAML(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if v, err := strconv.Atoi(days); err == nil && v >= 0 {
			*d = Days(time.Duration(v) * 24 * time.Hour)
			return nil
		}
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: bad duration %q: want e.g. 30d or 720h", n.Line, n.Value)}}
	}
	*d = Days(v)
	return nil
}
