// Package writer saves through an interface; it imports no etcd package.
package writer

import "io"

type Saver interface {
	Save(key, val string) error
}

func Publish(s Saver, val string) error {
	return s.Save("/status/all", val)
}

// Flush writes through io.Writer, an interface of the standard library:
// that impl has a Write method that uses etcd does not make every writer of
// an io.Writer touch etcd.
func Flush(w io.Writer, b []byte) error {
	_, err := w.Write(b)
	return err
}

// OnTick is set by main to a function that writes etcd.
var OnTick func(key, val string) error

// Tick calls the hook once per value: it writes through a function value.
func Tick(vals []string) {
	for _, v := range vals {
		OnTick("/tick", v)
	}
}

// Hooks holds a callback set where Hooks is built.
type Hooks struct {
	OnSave func(key, val string) error
}

// Fire calls the callback.
func (h Hooks) Fire(val string) error {
	return h.OnSave("/hook", val)
}
