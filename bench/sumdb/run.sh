#!/usr/bin/env bash
# bench/sumdb: cost of checksum-database verification on a cold `go mod download` of a 100-module graph,
# measured on `moddock serve` itself. Side by side, alternating, fresh caches and a fresh server every run:
#   off:    moddock serve --sumdb off, the go client runs with GOSUMDB=off;
#   on:     moddock serve --sumdb "<key> <database URL>": every .mod and .zip is checked against a real
#           checksum database (x/mod's sumdb server, records already logged) before it is stored or served,
#           and the go client verifies through Moddock's /sumdb/NAME/ endpoints (GOSUMDB=<key>);
#   proxyonly: breakdown: Moddock verifies as in "on", the go client runs with GOSUMDB=off (Moddock's own cost);
#   goonly:    breakdown: moddock --sumdb off, the go client verifies straight at the database.
# The upstream is nginx serving a file-layout GOPROXY, as in bench/serve.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/moddock-bench-sumdb.XXXXXX); chmod 755 "$work"  # nginx workers run as an unprivileged user
runs=${SUMDB_BENCH_RUNS:-31}  # single runs swing 0.8–1.9x on 2 shared cores and 11 runs (70 s) left medians ±0.15 apart between back-to-back runs: 31 runs (~3.5 min), plus CPU time below
bash "$root/tests/oracle/build.sh" "$work/bin" >/dev/null
oracle=$work/bin/sumoracle
echo "== building moddock (Release)" >&2
dotnet build "$root/src/Moddock" -c Release -nologo -v:q >/dev/null
MODDOCK="$root/src/Moddock/bin/Release/net10.0/moddock"

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
pids=()
. "$here/../lib/scratchfs.sh"
cleanup() { kill "$db_pid" 2>/dev/null || true; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; scratch_fs_cleanup; [ -n "${SUMDB_BENCH_KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT
# Each run's go caches and Moddock storage on a scratch filesystem, deleted only at the end (bench/lib/scratchfs.sh).
scratch_fs "$work/scratch"
echo "   run files on $SCRATCH_FS_NOTE" >&2

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done; echo "not up: $1" >&2; return 1; }

# The upstream: nginx serving the files.
up=$(freeport); mkdir -p "$work/nginx/logs" "$work/nginx/tmp"
cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off; sendfile on; tcp_nodelay on; keepalive_requests 100000;
  client_body_temp_path $work/nginx/tmp/body; proxy_temp_path $work/nginx/tmp/proxy; fastcgi_temp_path $work/nginx/tmp/fcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi; scgi_temp_path $work/nginx/tmp/scgi;
  types { application/json info; application/zip zip; }
  default_type "text/plain; charset=utf-8";
  server { listen 127.0.0.1:$up; root $work/files; }
}
NGINX
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
wait_http "http://127.0.0.1:$up/example.com/bench/warm/@v/list"

