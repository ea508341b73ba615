package report

import "testing"

func TestTestSupportPackage(t *testing.T) {
	support := []string{
		"github.com/acme/store/testserver",
		"github.com/acme/store/internal/testutil",
		"github.com/acme/store/testing/etcd",
		"github.com/acme/store/tests/v3/framework",
		"github.com/acme/store/integration",
		"github.com/acme/store/e2e/cluster",
		"github.com/acme/store/pkg/etcdtesting",
		"github.com/acme/store/kvtestutil",
		"github.com/acme/store/testserver [github.com/acme/store/testserver.test]",
	}
	for _, p := range support {
		if !TestSupportPackage(p) {
			t.Errorf("TestSupportPackage(%q) = false, want true", p)
		}
	}
	other := []string{
		"github.com/acme/store",
		"github.com/acme/store/latest",
		"github.com/acme/contest/registry",
		"github.com/acme/store/attestation",
		"github.com/acme/store/embeddedetcd",
		"example.com/fixture/a",
		"example.com/fixture/withtests",
		"testing.example.com/store", // the host is not an element of the package's own layout
	}
	for _, p := range other {
		if TestSupportPackage(p) {
			t.Errorf("TestSupportPackage(%q) = true, want false", p)
		}
	}
}
