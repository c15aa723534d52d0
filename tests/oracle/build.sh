#!/usr/bin/env bash
# Builds every Go oracle under tests/oracle/src/<name> into $1/<name>, against Debian's
# golang.org/x/mod (/usr/share/gocode) in GOPATH mode: no network, no module download.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUTDIR}
mkdir -p "$out"
export GO111MODULE=off GOPATH="$here:/usr/share/gocode" CGO_ENABLED=0 GOFLAGS=
export GOCACHE=${GOCACHE:-$out/.gocache}
for d in "$here"/src/*/; do
  [ -f "$d/main.go" ] || continue
  name=$(basename "$d")
  go build -o "$out/$name" "$name"
done
