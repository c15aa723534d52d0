#!/usr/bin/env bash
# bench/sumdb: cost of checksum-database verification on a cold `go mod download` of a 100-module graph.
# Side by side, alternating, fresh caches every run:
#   without: the proxy serves the modules as they are, the go client runs with GOSUMDB=off;
#   with:    the proxy checks every .mod and .zip against a real checksum database (x/mod's sumdb server,
#            records already logged) before serving it, from cold storage, and the go client verifies
#            through the proxy's /sumdb/NAME/ endpoint (GOSUMDB=<key>).
# The proxy is bench/sumdb/harness (Moddock.Sumdb's SumdbSetup, the same parts `moddock serve` wires).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$root/bench/.work/sumdb
runs=${SUMDB_BENCH_RUNS:-5}
rm -rf "$work"; mkdir -p "$work"
bash "$root/tests/oracle/build.sh" "$work/bin" >/dev/null
dotnet build "$here/harness" -c Release -o "$work/harness" >/dev/null
oracle=$work/bin/sumoracle

# 100 modules, each with a go.mod and ~4 KB of Go source, as a file-layout proxy; a root module requiring all.
python3 - "$work" <<'PY'
import os, sys, zipfile
work = sys.argv[1]
req = []
for i in list(range(100)) + ["warm"]:
    m = f"example.com/bench/m{i:03d}" if i != "warm" else "example.com/bench/warm"; v = "v1.0.0"
    d = os.path.join(work, "files", m, "@v"); os.makedirs(d, exist_ok=True)
    gomod = f"module {m}\n\ngo 1.19\n"
    open(os.path.join(d, "list"), "w").write(v + "\n")
    open(os.path.join(d, v + ".info"), "w").write('{"Version":"%s","Time":"2024-01-01T00:00:00Z"}' % v)
    open(os.path.join(d, v + ".mod"), "w").write(gomod)
    with zipfile.ZipFile(os.path.join(d, v + ".zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{m}@{v}/go.mod", gomod)
        z.writestr(f"{m}@{v}/m.go", f"package m\n\n" + "".join(f"// line {j} of module {i}\nvar V{j} = {j}\n" for j in range(120)))
    if i != "warm":
        req.append(f"\t{m} {v}\n")
os.makedirs(os.path.join(work, "root"), exist_ok=True)
open(os.path.join(work, "root", "go.mod"), "w").write("module bench/root\n\ngo 1.19\n\nrequire (\n" + "".join(req) + ")\n")
PY

# The database's records: go.sum lines hashed by Go's dirhash.
{
  for i in $(seq -f m%03g 0 99) warm; do
    d=$work/files/example.com/bench/$i/@v
    printf 'hashzip\t%s\nhashmod\t%s\n' "$d/v1.0.0.zip" "$d/v1.0.0.mod"
  done
} | "$oracle" batch > "$work/hashes.txt"
paste - - < "$work/hashes.txt" | awk -v OFS='' '{ m=(NR<=100) ? sprintf("example.com/bench/m%03d", NR-1) : "example.com/bench/warm"; print m, " v1.0.0 ", $2; print m, " v1.0.0/go.mod ", $4 }' > "$work/records.txt"
keys=$(printf 'keygen\tsumdb.bench.test\n' | "$oracle" batch)
skey=$(echo "$keys" | cut -f2); vkey=$(echo "$keys" | cut -f3)
preload=$(for i in $(seq -f m%03g 0 99) warm; do echo "example.com/bench/$i@v1.0.0"; done)

coproc DB { exec "$oracle" serve "$skey" "$work/records.txt" $preload; }
read -r dburl <&"${DB[0]}"
db_pid=$DB_PID
cleanup() { kill "$db_pid" 2>/dev/null || true; [ -n "${hpid:-}" ] && kill "$hpid" 2>/dev/null || true; }
trap cleanup EXIT

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# one cold run: $1 = off|on ; prints seconds
one() {
  local mode=$1 run=$2 port dir sumdb_arg gosumdb
  port=$(freeport); dir=$work/run-$mode-$run; mkdir -p "$dir"
  case $mode in
    on) sumdb_arg=(--sumdb "$vkey $dburl"); gosumdb=$vkey ;;
    goonly) sumdb_arg=(); gosumdb="$vkey $dburl" ;;   # only the go client verifies, straight at the database
    *) sumdb_arg=(); gosumdb=off ;;
  esac
  "$work/harness/sumdb-bench-harness" "$port" "$work/files" "$dir/storage" "${sumdb_arg[@]}" > "$dir/harness.out" 2>&1 &
  hpid=$!
  for _ in $(seq 100); do grep -q http "$dir/harness.out" 2>/dev/null && break; sleep 0.1; done
  # A long-running server is JIT-warm: exercise the same path once with a module outside the measured graph.
  for p in example.com/bench/warm/@v/v1.0.0.mod example.com/bench/warm/@v/v1.0.0.zip sumdb/sumdb.bench.test/lookup/example.com/bench/warm@v1.0.0; do
    curl -sf -o /dev/null "http://127.0.0.1:$port/$p" || [ "$mode" = off ]
  done
  rm -f "$work/root/go.sum"
  local t0 t1
  t0=$(date +%s.%N)
  (cd "$work/root" && HOME=$dir/home GOPATH=$dir/gopath GOMODCACHE=$dir/gopath/pkg/mod GOCACHE=$dir/gocache \
     GOFLAGS=-modcacherw GOPROXY=http://127.0.0.1:$port GOSUMDB="$gosumdb" GONOSUMDB= GONOPROXY= GOPRIVATE= GOINSECURE= \
     GO111MODULE=on CGO_ENABLED=0 go mod download) >/dev/null 2>"$dir/go.err" || { cat "$dir/go.err" >&2; exit 1; }
  t1=$(date +%s.%N)
  kill "$hpid"; wait "$hpid" 2>/dev/null || true; hpid=
  [ "$(find "$dir/gopath/pkg/mod/cache/download/example.com/bench" -name '*.zip' | wc -l)" = 100 ] || { echo "not all 100 zips downloaded ($mode)" >&2; exit 1; }
  if [ "$mode" = on ]; then
    # the go client itself looked every module up in the checksum database, through the proxy
    [ "$(find "$dir/gopath/pkg/mod/cache/download/sumdb/sumdb.bench.test/lookup" -type f | wc -l)" = 100 ] || { echo "go did not verify all 100 modules via /sumdb/" >&2; exit 1; }
  fi
  echo "$t1 - $t0" | bc -l
}

