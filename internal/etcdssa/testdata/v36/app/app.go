package app // want package:"reaches etcd"

import "example.com/fixture/store"

func Save(s store.Store) error { return s.Put("/k", "v") } // want Save:"touches etcd"

func Label(s store.Store) string { return s.Name() }
