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
