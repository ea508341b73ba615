// Package notify declares how the application announces values; it knows
// nothing of etcd.
package notify

// Announcer makes a value visible to the rest of the cluster under a name.
type Announcer interface {
	Announce(name, value string) error
}
