// Package objects is the gateway's object registry. It knows nothing of
// etcd and nothing of the kinds of objects registered in it.
package objects

// Object is anything the gateway runs.
type Object interface {
	Status() *Status
}

// Status is what an object reports about itself.
type Status struct {
	Timestamp int64
	Detail    any
}

// Entity is a registered object.
type Entity struct {
	Name string
	Obj  Object
}

// Registry holds the running objects.
type Registry struct{ entities []*Entity }

func (r *Registry) Add(e *Entity) { r.entities = append(r.entities, e) }

// Walk calls fn for every entity until fn returns false.
func (r *Registry) Walk(fn func(*Entity) bool) {
	for _, e := range r.entities {
		if !fn(e) {
			return
		}
	}
}
