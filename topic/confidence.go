package topic

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// builtinConfidence is the calibration of decisions by example, fitted
// by internal/sectionfit (the file's "fitted" field names its data): a
// reviewed file of numbers, embedded.
//
//go:embed confidence.json
var builtinConfidence []byte

// Evidence is what the confidence of a decision by example reads: the
// item's score with its best topic, by how much that beats the next
// topic of its exclusive group (the score itself outside a group), how
// much the item says (the weight of its terms) and how many of its terms
// the topic holds.
type Evidence struct {
	Score, Margin float64
	Weight        float64
	Terms         int
}

// EvidenceNames names Evidence's values in the order Vector gives them.
func EvidenceNames() []string { return []string{"score", "margin", "weight", "terms"} }

// Vector returns the evidence as the model reads it.
func (e Evidence) Vector() []float64 {
	return []float64{e.Score, e.Margin, math.Log1p(e.Weight), math.Log1p(float64(e.Terms))}
}

// Confidence turns the evidence of a decision by example into the
// probability that the topic is right for the item: a logistic
// regression. An item joins a topic by example only with at least
// Threshold (or the topic's min_confidence).
type Confidence struct {
	Features  []string          `json:"features"`
	Weights   []float64         `json:"weights"`
	Bias      float64           `json:"bias"`
	Threshold float64           `json:"threshold"`
	Fitted    string            `json:"fitted"`
	Checked   map[string]string `json:"checked,omitempty"`
}

// BuiltinConfidenceID identifies the embedded calibration: stored
// filings made under another are filed again (config.RulesFingerprint).
func BuiltinConfidenceID() string {
	sum := sha256.Sum256(builtinConfidence)
	return hex.EncodeToString(sum[:8])
}

// BuiltinConfidence returns the embedded calibration.
func BuiltinConfidence() (*Confidence, error) {
	var c Confidence
	if err := json.Unmarshal(builtinConfidence, &c); err != nil {
		return nil, fmt.Errorf("topic: confidence.json: %w", err)
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return &c, nil
}

// check reports a calibration that does not read today's Evidence.
func (c *Confidence) check() error {
	if !slices.Equal(c.Features, EvidenceNames()) || len(c.Weights) != len(c.Features) {
		return fmt.Errorf("topic: confidence reads %v with %d weights, want %v", c.Features, len(c.Weights), EvidenceNames())
	}
	if c.Threshold <= 0 || c.Threshold >= 1 {
		return fmt.Errorf("topic: confidence threshold %v, want one in (0,1)", c.Threshold)
	}
	return nil
}

// Prob returns the probability that the evidence's topic is right.
func (c *Confidence) Prob(e Evidence) float64 {
	z := c.Bias
	for i, v := range e.Vector() {
		z += c.Weights[i] * v
	}
	return 1 / (1 + math.Exp(-z))
}
