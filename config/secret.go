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
