// Package shared finds the public test material kept beside the project
// (../shared/data: real and hostile feeds, labelled headlines), which the
// project may read but never copy. A test that needs it skips, saying so,
// when it is absent; with TRIBUTARY_REQUIRE_SHARED=1 (CI sets it) it
// fails instead. For tests only.
package shared

import (
	"os"
	"path/filepath"
	"testing"
)

// Require is the environment variable that makes missing data a failure.
const Require = "TRIBUTARY_REQUIRE_SHARED"

// Path returns the path of rel inside the shared data directory: the
// first shared/data found beside the working directory or one of its
// parents. When it is missing the test is skipped, or fails under Require.
func Path(t testing.TB, rel string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "..", "shared", "data", rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if os.Getenv(Require) != "" {
		t.Fatalf("shared test data %s not found beside the project, and %s is set", rel, Require)
	}
	t.Skipf("shared test data %s not found beside the project (../shared/data): skipped", rel)
	return ""
}
