package eval

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"tributary/dedupe"
	"tributary/news"
)

// Pair is two items and whether people judged them one event. A pair
// from a headline file has titles only.
type Pair struct {
	A, B Labelled
	Same bool
}

// ReadPairs reads judged pairs in either of two forms, told apart by the
// first line:
//
//   - TSV lines "score<TAB>headline_a<TAB>headline_b" (STS) with a score
//     from 0 to 5: at least 4 is one event, below 3 two; scores in
//     between and blank scores are skipped, as are lines that are not
//     three fields (a header, say);
//   - CSV with a header naming title_a and title_b, and optionally
//     summary_a, summary_b, outlet_a, outlet_b, published_a, published_b
//     (RFC 3339 or milliseconds), and the judgement: same (1/0, true/false,
//     yes/no) or score (as above).
func ReadPairs(r io.Reader) ([]Pair, error) {
	br := bufio.NewReader(r)
	first, _ := br.Peek(4096)
	if line, _, _ := bytes.Cut(first, []byte("\n")); bytes.Contains(bytes.ToLower(line), []byte("title_a")) {
		return readPairsCSV(br)
	}
	var pairs []Pair
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Split(strings.TrimRight(sc.Text(), "\r"), "\t")
		if len(f) < 3 || strings.TrimSpace(f[0]) == "" {
			continue
		}
		score, err := strconv.ParseFloat(strings.TrimSpace(f[0]), 64)
		if err != nil {
			if line == 1 {
				continue // a header
			}
			return nil, fmt.Errorf("line %d: bad score %q", line, f[0])
		}
		if score >= 3 && score < 4 {
			continue
		}
		pairs = append(pairs, Pair{A: Labelled{Title: f[1]}, B: Labelled{Title: f[2]}, Same: score >= 4})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(pairs) == 0 {
		return nil, errors.New("no scored pairs found")
	}
	return pairs, nil
}

func readPairsCSV(r io.Reader) ([]Pair, error) {
	t, err := readTable(r)
	if err != nil {
		return nil, err
	}
	type side struct{ title, summary, outlet, published column }
	sides := [2]side{}
	for i, s := range []string{"_a", "_b"} {
		sides[i] = side{t.column("title" + s), t.column("summary"+s, "description"+s), t.column("outlet"+s, "source"+s), t.column("published"+s, "timestamp"+s)}
	}
	same, score := t.column("same", "label"), t.column("score")
	if !sides[1].title.ok || (!same.ok && !score.ok) {
		return nil, errors.New(`header: need "title_a", "title_b" and "same" or "score" columns`)
	}
	var pairs []Pair
	for line := 2; ; line++ {
		rec, err := t.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		var p Pair
		for i, s := range sides {
			l := Labelled{Title: s.title.in(rec), Summary: s.summary.in(rec), Source: s.outlet.in(rec)}
			if ts := s.published.in(rec); ts != "" {
				if l.Time, err = parseTime(ts); err != nil {
					return nil, fmt.Errorf("line %d: %w", line, err)
				}
			}
			if i == 0 {
				p.A = l
			} else {
				p.B = l
			}
		}
		if p.A.Title == "" || p.B.Title == "" {
			continue
		}
		switch v := strings.ToLower(same.in(rec)); {
		case same.ok && v != "":
			switch v {
			case "1", "true", "yes", "same":
				p.Same = true
			case "0", "false", "no", "different":
			default:
				return nil, fmt.Errorf("line %d: bad judgement %q: want 1 or 0", line, v)
			}
		case score.ok && score.in(rec) != "":
			s, err := strconv.ParseFloat(score.in(rec), 64)
			if err != nil {
				return nil, fmt.Errorf("line %d: bad score %q", line, score.in(rec))
			}
			if s >= 3 && s < 4 {
				continue
			}
			p.Same = s >= 4
		default:
			continue
		}
		pairs = append(pairs, p)
	}
	if len(pairs) == 0 {
		return nil, errors.New("no judged pairs found")
	}
	return pairs, nil
}

// PairsResult is the engine's score on pairs.
type PairsResult struct {
	Pairs     int     `json:"pairs"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// Similarities gives every pair the probability the engine's model gives
// its two items of reporting one event: the second from another source a
// minute after the first, unless the file says. Token weights come from
// every item in the file, standing in for the daemon's window of recent
// items.
func Similarities(opts dedupe.Options, pairs []Pair) ([]float64, error) {
	x, err := dedupe.NewIndex(opts)
	if err != nil {
		return nil, err
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	seen := map[string]bool{}
	for _, p := range pairs {
		for _, l := range []Labelled{p.A, p.B} {
			if k := l.Title + "\x00" + l.Summary; !seen[k] {
				seen[k] = true
				n := strconv.Itoa(len(seen))
				x.Add(&news.Item{Source: "file", GUID: n, Title: l.Title, Summary: l.Summary, Story: "bg-" + n, Published: t0, Fetched: t0})
			}
		}
	}
	x.SettleAt(t0.Add(24 * time.Hour)) // the weights count them
	sims := make([]float64, len(pairs))
	for i, p := range pairs {
		a, b := pairItem(p.A, "a", t0), pairItem(p.B, "b", t0.Add(time.Minute))
		sims[i] = x.Compare(&a, &b).Prob
	}
	return sims, nil
}

// pairItem is one side of a pair as the engine sees it, with the source
// and time given where the file has none.
func pairItem(l Labelled, source string, at time.Time) news.Item {
	it := news.Item{Source: l.Source, Title: l.Title, Summary: l.Summary, Published: l.Time}
	if it.Source == "" {
		it.Source = source
	}
	if it.Published.IsZero() {
		it.Published = at
	}
	return it
}

// ScorePairs returns the precision and recall of deciding "one event"
// when the probability reaches threshold.
func ScorePairs(pairs []Pair, sims []float64, threshold float64) PairsResult {
	var tp, fp, fn float64
	for i, p := range pairs {
		same := sims[i] >= threshold
		switch {
		case same && p.Same:
			tp++
		case same:
			fp++
		case p.Same:
			fn++
		}
	}
	s := scores(tp, fp, fn)
	return PairsResult{Pairs: len(pairs), Precision: round4(s.Precision), Recall: round4(s.Recall), F1: round4(s.F1)}
}
