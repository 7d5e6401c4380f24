package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// includeTopics appends the topics of every included file (Include) to
// the config's, each checked as the config's own are. An included file
// holds a topics: list and nothing else.
func (c *Config) includeTopics() Errors {
	var errs Errors
	for i, path := range c.Include {
		p := path
		if !filepath.IsAbs(p) {
			p = filepath.Join(c.Dir(), p)
		}
		field := fmt.Sprintf("include[%d]", i)
		data, err := os.ReadFile(p)
		if err != nil {
			errs = append(errs, &Error{Path: field, File: c.file, Line: c.lines[field], Msg: err.Error()})
			continue
		}
		inc, err := Parse(bytes.NewReader(data), p)
		if err != nil {
			if e, ok := err.(Errors); ok {
				errs = append(errs, e...)
			} else {
				errs = append(errs, &Error{Path: field, File: c.file, Line: c.lines[field], Msg: err.Error()})
			}
			continue
		}
		if len(inc.Sources) > 0 || len(inc.OPML) > 0 || len(inc.Include) > 0 {
			errs = append(errs, &Error{Path: field, File: c.file, Line: c.lines[field],
				Msg: fmt.Sprintf("%s: an included file holds topics: only", path)})
			continue
		}
		c.Topics = append(c.Topics, inc.Topics...)
	}
	return errs
}

// LoadTopics reads the topics of a config file or of a topics file (with
// its includes), checking them as Load does but asking for no sources:
// for `tributary eval -topics`.
func LoadTopics(path string) ([]Topic, error) {
	c, err := Load(path)
	if c == nil {
		return nil, err
	}
	if errs, ok := err.(Errors); ok {
		var left Errors
		for _, e := range errs {
			if e.Path != "sources" {
				left = append(left, e)
			}
		}
		if len(left) > 0 {
			return nil, left
		}
	} else if err != nil {
		return nil, err
	}
	return c.Topics, nil
}