# one cold run: $1 = off|on|goonly, $2 = run id; prints seconds
one() {
  local mode=$1 run=$2 port dir sumdb_arg gosumdb mpid
  port=$(freeport); dir=$work/scratch/run-$mode-$run; mkdir -p "$dir"
  case $mode in
    on) sumdb_arg="$vkey $dburl"; gosumdb=$vkey ;;
    proxyonly) sumdb_arg="$vkey $dburl"; gosumdb=off ;;
    goonly) sumdb_arg=off; gosumdb="$vkey $dburl" ;;   # only the go client verifies, straight at the database
    *) sumdb_arg=off; gosumdb=off ;;
  esac
  "$MODDOCK" serve --listen "127.0.0.1:$port" --storage "$dir/storage" --upstream "http://127.0.0.1:$up" --sumdb "$sumdb_arg" >"$dir/moddock.log" 2>&1 &
  mpid=$!
  wait_http "http://127.0.0.1:$port/healthz"
  # A long-running server is JIT-warm: exercise the same path once with a module outside the measured graph.
  for p in example.com/bench/warm/@v/v1.0.0.info example.com/bench/warm/@v/v1.0.0.mod example.com/bench/warm/@v/v1.0.0.zip; do
    curl -fs -o /dev/null "http://127.0.0.1:$port/$p"
  done
  if [ "$mode" != off ] && [ "$mode" != goonly ]; then curl -fs -o /dev/null "http://127.0.0.1:$port/sumdb/sumdb.bench.test/lookup/example.com/bench/warm@v1.0.0"; fi
  rm -f "$work/root/go.sum"
  local t0 t1 c0 c1
  c0=$(awk '{print $14 + $15}' "/proc/$mpid/stat")
  t0=$(date +%s.%N)
  (cd "$work/root" && env -i PATH="$PATH" HOME=$dir/home GOPATH=$dir/gopath GOMODCACHE=$dir/gopath/pkg/mod GOCACHE=$dir/gocache \
     GOENV=off GOFLAGS=-modcacherw GOPROXY=http://127.0.0.1:$port GOSUMDB="$gosumdb" GONOSUMDB= GONOPROXY= GOPRIVATE= GOINSECURE= \
     GO111MODULE=on CGO_ENABLED=0 go mod download) >/dev/null 2>"$dir/go.err" || { cat "$dir/go.err" "$dir/moddock.log" >&2; kill "$mpid"; exit 1; }
  t1=$(date +%s.%N)
  # Moddock's CPU time (user + system, clock ticks) for the download alone: far less sensitive than wall time to
  # what other processes do on the shared cores. Written where the caller reads it (this runs in a subshell).
  c1=$(awk '{print $14 + $15}' "/proc/$mpid/stat")
  echo $(( (c1 - c0) * 1000 / $(getconf CLK_TCK) )) >"$work/cpu-$mode-$run"
  kill "$mpid"; wait "$mpid" 2>/dev/null || true
  [ "$(find "$dir/gopath/pkg/mod/cache/download/example.com/bench" -name '*.zip' | wc -l)" = 100 ] || { echo "not all 100 zips downloaded ($mode)" >&2; exit 1; }
  if [ "$mode" = on ]; then
    # the go client itself looked every module up in the checksum database, through Moddock's /sumdb/
    [ "$(find "$dir/gopath/pkg/mod/cache/download/sumdb/sumdb.bench.test/lookup" -type f | wc -l)" = 100 ] || { echo "go did not verify all 100 modules via /sumdb/" >&2; exit 1; }
  fi
  if [ "$mode" = on ] || [ "$mode" = proxyonly ]; then
    # Moddock looked every module up before storing it (its own lookup cache under the storage root)
    [ "$(find "$dir/storage/sumdb" -path '*lookup*' -type f | wc -l)" -ge 100 ] || { echo "moddock did not verify all 100 modules" >&2; exit 1; }
  fi
  [ -n "${SUMDB_BENCH_KEEP:-}" ] || [ -n "$SCRATCH_FS_DIR" ] || rm -rf "$dir"
  echo "$t1 - $t0" | bc -l
}

