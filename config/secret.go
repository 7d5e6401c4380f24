package config

import (
	"fmt"
	"os"
	"strings"
)

// Secret returns the value a secret setting names: ${NAME}, the
// environment variable NAME; file:/path, the file's content without its
// trailing newline; anything else, itself. So a config can be committed
// without its secrets. Errors name the variable or file, never a value.
func Secret(s string, getenv func(string) string) (string, error) {
	switch {
	case strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}"):
		name := s[2 : len(s)-1]
		v := getenv(name)
		if v == "" {
			return "", fmt.Errorf("environment variable %s is not set", name)
		}
		return v, nil
	case strings.HasPrefix(s, "file:"):
		b, err := os.ReadFile(strings.TrimPrefix(s, "file:"))
		if err != nil {
			return "", fmt.Errorf("secret file: %w", err)
		}
		v := strings.TrimRight(string(b), "\r\n")
		if v == "" {
			return "", fmt.Errorf("secret file %s is empty", strings.TrimPrefix(s, "file:"))
		}
		return v, nil
	}
	return s, nil
}

// ResolveSecrets replaces every secret setting written ${ENV} or file:
// by its value — sources' headers, basic-auth passwords, cookies and
// proxies, publish.tokens — so the config file can be committed without
// them. Errors name the setting, never a value.
func (c *Config) ResolveSecrets(getenv func(string) string) error {
	var errs Errors
	resolve := func(path string, v *string) {
		s, err := Secret(*v, getenv)
		if err != nil {
			errs = append(errs, &Error{Path: path, File: c.file, Line: c.lines[path], Msg: err.Error()})
			return
		}
		*v = s
	}
	for i := range c.Sources {
		s := &c.Sources[i]
		p := fmt.Sprintf("sources[%d]", i)
		for k, v := range s.Headers {
			resolve(p+".headers."+k, &v)
			s.Headers[k] = v
		}
		if s.BasicAuth != nil {
			resolve(p+".basic_auth.password", &s.BasicAuth.Password)
		}
		resolve(p+".cookie", &s.Cookie)
		resolve(p+".proxy", &s.Proxy)
	}
	for i := range c.Topics {
		for j := range c.Topics[i].Notify {
			resolve(fmt.Sprintf("topics[%d].notify[%d].secret", i, j), &c.Topics[i].Notify[j].Secret)
		}
	}
	for i := range c.Publish.Tokens {
		resolve(fmt.Sprintf("publish.tokens[%d]", i), &c.Publish.Tokens[i])
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
