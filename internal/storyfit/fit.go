package main

import "tributary/internal/logit"

// lambda is the L2 penalty of the fit.
const lambda = 1e-2

// fit fits the story decision's weights (bias first) on examples.
func fit(ex []example) []float64 {
	xs := make([][]float64, len(ex))
	ys := make([]bool, len(ex))
	for i, e := range ex {
		xs[i], ys[i] = e.x, e.same
	}
	return logit.Fit(xs, ys, lambda)
}
