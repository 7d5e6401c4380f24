package feed

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tributary/fetch"
	"tributary/news"
)

// maxItems is the entries a poll keeps by default (fetch.max_items).
const maxItems = 500

// craft returns a 10 MiB document of a kind an attacker or a broken
// upstream might send.
func craft(kind string) []byte {
	const size = 10 << 20
	var b bytes.Buffer
	b.Grow(size + 1<<16)
	fill := func(head, item, tail string, sep string) {
		b.WriteString(head)
		for i := 0; b.Len() < size-len(tail)-len(item)-16; i++ {
			if i > 0 {
				b.WriteString(sep)
			}
			fmt.Fprintf(&b, item, i)
		}
		b.WriteString(tail)
	}
	switch kind {
	case "rss-empty-items":
		fill(`<rss version="2.0"><channel><title>t</title>`, "<item><guid>%d</guid></item>", `</channel></rss>`, "")
	case "atom-empty-entries":
		fill(`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>`, "<entry><id>%d</id></entry>", `</feed>`, "")
	case "json-empty-items":
		fill(`{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[`, `{"id":"%d"}`, `]}`, ",")
	case "rss-nested":
		n := (size - 200) / 7
		b.WriteString(`<rss version="2.0"><channel><title>t</title><item><description>`)
		b.WriteString(strings.Repeat("<a>", n) + strings.Repeat("</a>", n))
		b.WriteString(`</description></item></channel></rss>`)
	case "json-nested":
		n := (size - 100) / 2
		b.WriteString(`{"version":"https://jsonfeed.org/version/1.1","items":[` + strings.Repeat("[", n) + strings.Repeat("]", n) + `]}`)
	case "atom-attributes":
		fill(`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>1</id><link `, `a%d="x" `, `/></entry></feed>`, "")
	case "rss-one-huge-description":
		b.WriteString(`<rss version="2.0"><channel><title>t</title><item><guid>1</guid><description>`)
		b.WriteString(strings.Repeat("word ", (size-200)/5))
		b.WriteString(`</description></item></channel></rss>`)
	case "json-one-huge-content":
		b.WriteString(`{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","content_html":"`)
		b.WriteString(strings.Repeat(`w\u00e9 \"`, (size-200)/12))
		b.WriteString(`"}]}`)
	case "rss-one-huge-cdata":
		b.WriteString(`<rss version="2.0"><channel><title>t</title><item><guid>1</guid><description><![CDATA[`)
		b.WriteString(strings.Repeat("<p>word</p>", (size-200)/11))
		b.WriteString(`]]></description></item></channel></rss>`)
	case "rss-500-heavy-items":
		para := strings.Repeat("lorem ipsum dolor ", 1100)
		fill(`<rss version="2.0"><channel><title>t</title>`, "<item><guid>%d</guid><title>A headline of ordinary length</title><description>&lt;p&gt;"+para+"&lt;/p&gt;</description></item>", `</channel></rss>`, "")
	case "rss-huge-titles":
		title := strings.Repeat("t", 20000)
		fill(`<rss version="2.0"><channel><title>t</title>`, "<item><guid>%d</guid><title>"+title+"</title></item>", `</channel></rss>`, "")
	}
	return b.Bytes()
}

var craftedKinds = []string{"rss-empty-items", "atom-empty-entries", "json-empty-items", "rss-nested", "json-nested",
	"atom-attributes", "rss-one-huge-description", "rss-one-huge-cdata", "json-one-huge-content", "rss-500-heavy-items", "rss-huge-titles"}

// TestParseMemory parses each crafted 10 MiB document in a child process,
// alone and eight at once, as polls would (parse, then normalise what is
// kept), and bounds the child's peak resident memory above its idle
// level: at most 100 MB for one, 600 MB for eight.
func TestParseMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 10 MiB documents in child processes")
	}
	if raceEnabled {
		t.Skip("the race detector multiplies memory; scripts/test measures it in the runs without -race")
	}
	if _, err := os.Stat("/proc/self/clear_refs"); err != nil {
		t.Skip("needs Linux /proc to read peak memory")
	}
	for _, kind := range craftedKinds {
		for _, n := range []int{1, 8} {
			cmd := exec.Command(os.Args[0], "-test.run=^TestParseMemoryChild$", "-test.v")
			cmd.Env = append(os.Environ(), "TRIBUTARY_MEMORY_CHILD="+kind, "TRIBUTARY_MEMORY_N="+strconv.Itoa(n))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s ×%d: %v\n%s", kind, n, err, out)
			}
			var peak, items int
			var parseErr string
			for _, line := range strings.Split(string(out), "\n") {
				if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "memory:"); ok {
					fmt.Sscanf(rest, "%d %d", &peak, &items)
					_, parseErr, _ = strings.Cut(rest, "err=")
				}
			}
			limit := 100 << 20
			if n == 8 {
				limit = 600 << 20
			}
			t.Logf("%-26s ×%d: peak %4d MB above idle, %4d items kept, %s", kind, n, peak>>20, items, parseErr)
			if peak == 0 || peak > limit {
				t.Errorf("%s ×%d: peak %d MB, want at most %d MB", kind, n, peak>>20, limit>>20)
			}
			if items > n*maxItems {
				t.Errorf("%s ×%d: %d items kept, want at most %d per document", kind, n, items, maxItems)
			}
		}
	}
}

// TestParseMemoryChild is TestParseMemory's child: it reports its peak
// resident memory while parsing, above what it held before the documents
// existed.
func TestParseMemoryChild(t *testing.T) {
	kind := os.Getenv("TRIBUTARY_MEMORY_CHILD")
	if kind == "" {
		t.Skip("run by TestParseMemory")
	}
	n, _ := strconv.Atoi(os.Getenv("TRIBUTARY_MEMORY_N"))
	settle := func() {
		runtime.GC()
		debug.FreeOSMemory()
	}
	settle()
	idle := rss(t, "VmRSS")
	doc := craft(kind)
	bodies := make([][]byte, n)
	for i := range bodies {
		bodies[i] = bytes.Clone(doc)
	}
	doc = nil
	settle()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Fatal(err)
	}
	norm := NewReader()
	var wg sync.WaitGroup
	var mu sync.Mutex
	items, errs := 0, map[string]bool{}
	for i := range bodies {
		wg.Go(func() {
			resp := &fetch.Response{Status: 200, Body: bodies[i], ContentType: "application/xml"}
			bodies[i] = nil
			feed, _, err := parse(resp, maxItems)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs[err.Error()] = true
				return
			}
			for _, en := range entries(feed, "https://example.com/") {
				norm.Item(news.Source{Name: "s"}, en, time.Now())
				items++
			}
		})
	}
	wg.Wait()
	var msgs []string
	for e := range errs {
		msgs = append(msgs, e)
	}
	fmt.Printf("memory: %d %d err=%s\n", rss(t, "VmHWM")-idle, items, strings.Join(msgs, "; "))
}

// rss reads a memory figure of this process from /proc, in bytes.
func rss(t *testing.T, field string) int {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}
