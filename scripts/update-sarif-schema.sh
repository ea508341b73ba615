#!/usr/bin/env bash
# Fetches the SARIF 2.1.0 JSON schema that the tests validate etcdlint's
# -sarif output against (internal/sarif/testdata/sarif-2.1.0-rtm.5.json)
# from the npm package that ships it, and reports whether it changed.
set -euo pipefail
cd "$(dirname "$0")/.."

pkg=@microsoft/jest-sarif@1.0.0-beta.0
file=lib/schemas/sarif-2.1.0-rtm.5.json
dest=internal/sarif/testdata/sarif-2.1.0-rtm.5.json

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$pkg" >/dev/null && tar xzf ./*.tgz "package/$file")
if cmp -s "$work/package/$file" "$dest"; then
  echo "$dest is up to date ($pkg)"
else
  cp "$work/package/$file" "$dest"
  echo "$dest updated from $pkg"
fi
