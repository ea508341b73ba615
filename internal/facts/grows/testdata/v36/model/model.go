// Package model has nothing to do with etcd.
package model

import "strings"

type Block struct {
	ID   uint64
	Node string
}

// Blocks lays out n blocks.
func Blocks(n int) []Block { // want Blocks:`grows\(0\): a slice filled in a loop over n`
	var out []Block
	for i := 0; i < n; i++ {
		out = append(out, Block{ID: uint64(i)})
	}
	return out
}

// Ring is a fixed-size layout.
func Ring() []Block {
	var out []Block
	for i := 0; i < 3; i++ {
		out = append(out, Block{ID: uint64(i)})
	}
	return out
}

type Pipeline struct {
	Name     string
	Requests int64
}

// Controller reports the status of the objects it runs.
type Controller interface {
	Name() string
	Status() any // want Status:`grows\(0\): a struct holding a map filled in a loop over t.pipelines`
}

// Traffic runs every pipeline.
type Traffic struct {
	pipelines []*Pipeline
}

type TrafficStatus struct {
	Pipelines map[string]int64
}

func (t *Traffic) Name() string { return "traffic" }

func (t *Traffic) Status() any { // want Status:`grows\(0\): a struct holding a map filled in a loop over t.pipelines`
	m := map[string]int64{}
	for _, p := range t.pipelines {
		m[p.Name] = p.Requests
	}
	return &TrafficStatus{Pipelines: m}
}

// Label joins a fixed set.
func Label(parts [4]string) string {
	return strings.Join(parts[:], "/")
}

// Index is built in a loop and returned inside a struct.
func Index(names []string) *Catalog { // want Index:`grows\(0\): a struct holding a map filled in a loop over names`
	m := map[string]int{}
	for i, n := range names {
		m[n] = i
	}
	return &Catalog{ByName: m}
}

type Catalog struct {
	ByName map[string]int
}

// Dump writes every name into a builder.
func Dump(names []string) string { // want Dump:`grows\(0\): a buffer filled in a loop over names`
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n)
	}
	return b.String()
}

// Visit fills a slice in a callback run once per element.
func Visit(w interface{ Walk(func(string)) }) []string { // want Visit:`grows\(0\): a slice filled in a loop over w`
	var out []string
	w.Walk(func(s string) {
		out = append(out, s)
	})
	return out
}

// Once fills a map in a callback that is not a loop.
func Once(do func(func())) map[string]bool {
	m := map[string]bool{}
	do(func() { m["x"] = true })
	return m
}

// Fixed is a string built over a constant range.
func Fixed() string {
	s := ""
	for i := range 4 {
		s += string(rune('a' + i))
	}
	return s
}
