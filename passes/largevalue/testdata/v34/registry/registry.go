// Package registry keeps the nodes of a cluster through the application's
// key-value layer.
package registry

import (
	"encoding/json"
	"strings"

	"example.com/fixture/kvstore"
)

// Node is one member of the cluster.
type Node struct {
	Name string
	Addr string
}

// Registry writes through the concrete store.
type Registry struct {
	store *kvstore.Etcd
	iface kvstore.Store
}

// SaveNodes writes every node in one value.
func (r *Registry) SaveNodes(nodes []Node) error { // want SaveNodes:`^carries whole\(0\)$`
	b, err := json.Marshal(nodes)
	if err != nil {
		return err
	}
	return r.store.Save("/registry/nodes", string(b)) // want `value written to "/registry/nodes" holds the whole nodes \(a slice of records, one per object\): it grows with their number`
}

// SaveNodeMap writes every node in one value, through the interface.
func (r *Registry) SaveNodeMap(nodes map[string]*Node) error { // want SaveNodeMap:`^carries whole\(0\)$`
	b, err := json.Marshal(nodes)
	if err != nil {
		return err
	}
	return r.iface.Save("/registry/nodes", string(b)) // want `value written to "/registry/nodes" holds the whole nodes \(a map of records, one per object\): it grows with their number`
}

// SaveNodesJSON writes every node in one value, through a helper that encodes.
func (r *Registry) SaveNodesJSON(nodes []*Node) error { // want SaveNodesJSON:`^carries whole\(0\)$`
	return kvstore.SaveJSON(r.iface, "/registry/nodes", nodes) // want `value written to "/registry/nodes" holds the whole nodes \(a slice of records, one per object\): it grows with their number`
}

// SaveNames writes the names alone: a list of strings, reported only where
// it is known to grow.
func (r *Registry) SaveNames(names []string) error { // want SaveNames:`^carries whole\(0\)$`
	return r.store.Save("/registry/names", strings.Join(names, ","))
}

// SaveNode writes one node under its own key: the fix.
func (r *Registry) SaveNode(n Node) error { // want SaveNode:`^carries whole\(0\)$`
	b, err := json.Marshal(n)
	if err != nil {
		return err
	}
	return r.store.Save("/registry/nodes/"+n.Name, string(b))
}

// SaveMembers writes a group's members under the group's own key: the
// collection is the object's own.
func (r *Registry) SaveMembers(group string, members []Node) error { // want SaveMembers:`^carries whole\(1\)$`
	b, err := json.Marshal(members)
	if err != nil {
		return err
	}
	return r.store.Save("/registry/groups/"+group, string(b))
}

// Refresh gathers every node it sees and saves them.
func (r *Registry) Refresh(seen map[string]string) error {
	var nodes []Node
	for name, addr := range seen {
		nodes = append(nodes, Node{Name: name, Addr: addr})
	}
	return r.SaveNodes(nodes) // want `value written to "/registry/nodes" grows with seen`
}
