#!/usr/bin/env bash
# Runs an etcdlint binary over real modules and records, per target, the exit
# status, panics, internal errors, wall time and every report.
#
#   scripts/sweep.sh ETCDLINT_BINARY [OUTDIR]
#
# Targets:
#   rw/*     the module directories that the corpus harness
#            (/work/shared/corpus/run.py) set up under $RW/src (each repository
#            at a case's commit, go.mod ready), run on ./... with the harness's
#            module cache;
#   head/*   the newest commit of each extra mirror under $MIRRORS
#            (git archive HEAD), go mod download, run on ./...;
#   pin/*    six well-kept etcd users at the commits a review read by hand
#            (the review-* cases of the dev corpus), the module in a
#            subdirectory where the repository keeps it there;
#   etcd/*   etcd's own modules at v3.6.16 (server, client, etcdctl, pkg) and
#            raft, from the module cache, through a temp module requiring
#            them (-test=false: their tests' dependencies are not in the
#            build list).
# Output: OUTDIR/NAME.json (the -json output), OUTDIR/NAME.err (stderr),
# OUTDIR/summary.tsv and OUTDIR/sweep.md (a table and every report).
# Environment: MIRRORS (/work/.mirror), RW (/tmp/rw), TIMEOUT per target in
# seconds (1800), ONLY (a regexp of target names to run; with ONLY set the
# earlier results in OUTDIR are kept).
set -uo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 ETCDLINT_BINARY [OUTDIR]" >&2
  exit 2
fi
BIN=$(realpath "$1")
OUT=$(realpath -m "${2:-/tmp/etcdlint-sweep}")
MIRRORS=${MIRRORS:-/work/.mirror}
RW=${RW:-/tmp/rw}
TIMEOUT=${TIMEOUT:-1800}
ONLY=${ONLY:-.}
EXTRA="zeromicro+go-zero k3s-io+kine coredns+coredns mailgun+gubernator douyu+jupiter dubbogo+gost"
# MIRROR@COMMIT[:MODULE_DIR]
PINNED="kitex-contrib+registry-etcd@8bbb757d47af9ff1166851018e521ef88d8f379d
hertz-contrib+registry@8a220332e808c6ce929e82887c1caede3fe5a462:etcd
apache+dubbo-go@08a4387b7ea295b8068de0bc5cd64c3df92c9d48
grafana+dskit@06829887f955c8b70bcac1c948a4b7ea3cd811f3
apache+incubator-seata-go@84c991ff94a2dd8e1d1dcaaf4e8a8cc85d24daca
kitex-contrib+config-etcd@7fe0870c28ebbaea2c4ab9266040f7cde4582a90"
ETCD_VERSION=v3.6.16
RAFT_VERSION=v3.6.0
mkdir -p "$OUT" "$OUT/work"
# A full sweep starts a new summary; with ONLY set, the rows of the targets
# run again replace their earlier rows (the last row of a target wins).
if [ "$ONLY" = . ]; then : >"$OUT/summary.tsv"; else touch "$OUT/summary.tsv"; fi

