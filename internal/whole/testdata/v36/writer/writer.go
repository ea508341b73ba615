// Package writer saves through an interface; it imports no etcd package.
package writer

type Saver interface {
	Save(key, val string) error
}

func Publish(s Saver, val string) error {
	return s.Save("/status/all", val)
}
