package eval

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/kljensen/snowball/english"

	"tributary/text"
)

// Baseline clusters items the way the issues' plain TF-IDF yardstick
// does (issue 22), to measure the engine against on the same file: each
// item is its headline counted twice and its summary's first 300
// characters, words folded, stop words dropped, cut to 6-letter
// prefixes, weighted by TF-IDF over the items themselves; two items of
// different outlets published at most 48 hours apart whose vectors'
// cosine reaches min are one story, joined single-link. It is a
// yardstick, not a design: single-link chains unrelated events on
// larger sets.
func Baseline(items []Labelled, min float64) []string {
	docs := make([]map[string]float64, len(items))
	df := map[string]float64{}
	for i, l := range items {
		tf := map[string]float64{}
		for _, w := range baselineWords(l.Title) {
			tf[w] += 2
		}
		for _, w := range baselineWords(text.PlainText(l.Summary, 300)) {
			tf[w]++
		}
		for w := range tf {
			df[w]++
		}
		docs[i] = tf
	}
	n := float64(len(items))
	postings := map[string][]int{}
	for i, tf := range docs {
		var norm float64
		for w, c := range tf {
			tf[w] = c * math.Log(n/df[w])
			norm += tf[w] * tf[w]
		}
		for w := range tf {
			tf[w] /= math.Sqrt(norm)
			postings[w] = append(postings[w], i)
		}
	}
	parent := make([]int, len(items))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	for i, tf := range docs {
		dot := map[int]float64{}
		for w, x := range tf {
			for _, j := range postings[w] {
				if j < i {
					dot[j] += x * docs[j][w]
				}
			}
		}
		for j, cos := range dot {
			gap := items[i].Time.Sub(items[j].Time)
			if cos >= min && items[i].Source != items[j].Source && gap.Abs() <= 48*time.Hour {
				parent[find(i)] = find(j)
			}
		}
	}
	out := make([]string, len(items))
	for i := range items {
		out[i] = strconv.Itoa(find(i))
	}
	return out
}

// baselineWords are the baseline's terms of s.
func baselineWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(text.Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) < 2 || english.IsStopWord(w) {
			continue
		}
		if r := []rune(w); len(r) > 6 {
			w = string(r[:6])
		}
		out = append(out, w)
	}
	return out
}
