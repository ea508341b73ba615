// Package stats publishes the statistics of every pipeline.
package stats

import (
	"encoding/json"
	"log"
	"time"

	"example.com/gateway/store"
)

// Pipeline is one route's traffic statistics.
type Pipeline struct {
	Name      string
	Requests  uint64
	Errors    uint64
	LatencyMs map[string]float64 // percentiles
}

// Syncer publishes the status of all pipelines.
type Syncer struct {
	Store     store.Store
	Pipelines func() []*Pipeline
}

// Run merges every pipeline's statistics into one status value and writes
// it every five seconds, whether or not anything changed.
func (s *Syncer) Run(stop <-chan struct{}) {
	ticker := time.NewTicker(5 * time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-stop:
			return
		case <-ticker.C:
		}
		status := map[string]*Pipeline{}
		for _, p := range s.Pipelines() {
			status[p.Name] = p
		}
		buf, err := json.Marshal(status)
		if err != nil {
			log.Print(err)
			continue
		}
		if err := s.Store.Put("/status/pipelines", string(buf)); err != nil {
			log.Print(err)
		}
	}
}
