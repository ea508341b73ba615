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
