package dedupe

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
)

// builtinModel is the story decision's weights, fitted by
// internal/storyfit (its comments and the file's "fitted" field name the
// data): a reviewed file of numbers, embedded.
//
//go:embed model.json
var builtinModel []byte

// Model is the learned story decision: a logistic regression over the
// pair Features, and the thresholds the assignment applies.
type Model struct {
	// Features names the weights, as FeatureNames does; Weights follow.
	Features []string  `json:"features"`
	Weights  []float64 `json:"weights"`
	Bias     float64   `json:"bias"`
	// Threshold is the probability, averaged over a story's Linkage most
	// alike members, an item needs to join the story.
	Threshold float64 `json:"threshold"`
	// Merge is the probability an item needs with a second story, beside
	// the one it joined, to merge the two (if they are alike themselves).
	Merge float64 `json:"merge"`
	// Linkage is how many of a story's most alike members an item is
	// compared with: one alike member is not enough, so a story does not
	// grow by chains (A~B, B~C, A≁C).
	Linkage int `json:"linkage"`
	// Fitted says on what, how and when the weights were fitted.
	Fitted string `json:"fitted"`
	// Checked records what the weights scored where they were checked.
	Checked map[string]string `json:"checked,omitempty"`

	w [numFeatures]float64 // Weights by Vector's order
}

// BuiltinModel returns the embedded model.
func BuiltinModel() (*Model, error) { return ParseModel(builtinModel) }

// ParseModel reads a model file and checks it names every feature.
func ParseModel(data []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("dedupe: model: %w", err)
	}
	if len(m.Features) != len(m.Weights) {
		return nil, fmt.Errorf("dedupe: model: %d features, %d weights", len(m.Features), len(m.Weights))
	}
	names := FeatureNames()
	set := make([]bool, len(names))
	for i, f := range m.Features {
		j := indexOfName(names, f)
		if j < 0 {
			return nil, fmt.Errorf("dedupe: model: unknown feature %q", f)
		}
		m.w[j], set[j] = m.Weights[i], true
	}
	for j, ok := range set {
		if !ok {
			return nil, fmt.Errorf("dedupe: model: no weight for feature %q", names[j])
		}
	}
	if m.Threshold <= 0 || m.Threshold >= 1 || m.Merge <= 0 || m.Merge >= 1 || m.Linkage < 1 {
		return nil, fmt.Errorf("dedupe: model: threshold %v, merge %v, linkage %d out of range", m.Threshold, m.Merge, m.Linkage)
	}
	return &m, nil
}

func indexOfName(names []string, n string) int {
	for i, s := range names {
		if s == n {
			return i
		}
	}
	return -1
}

// Prob returns the probability that two items of features f report one
// event.
func (m *Model) Prob(f *Features) float64 {
	v := f.Vector()
	z := m.Bias
	for i, x := range v {
		z += m.w[i] * x
	}
	return 1 / (1 + math.Exp(-z))
}

// Contribution is one feature's value and what it added to the log-odds.
type Contribution struct {
	Feature string
	Value   float64
	Weight  float64
	Adds    float64 // Value × Weight
}

// Contributions returns what each feature added to the log-odds of f,
// in FeatureNames' order, the bias aside.
func (m *Model) Contributions(f *Features) []Contribution {
	v := f.Vector()
	names := FeatureNames()
	out := make([]Contribution, len(v))
	for i, x := range v {
		out[i] = Contribution{Feature: names[i], Value: x, Weight: m.w[i], Adds: x * m.w[i]}
	}
	return out
}
