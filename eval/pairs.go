package eval

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"tributary/dedupe"
	"tributary/news"
)

// Pair is two headlines and whether people judged them the same story.
type Pair struct {
	A, B string
	Same bool
}

// ReadPairs reads TSV lines "score<TAB>headline_a<TAB>headline_b" with a
// score from 0 to 5: at least 4 is the same story, below 3 different ones;
// scores in between and blank scores are skipped, as are lines that are
// not three fields (a header, say).
func ReadPairs(r io.Reader) ([]Pair, error) {
	var pairs []Pair
	sc := bufio.NewScanner(r)
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
		pairs = append(pairs, Pair{A: f[1], B: f[2], Same: score >= 4})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(pairs) == 0 {
		return nil, fmt.Errorf("no scored pairs found")
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

// Similarities scores every pair as the engine would decide it: the second
// headline, from another source a minute after the first, joins the
// first's story when their similarity reaches the threshold. Token weights
// come from every headline in the file, standing in for the daemon's
// window of recent items.
func Similarities(opts dedupe.Options, pairs []Pair) ([]float64, error) {
	x, err := dedupe.NewIndex(opts)
	if err != nil {
		return nil, err
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	seen := map[string]bool{}
	for _, p := range pairs {
		for _, h := range []string{p.A, p.B} {
			if seen[h] {
				continue
			}
			seen[h] = true
			x.Add(&news.Item{Title: h, Story: fmt.Sprint("bg-", len(seen)), Published: t0})
		}
	}
	sims := make([]float64, len(pairs))
	for i, p := range pairs {
		sims[i] = x.Compare(p.A, p.B).Score
	}
	return sims, nil
}

// ScorePairs returns the precision and recall of deciding "same story"
// when the similarity reaches threshold.
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
