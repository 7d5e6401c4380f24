package config

import (
	"fmt"
	"os"
	"strings"
)

// Secret returns the value a secret setting names. file:/path is the
// file's content without its trailing newline; anything else has each
// ${NAME} in it replaced by the environment variable NAME ("Bearer
// ${PAPER_TOKEN}"), and $$ by a single $. A $ before anything else is
// kept as it is. So a config can be committed without its secrets.
// Errors name the variable or file, never a value.
func Secret(s string, getenv func(string) string) (string, error) {
	if path, ok := strings.CutPrefix(s, "file:"); ok {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("secret file: %w", err)
		}
		v := strings.TrimRight(string(b), "\r\n")
		if v == "" {
			return "", fmt.Errorf("secret file %s is empty", path)
		}
		return v, nil
	}
	if !strings.Contains(s, "$") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] != '$' || i+1 == len(s):
			b.WriteByte(s[i])
		case s[i+1] == '$':
			b.WriteByte('$')
			i++
		case s[i+1] == '{':
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				return "", fmt.Errorf("unterminated ${ (write $$ for a literal $)")
			}
			name := s[i+2 : i+2+end]
			if name == "" {
				return "", fmt.Errorf("empty ${} (write $$ for a literal $)")
			}
			v := getenv(name)
			if v == "" {
				return "", fmt.Errorf("environment variable %s is not set", name)
			}
			b.WriteString(v)
			i += 2 + end
		default:
			b.WriteByte('$')
		}
	}
	return b.String(), nil
}

// isReference reports whether a secret setting's value names a secret to
// be read (file:, ${NAME}) rather than being the value itself.
func isReference(s string) bool {
	return strings.HasPrefix(s, "file:") || strings.Contains(s, "${") || strings.Contains(s, "$$")
}

// secretSettings calls fn with the path and address of every secret
// setting: sources' headers, basic-auth users and passwords, cookies and
// proxies; notify targets' webhook and ntfy URLs and secrets;
// publish.tokens. Map values are written back after fn.
func (c *Config) secretSettings(fn func(path string, v *string)) {
	for i := range c.Sources {
		s := &c.Sources[i]
		p := fmt.Sprintf("sources[%d]", i)
		for k, v := range s.Headers {
			fn(p+".headers."+k, &v)
			s.Headers[k] = v
		}
		if s.BasicAuth != nil {
			fn(p+".basic_auth.user", &s.BasicAuth.User)
			fn(p+".basic_auth.password", &s.BasicAuth.Password)
		}
		fn(p+".cookie", &s.Cookie)
		fn(p+".proxy", &s.Proxy)
	}
	for i := range c.Topics {
		for j := range c.Topics[i].Notify {
			n := &c.Topics[i].Notify[j]
			p := fmt.Sprintf("topics[%d].notify[%d]", i, j)
			fn(p+".webhook", &n.Webhook)
			fn(p+".ntfy", &n.Ntfy)
			fn(p+".secret", &n.Secret)
		}
	}
	for i := range c.Publish.Tokens {
		fn(fmt.Sprintf("publish.tokens[%d]", i), &c.Publish.Tokens[i])
	}
}

// resolveSecrets replaces every secret setting written with ${NAME} or
// file: by its value. With getenv nil nothing is read: the settings keep
// their references. Either way a setting left unresolved is remembered,
// so Validate does not judge the reference's shape as if it were the
// value. Errors name the setting, never a value, and are marked Secret.
func (c *Config) resolveSecrets(getenv func(string) string) Errors {
	var errs Errors
	c.unresolved = map[string]bool{}
	c.secretSettings(func(path string, v *string) {
		if !isReference(*v) {
			return
		}
		if getenv == nil {
			c.unresolved[path] = true
			return
		}
		s, err := Secret(*v, getenv)
		if err != nil {
			c.unresolved[path] = true
			errs = append(errs, &Error{Path: path, File: c.file, Line: c.line(path), Msg: err.Error(), Secret: true})
			return
		}
		*v = s
	})
	return errs
}

// resolved reports whether the setting at path holds its value (not a
// reference left unread), so that its shape may be checked.
func (c *Config) resolved(path string) bool { return !c.unresolved[path] }
