// Package traffic is one kind of object: a controller of many pipelines.
// It imports objects; nothing but main imports it.
package traffic

import "example.com/fixture/objects"

type PipelineStats struct {
	Requests, Errors uint64
	Latency          map[string]float64
}

// Status is the controller's status: every pipeline's statistics.
type Status struct {
	Pipelines map[string]*PipelineStats
}

type Controller struct {
	pipelines map[string]*PipelineStats
}

func New() *Controller { return &Controller{pipelines: map[string]*PipelineStats{}} }

// Status reports the statistics of every pipeline: one entry per pipeline.
func (c *Controller) Status() *objects.Status {
	all := map[string]*PipelineStats{}
	for name, p := range c.pipelines {
		all[name] = p
	}
	return &objects.Status{Detail: &Status{Pipelines: all}}
}
