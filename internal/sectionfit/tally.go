package main

import (
	"fmt"
	"math"

	"tributary/eval"
)

// tally is a confusion table pooled over days — true label -> given
// label ("-" for none) -> items — with the labels some section gives.
type tally struct {
	confusion map[string]map[string]int
	mapped    map[string]bool
}

// count reads a day's result into a tally; labels maps the sections to
// the labels they give.
func count(r eval.TopicsResult, labels map[string]string) tally {
	t := tally{confusion: map[string]map[string]int{}, mapped: map[string]bool{}}
	for _, l := range labels {
		t.mapped[l] = true
	}
	return t.add(tally{confusion: r.Confusion})
}

// add returns the two tallies pooled.
func (t tally) add(o tally) tally {
	out := tally{confusion: map[string]map[string]int{}, mapped: map[string]bool{}}
	for _, x := range []tally{t, o} {
		for l, row := range x.confusion {
			if out.confusion[l] == nil {
				out.confusion[l] = map[string]int{}
			}
			for g, n := range row {
				out.confusion[l][g] += n
			}
		}
		for l := range x.mapped {
			out.mapped[l] = true
		}
	}
	return out
}

// filed returns the items given a section, those given their own, and
// the items of no section's label with those of them filed anyway.
func (t tally) filed() (filed, right, unmapped, unmappedFiled int) {
	for l, row := range t.confusion {
		for g, n := range row {
			if g != "-" {
				filed += n
				if g == l {
					right += n
				}
			}
			if !t.mapped[l] {
				unmapped += n
				if g != "-" {
					unmappedFiled += n
				}
			}
		}
	}
	return
}

// precision is the share of filed items filed under their own section.
func (t tally) precision() float64 {
	filed, right, _, _ := t.filed()
	return ratio(right, filed)
}

// macroF1 is the mean F1 over the sections' labels.
func (t tally) macroF1() float64 {
	var sum float64
	for l := range t.mapped {
		var tp, fp, fn int
		for tl, row := range t.confusion {
			for g, n := range row {
				switch {
				case tl == l && g == l:
					tp += n
				case tl == l:
					fn += n
				case g == l:
					fp += n
				}
			}
		}
		if tp > 0 {
			p, r := ratio(tp, tp+fp), ratio(tp, tp+fn)
			sum += 2 * p * r / (p + r)
		}
	}
	return sum / float64(max(1, len(t.mapped)))
}

func (t tally) String() string {
	filed, right, unmapped, unmappedFiled := t.filed()
	return fmt.Sprintf("precision %.3f (%d of %d filed right), macro-F1 %.3f, no-section items filed %.3f (%d of %d)",
		ratio(right, filed), right, filed, t.macroF1(), ratio(unmappedFiled, unmapped), unmappedFiled, unmapped)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// round keeps four decimals: the figures are not more exact than the
// data.
func round(ws []float64) []float64 {
	out := make([]float64, len(ws))
	for i, v := range ws {
		out[i] = math.Round(v*1e4) / 1e4
	}
	return out
}
