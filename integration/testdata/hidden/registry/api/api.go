// Package api declares what a service registry does.
package api

// Registry records where a service listens.
type Registry interface {
	Register(name, addr string) error
}
