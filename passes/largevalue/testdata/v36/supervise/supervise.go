// Package supervise runs the objects of a process; it knows nothing of
// etcd, and the objects that implement Object live in other packages.
package supervise

// Object is a running object: its status is whatever it reports.
type Object interface {
	Name() string
	Status() any
}

// Reporter is an object that reports a document of its own.
type Reporter interface {
	Name() string
	Report() any
}

// VisitFunc is called once per object; returning false stops the walk.
type VisitFunc func(o Object) bool

// Registry holds every object of the process.
type Registry struct {
	objects map[string]Object
}

// WalkObjects calls fn for every object.
func (r *Registry) WalkObjects(fn VisitFunc) {
	for _, o := range r.objects {
		if !fn(o) {
			return
		}
	}
}
