package etcdapi

import (
	"go/types"
	"strings"
)

// Era is a generation of etcd's Go packages, told apart by import path.
type Era int

const (
	EraNone   Era = iota // not an etcd package
	EraCoreOS            // github.com/coreos/etcd/... (3.3 and older)
	Era34                // go.etcd.io/etcd/... (3.4, module go.etcd.io/etcd)
	Era35                // go.etcd.io/etcd/{client,server,api}/v3/... (3.5 and later)
	EraCopy              // a program's own copy of etcd's gRPC API (see PackageArea)
)

func (e Era) String() string {
	switch e {
	case EraCoreOS:
		return "3.3"
	case Era34:
		return "3.4"
	case Era35:
		return "3.5+"
	case EraCopy:
		return "copy"
	}
	return "none"
}

// Area is the part of etcd's API a package belongs to.
type Area int

const (
	AreaNone         Area = iota
	AreaClient            // clientv3: Client, KV, Txn, Op, Watcher, Lease, Maintenance
	AreaConcurrency       // clientv3/concurrency: Session, Mutex, Election, STM
	AreaNamespace         // clientv3/namespace: prefixed KV, Watcher, Lease
	AreaEmbed             // embed: a server inside the program
	AreaEtcdserverpb      // the raw gRPC API: KVClient, PutRequest, ...
)

type pkgInfo struct {
	era  Era
	area Area
}

// packages maps every modelled import path to its era and area.
var packages = map[string]pkgInfo{
	"go.etcd.io/etcd/client/v3":             {Era35, AreaClient},
	"go.etcd.io/etcd/client/v3/concurrency": {Era35, AreaConcurrency},
	"go.etcd.io/etcd/client/v3/namespace":   {Era35, AreaNamespace},
	"go.etcd.io/etcd/server/v3/embed":       {Era35, AreaEmbed},
	"go.etcd.io/etcd/api/v3/etcdserverpb":   {Era35, AreaEtcdserverpb},

	"go.etcd.io/etcd/clientv3":                {Era34, AreaClient},
	"go.etcd.io/etcd/clientv3/concurrency":    {Era34, AreaConcurrency},
	"go.etcd.io/etcd/clientv3/namespace":      {Era34, AreaNamespace},
	"go.etcd.io/etcd/embed":                   {Era34, AreaEmbed},
	"go.etcd.io/etcd/etcdserver/etcdserverpb": {Era34, AreaEtcdserverpb},

	"github.com/coreos/etcd/clientv3":                {EraCoreOS, AreaClient},
	"github.com/coreos/etcd/clientv3/concurrency":    {EraCoreOS, AreaConcurrency},
	"github.com/coreos/etcd/clientv3/namespace":      {EraCoreOS, AreaNamespace},
	"github.com/coreos/etcd/embed":                   {EraCoreOS, AreaEmbed},
	"github.com/coreos/etcd/etcdserver/etcdserverpb": {EraCoreOS, AreaEtcdserverpb},
}

// moduleRoots are the import-path prefixes of etcd's own modules. Code under
// them is etcd itself: its API is modelled here by hand, so etcdlint does not
// summarise it when it is only a dependency.
var moduleRoots = []string{
	"go.etcd.io/etcd/",
	"github.com/coreos/etcd/",
}

// PackageArea reports the era and area of the package with the given import
// path, or (EraNone, AreaNone) when it is not a modelled etcd API package.
//
// A package outside etcd's modules whose last path element is etcdserverpb
// is a program's own copy of etcd's generated gRPC API (coreos/torus kept
// one at internal/etcdproto/etcdserverpb): it is the raw KV API, and writes
// through it are writes to etcd. RequestField and Lookup still require the
// etcd shapes (PutRequest's Key and Value, KVClient's Put and Txn).
func PackageArea(path string) (Era, Area) {
	path = trimVendor(path)
	p, ok := packages[path]
	if !ok {
		if strings.HasSuffix(path, "/etcdserverpb") && !IsEtcdModule(path) {
			return EraCopy, AreaEtcdserverpb
		}
		return EraNone, AreaNone
	}
	return p.era, p.area
}

// IsAPIPackage reports whether path is one of the etcd API packages etcdlint models.
func IsAPIPackage(path string) bool {
	_, a := PackageArea(path)
	return a != AreaNone
}

// IsEtcdModule reports whether path belongs to one of etcd's own modules
// (the API packages, their internals, the server).
func IsEtcdModule(path string) bool {
	path = trimVendor(path)
	for _, r := range moduleRoots {
		if strings.HasPrefix(path, r) {
			return true
		}
	}
	return false
}

// trimVendor strips a vendor directory prefix, so that vendored copies of etcd
// are recognised like module-mode ones.
func trimVendor(path string) string {
	if i := strings.LastIndex(path, "/vendor/"); i >= 0 {
		return path[i+len("/vendor/"):]
	}
	return strings.TrimPrefix(path, "vendor/")
}

// Imports reports whether pkg imports an etcd API package directly.
func Imports(pkg *types.Package) bool {
	for _, imp := range pkg.Imports() {
		if IsAPIPackage(imp.Path()) {
			return true
		}
	}
	return false
}

// EmbedPackage returns the import path of the embed package of the given era.
func EmbedPackage(e Era) string {
	for path, p := range packages {
		if p.era == e && p.area == AreaEmbed {
			return path
		}
	}
	return ""
}
