//fixture:handwritten 3.3's keep-alive drops responses on a full channel without logging, so the message differs.

// Package app opens etcd resources through the wrap package.
package app

import (
	"context"

	"example.com/fixture/wrap"
	clientv3 "github.com/coreos/etcd/clientv3"
)

func putVia(endpoints []string) error {
	cli, err := wrap.Dial(endpoints) // want `etcd client from wrap.Dial is never closed`
	if err != nil {
		return err
	}
	_, err = cli.Put(context.TODO(), "k", "v")
	return err
}

func putViaInterface(o wrap.Opener) error {
	cli, err := o.Open() // want `etcd client from Opener.Open is never closed`
	if err != nil {
		return err
	}
	_, err = cli.Get(context.TODO(), "k")
	return err
}

func lockVia(s *wrap.Store) error {
	sess, err := s.Session(10) // want `session from Store.Session is never closed`
	if err != nil {
		return err
	}
	<-sess.Done()
	return nil
}

func watchVia(s *wrap.Store) {
	<-s.WatchKey(context.Background(), "k") // want `watch opened by Store.WatchKey on context.Background\(\) is read once`
}

func renewVia(s *wrap.Store, id clientv3.LeaseID) {
	s.Renew(context.Background(), id) // want `keep-alive channel from Store.Renew on context.Background\(\) is never received from: .* drops every response silently`
}

func closedVia(endpoints []string) error {
	cli, err := wrap.Dial(endpoints)
	if err != nil {
		return err
	}
	defer wrap.CloseClient(cli)
	_, err = cli.Put(context.TODO(), "k", "v")
	return err
}

func closedViaInterface(o wrap.Opener) error {
	cli, err := o.Open()
	if err != nil {
		return err
	}
	defer cli.Close()
	_, err = cli.Get(context.TODO(), "k")
	return err
}

func stopVia(s *wrap.Store) error {
	sess, err := s.Session(10)
	if err != nil {
		return err
	}
	defer wrap.Stop(sess)
	<-sess.Done()
	return nil
}

func releaseViaInterface(r wrap.Releaser, s *wrap.Store) error {
	sess, err := s.Session(5)
	if err != nil {
		return err
	}
	r.Release(sess)
	return nil
}

func drainVia(s *wrap.Store, id clientv3.LeaseID) error {
	ch, err := s.Renew(context.Background(), id)
	if err != nil {
		return err
	}
	go wrap.Drain(ch)
	return nil
}

func watchViaCallerCtx(ctx context.Context, s *wrap.Store) {
	<-s.WatchKey(ctx, "k")
}