off=(); on=(); goonly=()
one off warm >/dev/null; one on warm >/dev/null   # warm the OS file cache and the dotnet/go binaries
for r in $(seq "$runs"); do off+=("$(one off "$r")"); on+=("$(one on "$r")"); goonly+=("$(one goonly "$r")"); done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
moff=$(median "${off[@]}"); mon=$(median "${on[@]}"); mgo=$(median "${goonly[@]}")
ratio=$(echo "$mon / $moff" | bc -l)
mkdir -p "$root/bench/results"
{
  echo "## sumdb: verification cost on a cold go mod download (100 modules)"
  echo
  printf 'Median of %d alternating cold runs. **With checksum verification: %.2f× the time without** (goal ≤ 1.10×).\n\n' "$runs" "$ratio"
  echo "| mode | median s | runs (s) |"
  echo "|---|---|---|"
  printf '| without (GOSUMDB=off, proxy does not verify) | %.3f | %s |\n' "$moff" "$(printf '%.3f ' "${off[@]}")"
  printf '| with (proxy verifies every .mod/.zip before serving; go verifies via /sumdb/) | %.3f | %s |\n' "$mon" "$(printf '%.3f ' "${on[@]}")"
  printf '| breakdown: go client alone verifies, straight at the database; proxy does not | %.3f | %s |\n' "$mgo" "$(printf '%.3f ' "${goonly[@]}")"
  echo
  echo "Database: golang.org/x/mod sumdb.NewServer(NewTestServer) on loopback with the 100 records already logged;"
  echo "proxy: bench/sumdb/harness (Moddock.Sumdb SumdbSetup: ChecksumVerifier + SumdbProxyEndpoint, cold storage each run)."
  echo "Each run: fresh GOMODCACHE, fresh proxy storage (a new proxy process, JIT-warmed by fetching one module outside the graph), no go.sum. Loopback only, so network latency to a real"
  echo "database is not in these figures: the ratio is the CPU/protocol cost of verification."
} > "$root/bench/results/sumdb.md"
cat "$root/bench/results/sumdb.md"
