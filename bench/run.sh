#!/usr/bin/env bash
# One command for every benchmark: ./bench/run.sh [area...]   (--assemble-only: rebuild RESULTS.md only)
# Each area lives in bench/<area>/run.sh and writes its figures to bench/results/<area>.md;
# bench/RESULTS.md is assembled from those files at the end.
set -euo pipefail
cd "$(dirname "$0")"
assemble_only=false
if [ "${1:-}" = "--assemble-only" ]; then assemble_only=true; shift; fi
areas=("$@")
if [ ${#areas[@]} -eq 0 ]; then
  for d in */run.sh; do areas+=("$(dirname "$d")"); done
fi
mkdir -p results
if ! $assemble_only; then
  # What the benchmarks run side by side with Moddock: nginx, wrk, hyperfine, curl and the go command.
  need=()
  for p in golang-go golang-golang-x-mod-dev git nginx wrk hyperfine curl python3; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  if ((${#need[@]})); then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
  fi
  (cd .. && dotnet build Moddock.slnx -c Release -nologo -v:q >/dev/null)
fi
for a in "${areas[@]}"; do
  $assemble_only && break
  echo "== bench: $a" >&2
  bash "$a/run.sh"
done
{
  echo "# Benchmark results"
  echo
  echo "Produced by \`bench/run.sh\` on this project's 2-core machine. Every figure is a ratio against a"
  echo "reference measured side by side in the same run. Raw numbers follow each ratio."
  for f in results/*.md; do echo; cat "$f"; done
} > RESULTS.md
echo "wrote bench/RESULTS.md" >&2
