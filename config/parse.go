package config

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Parse decodes YAML from r over the defaults. name is the file name used in
// messages and to resolve relative paths. Unknown keys and values of the
// wrong type are reported as Errors; the returned Config holds everything
// that did decode, so Validate can report the remaining problems too. A nil
// Config means the input is not YAML at all.
func Parse(r io.Reader, name string) (*Config, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("config: read %s: %w", name, err)
	}
	if len(data) > MaxSize {
		return nil, Errors{{File: name, Msg: fmt.Sprintf("larger than %d MiB: a config of %d sources is far smaller", MaxSize>>20, MaxSources)}}
	}
	c := Default()
	c.file = name
	c.lines = map[string]int{}

	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, Errors{syntaxError(data, err, name)}
	}
	if len(doc.Content) == 0 { // empty file: all defaults
		return c, nil
	}
	root := doc.Content[0]
	var errs Errors
	w := walker{file: name, lines: c.lines, byLine: map[int]string{}, typeErrLines: map[int]bool{}, aliased: map[*yaml.Node]bool{}}
	w.walk(root, reflect.TypeOf(*c), "", &errs)

	if err := root.Decode(c); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, Errors{{File: name, Msg: err.Error()}}
		}
		// The walker reported each wrong value at its own path; a line
		// may hold several (flow style: {name: a, priority: high}).
		for _, msg := range te.Errors {
			line := yamlErrLine(errors.New(msg))
			if !w.typeErrLines[line] {
				errs = append(errs, &Error{Path: w.byLine[line], File: name, Line: line, Msg: lineRE.ReplaceAllString(msg, "")})
			}
		}
	}
	if len(errs) > 0 {
		errs.sort()
		return c, errs
	}
	return c, nil
}

var lineRE = regexp.MustCompile(`^(yaml: )?line (\d+): `)

// syntaxError is a YAML syntax error at the line where the document goes
// wrong. The parser names the line where the construct it was reading
// began ("did not find expected '-' indicator" at a list's first line,
// for a bad indentation three lines down), so the line is found again:
// the first line whose document up to it fails the same way, found by
// bisection (a document up to a line before the fault parses, or fails
// otherwise: it ends mid-construct).
func syntaxError(data []byte, err error, name string) *Error {
	msg := lineRE.ReplaceAllString(err.Error(), "")
	e := &Error{File: name, Line: yamlErrLine(err), Msg: msg}
	ends := []int{} // ends[i]: the byte after line i+1
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	fails := func(line int) bool { // the document up to line fails as data does
		var n yaml.Node
		perr := yaml.Unmarshal(data[:ends[line-1]], &n)
		return perr != nil && lineRE.ReplaceAllString(perr.Error(), "") == msg
	}
	lo, hi := 1, len(ends)
	for lo < hi {
		if mid := (lo + hi) / 2; fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if fails(hi) {
		e.Line = hi
	}
	return e
}

func yamlErrLine(err error) int {
	m := lineRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[2])
	return n
}

// walker checks a YAML tree against the Go types it will decode into, so an
// unknown key is reported with its full path, and records the line of every
// field for later messages.
type walker struct {
	file         string
	lines        map[string]int      // path -> line
	byLine       map[int]string      // line -> path of the value on it
	typeErrLines map[int]bool        // lines where a value of the wrong type was reported
	aliased      map[*yaml.Node]bool // anchors already walked through an alias
}

func (w walker) walk(n *yaml.Node, t reflect.Type, path string, errs *Errors) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		// An anchor's content is checked once, at its first use: its
		// problems are at the anchor's lines, however often it is used.
		if path != "" {
			w.lines[path] = n.Line
		}
		if w.aliased[n.Alias] {
			return
		}
		w.aliased[n.Alias] = true
		n = n.Alias
	}
	if path != "" {
		w.lines[path] = n.Line
		if _, ok := w.byLine[n.Line]; !ok || n.Kind == yaml.ScalarNode {
			w.byLine[n.Line] = path
		}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i], n.Content[i+1]
			if key.Tag == "!!merge" { // <<: *base, or <<: [*a, *b]: their keys are this mapping's
				merged := []*yaml.Node{val}
				if val.Kind == yaml.SequenceNode {
					merged = val.Content
				}
				for _, m := range merged {
					w.walk(m, t, path, errs)
				}
				continue
			}
			sub := key.Value
			if path != "" {
				sub = path + "." + key.Value
			}
			f, ok := fields[key.Value]
			if !ok {
				*errs = append(*errs, &Error{Path: sub, File: w.file, Line: key.Line, Msg: "unknown key" + suggest(key.Value, fields)})
				continue
			}
			w.lines[sub] = key.Line
			w.walk(val, f.Type, sub, errs)
		}
	case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		for i, el := range n.Content {
			w.walk(el, t.Elem(), fmt.Sprintf("%s[%d]", path, i), errs)
		}
	case n.Kind == yaml.ScalarNode && path != "":
		// A leaf: decode it alone, so a wrong value is reported at its own
		// path, whatever else shares its line.
		if err := n.Decode(reflect.New(t).Interface()); err != nil {
			msg := err.Error()
			var te *yaml.TypeError
			if errors.As(err, &te) && len(te.Errors) > 0 {
				msg = te.Errors[0]
			}
			*errs = append(*errs, &Error{Path: path, File: w.file, Line: n.Line, Msg: lineRE.ReplaceAllString(msg, "")})
			w.typeErrLines[n.Line] = true
		}
	}
}

func yamlFields(t reflect.Type) map[string]reflect.StructField {
	m := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if tag == "" || tag == "-" {
			continue
		}
		m[tag] = f
	}
	return m
}

// suggest names the known key closest to an unknown one, for typos.
func suggest(key string, fields map[string]reflect.StructField) string {
	best, bestD := "", 3
	for k := range fields {
		if d := editDistance(key, k); d < bestD || (d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
