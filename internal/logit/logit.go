// Package logit fits a logistic regression by Newton's method: the tool
// behind the project's learned decisions (internal/storyfit for stories,
// internal/sectionfit for sections). Small problems only: a dozen
// features, tens of thousands of examples.
package logit

import (
	"math"
	"slices"
)

// Fit is L2-regularised logistic regression by Newton's method: the
// weights (bias first) minimising the log loss plus lambda/2 ‖w‖² (the
// bias unpenalised) for examples xs with outcomes ys.
func Fit(xs [][]float64, ys []bool, lambda float64) []float64 {
	n := len(xs[0]) + 1
	w := make([]float64, n)
	row := make([]float64, n)
	for iter := 0; iter < 50; iter++ {
		grad := make([]float64, n)
		hess := make([][]float64, n)
		for i := range hess {
			hess[i] = make([]float64, n)
		}
		for i, x := range xs {
			row[0] = 1
			copy(row[1:], x)
			z := 0.0
			for k, v := range row {
				z += w[k] * v
			}
			p := 1 / (1 + math.Exp(-z))
			y := 0.0
			if ys[i] {
				y = 1
			}
			for a := range row {
				grad[a] += (p - y) * row[a]
				for b := range row {
					hess[a][b] += p * (1 - p) * row[a] * row[b]
				}
			}
		}
		for a := 1; a < n; a++ {
			grad[a] += lambda * w[a]
			hess[a][a] += lambda
		}
		step := solve(hess, grad)
		var size float64
		for a := range w {
			w[a] -= step[a]
			size += step[a] * step[a]
		}
		if size < 1e-12 {
			break
		}
	}
	return w
}

// solve solves A x = b by Gaussian elimination with partial pivoting.
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	m := make([][]float64, n)
	for i := range m {
		m[i] = append(slices.Clone(a[i]), b[i])
	}
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		m[c], m[p] = m[p], m[c]
		if math.Abs(m[c][c]) < 1e-12 {
			continue
		}
		for r := c + 1; r < n; r++ {
			f := m[r][c] / m[c][c]
			for k := c; k <= n; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		if math.Abs(m[r][r]) < 1e-12 {
			continue
		}
		s := m[r][n]
		for k := r + 1; k < n; k++ {
			s -= m[r][k] * x[k]
		}
		x[r] = s / m[r][r]
	}
	return x
}
