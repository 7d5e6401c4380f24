// Package eval scores the dedupe engine on labelled data with exactly the
// code and settings the daemon uses: pairs of headlines scored by people
// (same story or not) and headlines labelled with their story. It reads
// the labelled files from readers it is given and computes precision,
// recall, F1 and B-cubed scores; it writes nothing.
package eval

import (
	"math"
)

// Scores are precision, recall and their harmonic mean.
type Scores struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

func scores(tp, fp, fn float64) Scores {
	var s Scores
	if tp+fp > 0 {
		s.Precision = tp / (tp + fp)
	}
	if tp+fn > 0 {
		s.Recall = tp / (tp + fn)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

// round4 keeps printed figures short and JSON stable.
func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }
