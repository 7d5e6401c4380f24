package cli

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"tributary/internal/fixture"
)

// TestTopicsTry: topics try runs changed rules over the store without
// changing it, and says what would join and leave; check warns of a topic
// that matches nothing stored.
func TestTopicsTry(t *testing.T) {
	now := fixture.Now()
	up := fixture.Upstream(t, now)
	cfg := writeConfig(t, t.TempDir(), up.URL, "")
	run := func(args []string, stdout io.Writer) error { return runCmd(args, stdout, io.Discard, now) }
	if err := run([]string{"fetch", "-config", cfg}, io.Discard); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// ukraine loses its terms and gains "sahel"; a topic
	// that matches nothing is added.
	edited := strings.Replace(string(data), `any: [ukraine, kyiv, "zelensk*", "\"peace talks\"", "/\\bputin\\b/"]`, `any: [sahel]`, 1)
	edited = strings.Replace(edited, "topics:\n", "topics:\n  - {name: nothing, any: [xylophone]}\n", 1)
	if err := os.WriteFile(cfg, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run([]string{"topics", "try", "-config", cfg, "-since", "3650d"}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ukraine: ", "1 would join, 1 would leave", "any: sahel", "  - \"", "nothing: 0 stories filed now, 0 under these rules", "matches nothing"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("topics try output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run([]string{"topics", "try", "-config", cfg, "-topic", "climate", "-since", "3650d"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "climate: ") || strings.Contains(out.String(), "ukraine") {
		t.Errorf("-topic climate:\n%s", out.String())
	}
	// Nothing changed: a second try gives the same answer.
	var again bytes.Buffer
	if err := run([]string{"topics", "try", "-config", cfg, "-topic", "climate", "-since", "3650d"}, &again); err != nil || again.String() != out.String() {
		t.Errorf("a second try: %v\n%s", err, again.String())
	}
	out.Reset()
	if err := run([]string{"check", "-config", cfg}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `warning: topic "nothing" matches nothing in the store`) {
		t.Errorf("check:\n%s", out.String())
	}
	if err := run([]string{"topics", "nope", "-config", cfg}, io.Discard); exitCode(err) != 2 {
		t.Errorf("unknown subcommand: %v", err)
	}
}
