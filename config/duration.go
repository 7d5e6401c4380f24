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
	if err := d.Set(n.Value); err != nil {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %v", n.Line, err)}}
	}
	return nil
}

// Set reads a Go duration or a whole number of days, as a flag.Value.
func (d *Days) Set(s string) error {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if v, err := strconv.Atoi(days); err == nil && v >= 0 {
			*d = Days(time.Duration(v) * 24 * time.Hour)
			return nil
		}
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("bad duration %q: want e.g. 30d or 720h", s)
	}
	*d = Days(v)
	return nil
}

// String writes the duration as Go does.
func (d *Days) String() string { return time.Duration(*d).String() }
