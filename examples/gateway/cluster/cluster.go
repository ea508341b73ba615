// Package cluster runs the gateway's embedded etcd member.
package cluster

import (
	"net/url"

	"go.etcd.io/etcd/server/v3/embed"
)

// Start starts an embedded etcd member with its data in dir.
func Start(dir string, peer, client url.URL) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.Dir = dir
	cfg.ListenPeerUrls = []url.URL{peer}
	cfg.ListenClientUrls = []url.URL{client}
	cfg.AdvertiseClientUrls = []url.URL{client}
	return embed.StartEtcd(cfg)
}
