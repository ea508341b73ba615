package main

import (
	"context"
	"fmt"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"google.golang.org/grpc/metadata"
)

// measureTokenTTL reads how long etcd keeps the simple token an Authenticate
// request creates (each client dialled with a user and password sends one):
// tokens are asked for and then presented once, each after a different wait.
// The default TTL is 300 s (--auth-token-ttl); the server here is configured
// with a shorter one so that the expiry is seen in seconds.
func measureTokenTTL(ctx context.Context, e *env) (section, error) {
	const ttl = 30 // seconds, --auth-token-ttl for this server
	const n = 10   // tokens per wait
	s := section{
		pass:  "clientpercall",
		title: "how long etcd keeps the token of each authenticated client",
		setup: fmt.Sprintf("Auth enabled with simple tokens (embed's default), --auth-token-ttl shortened to %d s "+
			"(the default is %d s). %d Authenticate requests per row, as %d dialled clients send them; each token is "+
			"then presented once, on a Get, the wait after its own Authenticate. A token is valid while etcd keeps it; each use renews it.",
			ttl, embed.NewConfig().AuthTokenTTL, n, n),
		header: []string{"wait after Authenticate (s)", "tokens", "still valid", "answer to an expired token"},
	}
	srv, err := startServer(e.dir, serverOptions{authTokenTTL: ttl})
	if err != nil {
		return s, err
	}
	defer srv.close()
	if err := enableAuth(ctx, srv.cli); err != nil {
		return s, err
	}
	// The server's own client has no user: it sends the token it is given.
	for _, wait := range []time.Duration{0, ttl * time.Second / 2, ttl*time.Second + 3*time.Second} {
		// Each token is presented the wait after its own Authenticate (a
		// bcrypt check takes a while, so they are issued some time apart).
		var tokens []string
		var issued []time.Time
		for range n {
			r, err := srv.cli.Authenticate(ctx, "root", "evidence")
			if err != nil {
				return s, err
			}
			tokens, issued = append(tokens, r.Token), append(issued, time.Now())
		}
		valid, answer := 0, "-"
		for i, tok := range tokens {
			time.Sleep(time.Until(issued[i].Add(wait)))
			_, err := srv.cli.Get(metadata.AppendToOutgoingContext(ctx, "token", tok), "/probe")
			switch {
			case ctx.Err() != nil:
				return s, ctx.Err()
			case err == nil:
				valid++
			case answer == "-":
				answer = "`" + err.Error() + "`"
			}
		}
		s.rows = append(s.rows, []string{fmt.Sprintf("%.1f", wait.Seconds()), fmt.Sprint(n), fmt.Sprint(valid), answer})
	}
	s.notes = append(s.notes, fmt.Sprintf("etcd drops a simple token once it has gone unused for --auth-token-ttl "+
		"(checked once a second, server/auth/simple_token.go); until then it keeps it in memory. A client dialled "+
		"per call with a user and password therefore leaves one token behind per dial for %d s by default, and its "+
		"Authenticate is a raft entry (the clientpercall table above).", embed.NewConfig().AuthTokenTTL))
	return s, nil
}