off=(); on=(); goonly=(); proxyonly=(); ratios=(); pratios=(); gratios=(); loads=(); cpuoff=(); cpupo=(); cpuratios=()
started=$(date +%s)
one off warm >/dev/null; one on warm >/dev/null   # warm the OS file cache and the dotnet/go binaries
for r in $(seq "$runs"); do
  o=$(one off "$r"); n=$(one on "$r"); p=$(one proxyonly "$r"); g=$(one goonly "$r")
  off+=("$o"); on+=("$n"); proxyonly+=("$p"); goonly+=("$g"); ratios+=("$(echo "$n / $o" | bc -l)"); pratios+=("$(echo "$p / $o" | bc -l)"); gratios+=("$(echo "$n / $g" | bc -l)")
  co=$(cat "$work/cpu-off-$r"); cp_=$(cat "$work/cpu-proxyonly-$r"); cpuoff+=("$co"); cpupo+=("$cp_")
  [ "$co" -gt 0 ] && cpuratios+=("$(echo "$cp_ / $co" | bc -l)")
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  printf '   run %d: off %.3f s, on %.3f s (%.2fx), proxy-only %.3f s (%.2fx), go-only %.3f s; Moddock CPU off %d ms, proxy-only %d ms\n' "$r" "$o" "$n" "$(echo "$n / $o" | bc -l)" "$p" "$(echo "$p / $o" | bc -l)" "$g" "$co" "$cp_" >&2
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# the middle half of the per-run ratios (25th–75th percentile, nearest rank): how far one run's ratio can be trusted
quartiles() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {q1=int((NR+3)/4); q3=int((3*NR+3)/4); printf "%.2f–%.2f", a[q1], a[q3]}'; }
moff=$(median "${off[@]}"); mon=$(median "${on[@]}"); mgo=$(median "${goonly[@]}"); mpo=$(median "${proxyonly[@]}")
ratio=$(median "${ratios[@]}"); pratio=$(median "${pratios[@]}"); gratio=$(median "${gratios[@]}")
mkdir -p "$root/bench/results"
{
  echo "## sumdb: verification cost on a cold go mod download (100 modules), \`moddock serve\`"
  echo
  printf 'Generated by `bench/sumdb/run.sh` on %s, %d CPUs. Median of %d alternating cold runs (ratio = median of the per-run ratios).\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$(nproc)" "$runs"
  printf 'Goal: ≤ 1.10× the time without `--sumdb`. Only `--sumdb` changes between the two arms of each comparison:\n\n'
  printf -- '- **go clients verifying (the default GOSUMDB) in both: %.2f×**: with `--sumdb` they verify through Moddock'"'"'s /sumdb/, without it straight at the database;\n' "$gratio"
  printf -- '- **go clients not verifying (GOSUMDB=off) in both: %.2f×**: Moddock'"'"'s own verification alone;\n' "$pratio"
  printf -- '- and, counting the client'"'"'s own verification as a cost too (GOSUMDB=off without `--sumdb`, on with it): %.2f×.\n\n' "$ratio"
  echo "| mode | median s | runs (s) |"
  echo "|---|---|---|"
  printf '| without: `moddock serve --sumdb off`, GOSUMDB=off | %.3f | %s |\n' "$moff" "$(printf '%.3f ' "${off[@]}")"
  printf '| with: `moddock serve --sumdb "<key> <db URL>"` verifies every .mod/.zip before storing or serving it; go verifies via Moddock'"'"'s /sumdb/ | %.3f | %s |\n' "$mon" "$(printf '%.3f ' "${on[@]}")"
  printf '| breakdown: Moddock verifies as in "with", the go client does not (GOSUMDB=off): Moddock'"'"'s own cost, **%.2f×** | %.3f | %s |\n' "$pratio" "$mpo" "$(printf '%.3f ' "${proxyonly[@]}")"
  printf '| breakdown: `--sumdb off`, the go client alone verifies, straight at the database | %.3f | %s |\n' "$mgo" "$(printf '%.3f ' "${goonly[@]}")"
  echo
  echo "Middle half of the per-run ratios: clients verify in both $(quartiles "${gratios[@]}"), Moddock's own $(quartiles "${pratios[@]}"), client's verification counted too $(quartiles "${ratios[@]}")."
  echo
  echo "Per-run ratios, with / without: $(printf '%.2f ' "${ratios[@]}"); Moddock-only / without: $(printf '%.2f ' "${pratios[@]}"); with / go-only (clients verify in both): $(printf '%.2f ' "${gratios[@]}")"
  echo
  printf 'Moddock CPU time (user + system) during the download, Moddock-only (`--sumdb` on, GOSUMDB=off) / without: **%.2f×** (median of per-run ratios; %s ms vs %s ms median). CPU time is far steadier than wall time on the shared machine; it counts the lookups, tile proofs and hashing, not the waiting.\n' "$(median "${cpuratios[@]}")" "$(median "${cpupo[@]}")" "$(median "${cpuoff[@]}")"
  echo "Per-run Moddock CPU ms, without: ${cpuoff[*]}; Moddock-only: ${cpupo[*]}."
  echo
  echo "Load average after each run: ${loads[*]}; the $runs runs took $(( $(date +%s) - started )) s."
  echo
  echo "Database: golang.org/x/mod sumdb.NewServer(NewTestServer) on loopback with the 101 records already logged."
  echo "Upstream: nginx serving a file-layout GOPROXY. Each run: a new \`moddock serve\` process with empty storage"
  echo "(JIT-warmed by fetching one module outside the graph, and in the \"with\" mode looking it up through /sumdb/),"
  echo "a fresh GOMODCACHE and no go.sum. Loopback only, so network latency to a real database is not in these"
  echo "figures: the ratio is the CPU/protocol cost of verification. Moddock starts the database lookup of M@V as"
  echo "the .mod or .zip download begins, and the .mod check, the .zip check and the go client's own /sumdb/ lookup"
  echo "share it. Read-ahead (\`--prefetch\`) is at its default in every mode. Files of every run: $SCRATCH_FS_NOTE."
} > "$root/bench/results/sumdb.md"
if [ -f "$here/notes.md" ]; then { echo; cat "$here/notes.md"; } >>"$root/bench/results/sumdb.md"; fi
cat "$root/bench/results/sumdb.md"
