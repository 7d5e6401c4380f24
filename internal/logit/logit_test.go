package logit

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFit recovers the weights of a known logistic model from samples.
func TestFit(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	want := []float64{-1, 2, -3}
	var xs [][]float64
	var ys []bool
	for range 20000 {
		x := []float64{r.NormFloat64(), r.NormFloat64()}
		z := want[0] + want[1]*x[0] + want[2]*x[1]
		xs = append(xs, x)
		ys = append(ys, r.Float64() < 1/(1+math.Exp(-z)))
	}
	got := Fit(xs, ys, 1e-2)
	for i := range want {
		if math.Abs(got[i]-want[i]) > 0.15 {
			t.Errorf("weight %d = %.3f, want %.1f (all %v)", i, got[i], want[i], got)
		}
	}
}