# run NAME DIR PATTERN [ENV...]: run the binary in DIR and record the result.
run() {
  local name=$1 dir=$2 pattern=$3
  shift 3
  local safe=${name//\//_}
  local t0 t1 rc
  t0=$(date +%s.%N)
  (cd "$dir" && env "$@" timeout "$TIMEOUT" "$BIN" -json $pattern) >"$OUT/$safe.json" 2>"$OUT/$safe.err"
  rc=$?
  t1=$(date +%s.%N)
  local secs panics internal
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", b-a}')
  panics=$(cat "$OUT/$safe.json" "$OUT/$safe.err" | grep -c "panic:")
  internal=$(cat "$OUT/$safe.json" "$OUT/$safe.err" | grep -c "internal error")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rc" "$secs" "$panics" "$internal" "$dir" >>"$OUT/summary.tsv"
  echo "$name: exit $rc, ${secs}s, panics $panics, internal errors $internal" >&2
}

wanted() { echo "$1" | grep -Eq "$ONLY"; }

# 1. The harness's module directories.
for dir in "$RW"/src/*/; do
  [ -f "$dir/go.mod" ] || continue
  name="rw/$(basename "$dir")"
  wanted "$name" || continue
  run "$name" "$dir" ./... GOMODCACHE="$RW/gomod" GOFLAGS="-buildvcs=false -mod=mod" \
    GOTOOLCHAIN=local GOWORK=off GOPROXY=off
done

# 2. The newest commit of each extra mirror.
for m in $EXTRA; do
  name="head/$m"
  wanted "$name" || continue
  git_dir="$MIRRORS/$m/repo"
  [ -d "$git_dir" ] || git_dir="$MIRRORS/$m"
  src="$OUT/work/$m"
  if [ ! -f "$src/go.mod" ]; then
    rm -rf "$src" && mkdir -p "$src"
    if ! git --git-dir "$git_dir" archive -o "$OUT/work/tree.tar" HEAD 2>/dev/null; then
      # The mirror lacks some (large) blobs: archive every file it has.
      git --git-dir "$git_dir" ls-tree -r HEAD >"$OUT/work/tree.lst"
      awk '{print $3}' "$OUT/work/tree.lst" | git --git-dir "$git_dir" cat-file --batch-check >"$OUT/work/tree.chk"
      paste "$OUT/work/tree.chk" "$OUT/work/tree.lst" | awk -F'\t' '$1 ~ / missing$/ {print $3 > "/dev/stderr"; next} {print $3}' 2>"$OUT/work/tree.missing" |
        tr '\n' '\0' | G="$git_dir" D="$src" xargs -0 -n 500 sh -c 'git --git-dir "$G" archive HEAD -- "$@" | tar -x -C "$D"' _
      echo "$m: not in the mirror, left out: $(tr '\n' ' ' <"$OUT/work/tree.missing")" >&2
    else
      tar -x -C "$src" -f "$OUT/work/tree.tar"
    fi
  fi
  rev=$(git --git-dir "$git_dir" rev-parse --short=12 HEAD)
  (cd "$src" && GOFLAGS=-mod=mod GOWORK=off go mod download >/dev/null 2>&1)
  run "$name@$rev" "$src" ./... GOFLAGS="-buildvcs=false -mod=mod" GOWORK=off
done

# 3. The pinned commits of the reviewed users.
for spec in $PINNED; do
  m=${spec%%@*} rest=${spec#*@}
  commit=${rest%%:*} sub=""
  [ "$rest" != "$commit" ] && sub=${rest#*:}
  name="pin/$m@${commit:0:12}"
  wanted "$name" || continue
  git_dir="$MIRRORS/$m/repo"
  [ -d "$git_dir" ] || git_dir="$MIRRORS/$m"
  src="$OUT/work/pin/$m@$commit"
  if [ ! -d "$src" ]; then
    mkdir -p "$src"
    if ! git --git-dir "$git_dir" archive "$commit" | tar -x -C "$src"; then
      echo "$m: commit $commit is not in the mirror; left out" >&2
      rm -rf "$src"
      continue
    fi
  fi
  dir="$src${sub:+/$sub}"
  (cd "$dir" && GOFLAGS=-mod=mod GOWORK=off go mod download >/dev/null 2>&1)
  run "$name${sub:+/$sub}" "$dir" ./... GOFLAGS="-buildvcs=false -mod=mod" GOWORK=off
done

# 4. etcd's own modules.
if wanted "etcd/"; then
  mod="$OUT/work/etcdmods"
  mkdir -p "$mod"
  cat >"$mod/go.mod" <<EOF
module example.com/etcdsweep

go 1.26.0

require (
	go.etcd.io/etcd/client/v3 $ETCD_VERSION
	go.etcd.io/etcd/etcdctl/v3 $ETCD_VERSION
	go.etcd.io/etcd/pkg/v3 $ETCD_VERSION
	go.etcd.io/etcd/server/v3 $ETCD_VERSION
	go.etcd.io/raft/v3 $RAFT_VERSION
)
EOF
  cat >"$mod/tools.go" <<'EOF'
//go:build tools

package tools

import (
	_ "go.etcd.io/etcd/client/v3"
	_ "go.etcd.io/etcd/etcdctl/v3"
	_ "go.etcd.io/etcd/pkg/v3/traceutil"
	_ "go.etcd.io/etcd/server/v3/embed"
	_ "go.etcd.io/raft/v3"
)
EOF
  (cd "$mod" && GOFLAGS=-mod=mod GOWORK=off go mod tidy >/dev/null 2>&1)
  for p in go.etcd.io/etcd/server/v3 go.etcd.io/etcd/client/v3 go.etcd.io/etcd/etcdctl/v3 go.etcd.io/etcd/pkg/v3 go.etcd.io/raft/v3; do
    name="etcd/${p#go.etcd.io/}"
    wanted "$name" || continue
    run "$name" "$mod" "-test=false $p/..." GOFLAGS="-buildvcs=false -mod=mod" GOWORK=off
  done
fi

# 5. The table and every report.
python3 - "$OUT" <<'EOF'
import json, os, re, sys
out = sys.argv[1]
last = {}
for l in open(os.path.join(out, "summary.tsv")):
    if l.strip():
        r = l.rstrip("\n").split("\t")
        last[r[0]] = r
rows = list(last.values())
md = ["| target | exit | time (s) | panics | internal errors | packages with errors | reports |",
      "|---|---|---|---|---|---|---|"]
reports = []
for name, rc, secs, panics, internal, d in rows:
    safe = name.replace("/", "_")
    text = open(os.path.join(out, safe + ".json"), errors="replace").read()
    dec, pos, errs, n = json.JSONDecoder(), 0, set(), 0
    seen = set()
    while pos < len(text):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        try:
            obj, pos = dec.raw_decode(text, pos)
        except ValueError:
            break
        for pkg, byan in obj.items():
            for an, ds in byan.items():
                if isinstance(ds, dict):
                    errs.add(pkg)
                    continue
                for x in ds:
                    posn = x.get("posn", "")
                    m = re.match(r"^(.*):(\d+):(\d+)$", posn)
                    f = m.group(1) if m else posn
                    f = os.path.relpath(f, d) if f.startswith(d.rstrip("/")) else f
                    if "/pkg/mod/" in f:
                        f = "$GOMODCACHE/" + f.split("/pkg/mod/", 1)[1]
                    key = (f, m.group(2) if m else "", an, x.get("message", ""))
                    if key not in seen:
                        seen.add(key)
                        reports.append((name,) + key)
                        n += 1
    md.append("| %s | %s | %s | %s | %s | %d | %d |" % (name, rc, secs, panics, internal, len(errs), n))
md += ["", "Reports (target, file:line, pass, message):", ""]
for name, f, line, an, msg in reports:
    md.append("- `%s` `%s:%s` **%s**: %s" % (name, f, line, an, msg.replace("|", "\\|")))
open(os.path.join(out, "sweep.md"), "w").write("\n".join(md) + "\n")
print("\n".join(md[: len(rows) + 2]))
EOF
