package dedupe

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDecisionsUnchanged: the index's decisions on 20,000 synthetic
// headlines (BenchmarkIndex's) — each item's story and reason — are
// those recorded in testdata. A change that means to decide
// differently records them anew with UPDATE_DECISIONS=1, and says so; one
// that means to be only faster must leave them be.
func TestDecisionsUnchanged(t *testing.T) {
	items := syntheticHeadlines(20_000)
	x, err := NewIndex(Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	merged := 0
	for i := range items {
		b := x.Begin()
		m := b.Assign(&items[i])
		b.Commit()
		fmt.Fprintf(h, "%d %s %s\n", i, m.Story, m.Reason)
		if m.Reason != ReasonNew {
			merged++
		}
	}
	got := fmt.Sprintf("%s merged %d\n", hex.EncodeToString(h.Sum(nil)), merged)
	golden := filepath.Join("testdata", "decisions.golden")
	if os.Getenv("UPDATE_DECISIONS") != "" {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("decisions changed: %s, recorded %s(UPDATE_DECISIONS=1 records them, if the change is meant)", strings.TrimSpace(got), want)
	}
}
