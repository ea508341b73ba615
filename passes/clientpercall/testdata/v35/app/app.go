// Package app dials etcd through its own wrappers in package wrap.
package app

import (
	"context"
	"net/http"

	"example.com/fixture/wrap"
)

// Handler serves reads.
type Handler struct {
	endpoints []string
	checker   *wrap.Checker
	dialer    wrap.Dialer
}

// ServeHTTP opens a store per request and never closes it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { // want ServeHTTP:`dials\(leaks params=-1\)`
	s, err := wrap.NewStore(h.endpoints) // want `wrap.NewStore dials a new etcd client on every call and this call runs on every request of this HTTP handler, and the client is never closed`
	if err != nil {
		return
	}
	v, _ := s.Get(r.Context(), r.URL.Path)
	w.Write([]byte(v))
}

// Status checks health per request through the struct method.
func (h *Handler) Status(w http.ResponseWriter, r *http.Request) { // want Status:`dials\(releases params=-1\)`
	if err := h.checker.Check(r.Context()); err != nil { // want `Checker.Check dials a new etcd client on every call and this call runs on every request of this HTTP handler, with the same configuration each time`
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
	}
}

// Open opens a store per request through the interface.
func (h *Handler) Open(w http.ResponseWriter, r *http.Request) { // want Open:`dials\(leaks params=-1\)`
	s, err := h.dialer.Open(h.endpoints) // want `Dialer.Open dials a new etcd client on every call and this call runs on every request of this HTTP handler, and the client is never closed`
	if err != nil {
		return
	}
	s.Get(r.Context(), r.URL.Path)
}

// Components opens one store per component, all on the same endpoints.
func Components(endpoints []string, names []string) map[string]*wrap.Store {
	stores := map[string]*wrap.Store{}
	for _, name := range names {
		s, err := wrap.NewStore(endpoints) // want `wrap.NewStore dials a new etcd client on every call and this call runs on every iteration of this loop, with the same configuration each time`
		if err == nil {
			stores[name] = s
		}
	}
	return stores
}

// Probe pings every target, leaking a client each time.
func Probe(ctx context.Context, targets []string) {
	for _, t := range targets {
		wrap.Ping(ctx, t) // want `wrap.Ping dials a new etcd client on every call and this call runs on every iteration of this loop, and the client is never closed`
	}
}

// Negatives.

// Start opens the application's one store.
func Start(endpoints []string) (*wrap.Store, error) { // want Start:`dials\(result=0 params=0\)`
	return wrap.NewStore(endpoints)
}

// Members reads from each member through a store pinned to it, closed in
// the iteration.
func Members(ctx context.Context, endpoints []string) []string {
	var out []string
	for _, ep := range endpoints {
		s, err := wrap.NewStore([]string{ep})
		if err != nil {
			continue
		}
		v, _ := s.Get(ctx, "/version")
		s.Close()
		out = append(out, v)
	}
	return out
}

// Reconnect retries until a store opens.
func Reconnect(endpoints []string) *wrap.Store { // want Reconnect:`dials\(result=0 params=0\)`
	for {
		s, err := wrap.NewStore(endpoints)
		if err == nil {
			return s
		}
	}
}
