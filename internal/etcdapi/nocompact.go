package etcdapi

import (
	"go/types"
)

// Roles of the embed.Config fields that decide how much history and how many
// raft entries an embedded etcd keeps (see the nocompact pass).
const (
	RoleCompactionMode      = "mode"
	RoleCompactionRetention = "retention"
	RoleSnapshotCount       = "snapshot-count"
	RoleMaxRequestBytes     = "max-request-bytes"
	RoleQuotaBackendBytes   = "quota"
)

// Compaction modes, as AutoCompactionMode spells them in every era
// (v3compactor.ModePeriodic/ModeRevision in 3.4-3.6, compactor.ModePeriodic
// in coreos 3.3).
const (
	CompactionModePeriodic = "periodic"
	CompactionModeRevision = "revision"
)

// configFieldRoles maps embed.Config field names to roles. coreos 3.3 calls
// the snapshot count SnapCount (embed/config.go @v3.3.27); 3.4-3.6 call it
// SnapshotCount.
var configFieldRoles = map[string]string{
	ConfigCompactionMode:      RoleCompactionMode,
	ConfigCompactionRetention: RoleCompactionRetention,
	ConfigSnapshotCount:       RoleSnapshotCount,
	"SnapCount":               RoleSnapshotCount,
	"MaxRequestBytes":         RoleMaxRequestBytes,
	"QuotaBackendBytes":       RoleQuotaBackendBytes,
}

// ConfigFieldRole reports the role (one of the Role* constants) of v when v is
// a field of an embed package's Config that nocompact follows, or "".
func ConfigFieldRole(v *types.Var) string {
	if v == nil || !v.IsField() || v.Pkg() == nil {
		return ""
	}
	if _, a := PackageArea(v.Pkg().Path()); a != AreaEmbed {
		return ""
	}
	role, ok := configFieldRoles[v.Name()]
	if !ok {
		return ""
	}
	obj := v.Pkg().Scope().Lookup("Config")
	if obj == nil {
		return ""
	}
	st, ok := obj.Type().Underlying().(*types.Struct)
	if !ok {
		return ""
	}
	for i := range st.NumFields() {
		if st.Field(i) == v {
			return role
		}
	}
	return ""
}

// ConfigFieldName returns the name of the Config field with the given role in
// the embed package embed ("SnapCount" in coreos 3.3, "SnapshotCount" later),
// or "" when that package's Config has no such field.
func ConfigFieldName(embed *types.Package, role string) string {
	if embed == nil {
		return ""
	}
	obj := embed.Scope().Lookup("Config")
	if obj == nil {
		return ""
	}
	st, ok := obj.Type().Underlying().(*types.Struct)
	if !ok {
		return ""
	}
	for i := range st.NumFields() {
		if configFieldRoles[st.Field(i).Name()] == role {
			return st.Field(i).Name()
		}
	}
	return ""
}

// CompactorModeConst returns the name of the embed package's exported
// identifier for the compaction mode ("CompactorModePeriodic" for
// "periodic"; a variable in 3.4-3.6), or "" when the package declares none:
// coreos 3.3's embed has no such name (it uses its compactor package's
// ModePeriodic).
func CompactorModeConst(embed *types.Package, mode string) string {
	if embed == nil {
		return ""
	}
	var name string
	switch mode {
	case CompactionModePeriodic:
		name = "CompactorModePeriodic"
	case CompactionModeRevision:
		name = "CompactorModeRevision"
	default:
		return ""
	}
	switch obj := embed.Scope().Lookup(name).(type) {
	case *types.Const:
		return name
	case *types.Var:
		if m, ok := CompactorModeVar(obj); ok && m == mode {
			return name
		}
	}
	return ""
}

// IsNewConfig reports whether fn is embed.NewConfig, which returns a Config
// holding etcd's defaults (as opposed to ConfigFromFile, whose values come
// from the program's own file).
func IsNewConfig(fn *types.Func) bool {
	op, ok := Lookup(fn)
	return ok && op.Kind == NewConfig && fn.Name() == "NewConfig"
}

// Version names the etcd release line of an embed package for messages:
// "3.3", "3.4", "3.5" or "3.6".
func Version(e Era, is36 bool) string {
	switch e {
	case EraCoreOS:
		return "3.3"
	case Era34:
		return "3.4"
	case Era35:
		if is36 {
			return "3.6"
		}
		return "3.5"
	}
	return ""
}

// CompactorModeVar reports the mode held by obj when obj is one of the embed
// package's CompactorModePeriodic and CompactorModeRevision, which 3.4-3.6
// declare as variables initialised from v3compactor's constants (so their
// value is not in the type information).
func CompactorModeVar(obj types.Object) (string, bool) {
	v, ok := obj.(*types.Var)
	if !ok || v.IsField() || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
		return "", false
	}
	if _, a := PackageArea(v.Pkg().Path()); a != AreaEmbed {
		return "", false
	}
	switch v.Name() {
	case "CompactorModePeriodic":
		return CompactionModePeriodic, true
	case "CompactorModeRevision":
		return CompactionModeRevision, true
	}
	return "", false
}

// IsConfigDataDir reports whether v is the Dir field (the data directory) of
// an embed package's Config: where a program configures the embedded
// server's storage.
func IsConfigDataDir(v *types.Var) bool {
	if v == nil || !v.IsField() || v.Pkg() == nil || v.Name() != "Dir" {
		return false
	}
	if _, a := PackageArea(v.Pkg().Path()); a != AreaEmbed {
		return false
	}
	obj := v.Pkg().Scope().Lookup("Config")
	if obj == nil {
		return false
	}
	st, ok := obj.Type().Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := range st.NumFields() {
		if st.Field(i) == v {
			return true
		}
	}
	return false
}
