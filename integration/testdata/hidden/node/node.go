// Package node holds the cluster and the services a node runs.
package node

import "example.com/hidden/cluster"

// Node is one member of the application.
type Node struct {
	cls      cluster.Cluster
	services []string
}

// New returns a node running services.
func New(cls cluster.Cluster, services ...string) *Node {
	return &Node{cls: cls, services: services}
}

// Cluster returns the node's cluster.
func (n *Node) Cluster() cluster.Cluster { return n.cls }

// WalkServices calls fn with the name of each service until fn returns false.
func (n *Node) WalkServices(fn func(name string) bool) {
	for _, s := range n.services {
		if !fn(s) {
			return
		}
	}
}
