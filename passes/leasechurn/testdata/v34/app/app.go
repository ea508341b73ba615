// Package app uses wrap's leases.
package app

import (
	"context"
	"time"

	"example.com/fixture/wrap"
)

// heartbeat registers itself through the store on every beat.
func heartbeat(ctx context.Context, s *wrap.Store, self string) {
	for range time.Tick(5 * time.Second) {
		_ = s.Register(ctx, "/hb/"+self, "alive", 15) // want `Store.Register grants a new lease on every call and this call runs on every iteration of this loop, writing the same key\(s\) with it each time`
	}
}

// heartbeatVia does the same through an interface.
func heartbeatVia(ctx context.Context, r wrap.Registrar, self string, stop <-chan struct{}) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			r.Register(ctx, "/hb/"+self, "alive", 15) // want `Registrar.Register grants a new lease on every call`
		}
	}
}

// announceAll announces every service with its own forever-kept lease.
func announceAll(s *wrap.Store, services map[string]string) {
	for name, addr := range services {
		s.Announce("/svc/"+name, addr) // want `Store.Announce grants a new lease on every call and this call runs for every element of this loop, each for that element's key with the same TTL, and each is kept alive`
	}
}

// watchdog starts a goroutine per tick that takes a fresh lease.
func watchdog(ctx context.Context, s *wrap.Store) {
	for range time.Tick(time.Second) {
		go func() { // want `a new lease is granted on every iteration`
			id, err := s.NewLease(ctx, 5)
			if err != nil {
				return
			}
			_ = id
		}()
	}
}

// ---- not reported ----

// registerOnce registers once at start-up.
func registerOnce(ctx context.Context, s *wrap.Store, self string) error { // want registerOnce:`grants\(keys=2\)`
	return s.Register(ctx, "/hb/"+self, "alive", 15)
}

// lockEachTick takes and releases a lease-backed lock per tick.
func lockEachTick(ctx context.Context, s *wrap.Store) {
	for range time.Tick(time.Minute) {
		s.Lock(ctx, "/cron/lock", func() {})
	}
}

// firstLease retries until it has a lease and returns it.
func firstLease(ctx context.Context, s *wrap.Store) int64 { // want firstLease:`grants\(result=0\)`
	for {
		id, err := s.NewLease(ctx, 10)
		if err == nil {
			return int64(id)
		}
		time.Sleep(time.Second)
	}
}

// lockJob waits for a job lock through the store: every attempt grants,
// and the loop ends with the first attempt whose compare held.
func lockJob(ctx context.Context, s *wrap.Store, job, me string) error { // want lockJob:`grants\(keys=2\)`
	for {
		resp, err := s.TryLock(ctx, "/jobs/"+job+"/lock", me)
		if err == nil && resp.Succeeded {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		time.Sleep(10 * time.Second)
	}
}
