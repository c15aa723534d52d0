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
# The long-running-server phase (below) downloads a different graph in every run, example.com/bench/gNN/mIII:
# LONG_WARM graphs first to let the JIT settle, then one per measured run.
long_runs=${SUMDB_BENCH_LONG_RUNS:-31}
long_warm=${SUMDB_BENCH_LONG_WARM:-8}
python3 - "$work" $((long_warm + long_runs)) <<'PY'
import os, sys, zipfile
work, graphs = sys.argv[1], int(sys.argv[2])
def module(m, v="v1.0.0"):
    d = os.path.join(work, "files", m, "@v"); os.makedirs(d, exist_ok=True)
    gomod = f"module {m}\n\ngo 1.19\n"
    open(os.path.join(d, "list"), "w").write(v + "\n")
    open(os.path.join(d, v + ".info"), "w").write('{"Version":"%s","Time":"2024-01-01T00:00:00Z"}' % v)
    open(os.path.join(d, v + ".mod"), "w").write(gomod)
    with zipfile.ZipFile(os.path.join(d, v + ".zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{m}@{v}/go.mod", gomod)
        z.writestr(f"{m}@{v}/m.go", f"package m\n\n" + "".join(f"// line {j} of module {m}\nvar V{j} = {j}\n" for j in range(120)))
    modules.write(m + "\n")
def root(name, mods):
    os.makedirs(os.path.join(work, name), exist_ok=True)
    open(os.path.join(work, name, "go.mod"), "w").write("module bench/root\n\ngo 1.19\n\nrequire (\n" + "".join(f"\t{m} v1.0.0\n" for m in mods) + ")\n")
modules = open(os.path.join(work, "modules.txt"), "w")
graph = [f"example.com/bench/m{i:03d}" for i in range(100)]
for m in graph + ["example.com/bench/warm"]:
    module(m)
root("root", graph)
for g in range(graphs):
    graph = [f"example.com/bench/g{g:02d}/m{i:03d}" for i in range(100)]
    for m in graph:
        module(m)
    root(f"root-g{g:02d}", graph)
PY

# The database's records: go.sum lines hashed by Go's dirhash, for every module above (all logged before the runs).
while read -r m; do
  d=$work/files/$m/@v
  printf 'hashzip\t%s\nhashmod\t%s\n' "$d/v1.0.0.zip" "$d/v1.0.0.mod"
done < "$work/modules.txt" | "$oracle" batch > "$work/hashes.txt"
paste - - < "$work/hashes.txt" | paste "$work/modules.txt" - | awk -v OFS='' '{ print $1, " v1.0.0 ", $3; print $1, " v1.0.0/go.mod ", $5 }' > "$work/records.txt"
keys=$(printf 'keygen\tsumdb.bench.test\n' | "$oracle" batch)
skey=$(echo "$keys" | cut -f2); vkey=$(echo "$keys" | cut -f3)
preload=$(sed "s/\$/@v1.0.0/" "$work/modules.txt")

pids=(); db_pid=
. "$here/../lib/scratchfs.sh"
cleanup() { [ -z "$db_pid" ] || kill "$db_pid" 2>/dev/null || true; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; scratch_fs_cleanup; [ -n "${SUMDB_BENCH_KEEP:-}" ] || rm -rf "$work"; }
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

# The database. By default a snapshot of x/mod's: every lookup answer, hash tile and /latest that
# sumdb.NewServer(NewTestServer) gives once every module is logged, served as static files by an nginx of its
# own, the way a CDN serves sum.golang.org's. The live test server (SUMDB_BENCH_DB=live) signs its tree head
# anew for every lookup (note.Sign, Ed25519) and so spends ~0.2–0.3 ms of CPU per lookup on the same two
# cores as Moddock and the go client: about as much as Moddock's own verification, and counted as its cost.
if [ "${SUMDB_BENCH_DB:-snapshot}" = live ]; then
  coproc DB { exec "$oracle" serve "$skey" "$work/records.txt" $preload; }
  read -r dburl <&"${DB[0]}"
  db_pid=$DB_PID
  db_note="golang.org/x/mod sumdb.NewServer(NewTestServer) itself, on loopback"
else
  "$oracle" dump "$skey" "$work/records.txt" "$work/db" $preload
  dbport=$(freeport); mkdir -p "$work/dbnginx/logs" "$work/dbnginx/tmp"
  sed -e "s|$work/nginx/|$work/dbnginx/|g" -e "s|listen 127.0.0.1:$up; root $work/files;|listen 127.0.0.1:$dbport; root $work/db;|" \
    "$work/nginx/nginx.conf" >"$work/dbnginx/nginx.conf"
  nginx -c "$work/dbnginx/nginx.conf" -g 'daemon off;' &
  db_pid=$!
  dburl=http://127.0.0.1:$dbport
  wait_http "$dburl/latest"
  db_note="a snapshot of golang.org/x/mod sumdb.NewServer(NewTestServer) (every lookup, hash tile and /latest, taken with all records logged), served by nginx on loopback"
fi
# CPU ms (user + system) of the database so far: the process and its children (nginx's workers).
db_cpu() { local t=0 p; for p in "$db_pid" $(pgrep -P "$db_pid"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $((t * 1000 / $(getconf CLK_TCK))); }

# What each mode runs: sets sumdb_arg (moddock --sumdb) and gosumdb (the go client's GOSUMDB).
mode_args() {
  case $1 in
    on) sumdb_arg="$vkey $dburl"; gosumdb=$vkey ;;
    proxyonly) sumdb_arg="$vkey $dburl"; gosumdb=off ;;
    goonly) sumdb_arg=off; gosumdb="$vkey $dburl" ;;   # only the go client verifies, straight at the database
    *) sumdb_arg=off; gosumdb=off ;;
  esac
}

# start_moddock MODE DIR: a moddock serve for MODE with its storage in DIR; sets mport and mpid.
start_moddock() {
  mode_args "$1"
  mport=$(freeport)
  "$MODDOCK" serve --listen "127.0.0.1:$mport" --storage "$2/storage" --upstream "http://127.0.0.1:$up" --sumdb "$sumdb_arg" >"$2/moddock.log" 2>&1 &
  mpid=$!
  wait_http "http://127.0.0.1:$mport/healthz"
}

# download MODE PORT PID DIR ROOT GRAPH TAG: a cold `go mod download` of the module in ROOT (the graph under
# example.com/bench/GRAPH) through the Moddock at PORT, with a fresh go module cache in DIR; checks that all 100
# modules came, and were verified as MODE says. Prints the seconds; writes Moddock's CPU ms to $work/cpu-TAG.
download() {
  local mode=$1 port=$2 pid=$3 dir=$4 rootdir=$5 graph=$6 tag=$7 t0 t1 c0 c1 d0 d1
  mode_args "$mode"
  rm -f "$rootdir/go.sum"
  # Write back what earlier runs left dirty first, so the kernel's background flush of their files (thousands per
  # run, on the same disk) does not land inside this run: it took CPU and disk from whichever arm it fell in.
  sync
  c0=$(awk '{print $14 + $15}' "/proc/$pid/stat"); d0=$(db_cpu)
  t0=$(date +%s.%N)
  (cd "$rootdir" && env -i PATH="$PATH" HOME=$dir/home GOPATH=$dir/gopath GOMODCACHE=$dir/gopath/pkg/mod GOCACHE=$dir/gocache \
     GOENV=off GOFLAGS=-modcacherw GOPROXY=http://127.0.0.1:$port GOSUMDB="$gosumdb" GONOSUMDB= GONOPROXY= GOPRIVATE= GOINSECURE= \
     GO111MODULE=on CGO_ENABLED=0 go mod download) >/dev/null 2>"$dir/go.err" || { cat "$dir/go.err" >&2; exit 1; }
  t1=$(date +%s.%N)
  # Moddock's CPU time (user + system, clock ticks) for the download alone: far less sensitive than wall time to
  # what other processes do on the shared cores. Written where the caller reads it (this runs in a subshell).
  c1=$(awk '{print $14 + $15}' "/proc/$pid/stat"); d1=$(db_cpu)
  echo $(( (c1 - c0) * 1000 / $(getconf CLK_TCK) )) >"$work/cpu-$tag"
  echo $((d1 - d0)) >"$work/dbcpu-$tag"
  [ "$(find "$dir/gopath/pkg/mod/cache/download/example.com/bench/$graph" -maxdepth 3 -name '*.zip' | wc -l)" = 100 ] || { echo "not all 100 zips downloaded ($mode, $tag)" >&2; exit 1; }
  if [ "$mode" = on ]; then
    # the go client itself looked every module up in the checksum database, through Moddock's /sumdb/
    [ "$(find "$dir/gopath/pkg/mod/cache/download/sumdb/sumdb.bench.test/lookup" -type f | wc -l)" = 100 ] || { echo "go did not verify all 100 modules via /sumdb/ ($tag)" >&2; exit 1; }
  fi
  echo "$t1 - $t0" | bc -l
}

# one cold run in a fresh process: $1 = off|on|proxyonly|goonly, $2 = run id; prints seconds
one() {
  local mode=$1 run=$2 dir
  dir=$work/scratch/run-$mode-$run; mkdir -p "$dir"
  start_moddock "$mode" "$dir"
  # A long-running server is JIT-warm: exercise the same path once with a module outside the measured graph.
  for p in example.com/bench/warm/@v/v1.0.0.info example.com/bench/warm/@v/v1.0.0.mod example.com/bench/warm/@v/v1.0.0.zip; do
    curl -fs -o /dev/null "http://127.0.0.1:$mport/$p"
  done
  if [ "$mode" != off ] && [ "$mode" != goonly ]; then curl -fs -o /dev/null "http://127.0.0.1:$mport/sumdb/sumdb.bench.test/lookup/example.com/bench/warm@v1.0.0"; fi
  local t
  t=$(download "$mode" "$mport" "$mpid" "$dir" "$work/root" . "$mode-$run") || { cat "$dir/moddock.log" >&2; kill "$mpid"; exit 1; }
  kill "$mpid"; wait "$mpid" 2>/dev/null || true
  if [ "$mode" = on ] || [ "$mode" = proxyonly ]; then
    # Moddock looked every module up before storing it (its own lookup cache under the storage root)
    [ "$(find "$dir/storage/sumdb" -path '*lookup*' -type f | wc -l)" -ge 100 ] || { echo "moddock did not verify all 100 modules" >&2; exit 1; }
  fi
  [ -n "${SUMDB_BENCH_KEEP:-}" ] || [ -n "$SCRATCH_FS_DIR" ] || rm -rf "$dir"
  echo "$t"
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

# The long-running server: one `moddock serve` per mode, started once, serving a graph it has never seen in every
# run (cold for Moddock and for the go client alike, as in production, where the process outlives its start-up).
# The first long_warm graphs let the tiered JIT settle: a fresh process is still recompiling its hot paths after
# several hundred modules (bench/serve/notes.md), and that one-time cost is not verification's.
declare -A lport lpid
for mode in off on proxyonly goonly; do
  mkdir -p "$work/scratch/long-$mode"
  start_moddock "$mode" "$work/scratch/long-$mode"
  lport[$mode]=$mport; lpid[$mode]=$mpid; pids+=("$mpid")
done
long() {  # long MODE GRAPH: prints seconds
  local dir=$work/scratch/long-$1/client-g$2; mkdir -p "$dir"
  download "$1" "${lport[$1]}" "${lpid[$1]}" "$dir" "$work/root-g$2" "g$2" "long-$1-$2" || { cat "$work/scratch/long-$1/moddock.log" >&2; exit 1; }
}
lstarted=$(date +%s)
for g in $(seq 0 $((long_warm - 1))); do
  gg=$(printf %02d "$g")
  for mode in off on proxyonly goonly; do long "$mode" "$gg" >/dev/null; done
done
loff=(); lon=(); lgo=(); lpo=(); lratios=(); lpratios=(); lgratios=(); lcpuoff=(); lcpupo=(); lcpuratios=(); lloads=(); ldbon=(); ldbpo=(); ldbgo=()
for r in $(seq "$long_runs"); do
  gg=$(printf %02d $((long_warm + r - 1)))
  o=$(long off "$gg"); n=$(long on "$gg"); p=$(long proxyonly "$gg"); g=$(long goonly "$gg")
  loff+=("$o"); lon+=("$n"); lpo+=("$p"); lgo+=("$g"); lratios+=("$(echo "$n / $o" | bc -l)"); lpratios+=("$(echo "$p / $o" | bc -l)"); lgratios+=("$(echo "$n / $g" | bc -l)")
  co=$(cat "$work/cpu-long-off-$gg"); cp_=$(cat "$work/cpu-long-proxyonly-$gg"); lcpuoff+=("$co"); lcpupo+=("$cp_")
  [ "$co" -gt 0 ] && lcpuratios+=("$(echo "$cp_ / $co" | bc -l)")
  lloads+=("$(cut -d' ' -f1 /proc/loadavg)")
  ldbon+=("$(cat "$work/dbcpu-long-on-$gg")"); ldbpo+=("$(cat "$work/dbcpu-long-proxyonly-$gg")"); ldbgo+=("$(cat "$work/dbcpu-long-goonly-$gg")")
  printf '   long-running, graph %s: off %.3f s, on %.3f s (%.2fx), proxy-only %.3f s (%.2fx), go-only %.3f s; Moddock CPU off %d ms, proxy-only %d ms; database CPU on %d, proxy-only %d, go-only %d ms\n' "$gg" "$o" "$n" "$(echo "$n / $o" | bc -l)" "$p" "$(echo "$p / $o" | bc -l)" "$g" "$co" "$cp_" "$(cat "$work/dbcpu-long-on-$gg")" "$(cat "$work/dbcpu-long-proxyonly-$gg")" "$(cat "$work/dbcpu-long-goonly-$gg")" >&2
done
for mode in on proxyonly; do
  # Moddock looked every module of every graph up before storing it (its own lookup cache under the storage root)
  # (a lookup is answered before its cache file is written: give the last ones a moment)
  for _ in $(seq 50); do
    n=$(find "$work/scratch/long-$mode/storage/sumdb" -path '*lookup*' -type f | wc -l)
    [ "$n" -lt $(( (long_warm + long_runs) * 100 )) ] || break; sleep 0.1
  done
  [ "$n" -ge $(( (long_warm + long_runs) * 100 )) ] || { echo "moddock ($mode, long-running) verified $n modules, not all" >&2; exit 1; }
done
lrss=$(for mode in off proxyonly; do awk '/VmHWM/ {printf "%d ", $2 / 1024}' "/proc/${lpid[$mode]}/status"; done)

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# the middle half of the per-run ratios (25th–75th percentile, nearest rank): how far one run's ratio can be trusted
quartiles() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {q1=int((NR+3)/4); q3=int((3*NR+3)/4); printf "%.2f–%.2f", a[q1], a[q3]}'; }
moff=$(median "${off[@]}"); mon=$(median "${on[@]}"); mgo=$(median "${goonly[@]}"); mpo=$(median "${proxyonly[@]}")
ratio=$(median "${ratios[@]}"); pratio=$(median "${pratios[@]}"); gratio=$(median "${gratios[@]}")
mkdir -p "$root/bench/results"
{
  echo "## sumdb: verification cost on a cold go mod download (100 modules), \`moddock serve\`"
  echo
  printf 'Generated by `bench/sumdb/run.sh` on %s, %d CPUs. Goal: ≤ 1.10× the time without `--sumdb`. Only `--sumdb` changes between the two arms of each comparison; ratio = median of the per-run ratios, with the middle half of the per-run ratios (25th–75th percentile) beside it.\n\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$(nproc)"
  echo "| comparison | long-running server ($long_runs runs) | freshly started process ($runs runs) |"
  echo "|---|---|---|"
  printf '| **go clients not verifying (GOSUMDB=off) in both: Moddock'"'"'s own verification**, the issue'"'"'s comparison | **%.2f×** (%s) | %.2f× (%s) |\n' "$(median "${lpratios[@]}")" "$(quartiles "${lpratios[@]}")" "$(median "${pratios[@]}")" "$(quartiles "${pratios[@]}")"
  printf '| go clients verifying (the default GOSUMDB) in both: with `--sumdb` through Moddock'"'"'s /sumdb/, without it straight at the database | %.2f× (%s) | %.2f× (%s) |\n' "$(median "${lgratios[@]}")" "$(quartiles "${lgratios[@]}")" "$gratio" "$(quartiles "${gratios[@]}")"
  printf '| Moddock'"'"'s CPU time (user + system) during the download, `--sumdb` on / off, GOSUMDB=off | %.2f× (%s / %s ms) | %.2f× (%s / %s ms) |\n' "$(median "${lcpuratios[@]}")" "$(median "${lcpupo[@]}")" "$(median "${lcpuoff[@]}")" "$(median "${cpuratios[@]}")" "$(median "${cpupo[@]}")" "$(median "${cpuoff[@]}")"
  printf '| counting the client'"'"'s own verification as a cost too (GOSUMDB=off without `--sumdb`, verifying through Moddock with it) | %.2f× (%s) | %.2f× (%s) |\n\n' "$(median "${lratios[@]}")" "$(quartiles "${lratios[@]}")" "$ratio" "$(quartiles "${ratios[@]}")"
  echo "**Long-running server**: one \`moddock serve\` per mode for the whole run, as deployed; every run downloads a graph of 100 modules that server has never fetched (cold for Moddock and for the go client), after $long_warm such graphs that let the tiered JIT settle. **Freshly started process**: a new \`moddock serve\` per run, warmed with one module outside the graph: it is still compiling its hot paths, a one-time cost per process that the first column leaves out. CPU time is far steadier than wall time on the shared machine; it counts the lookups, tile proofs and hashing, not the waiting."
  echo
  echo "### Long-running server"
  echo
  echo "| mode | median s | runs (s) |"
  echo "|---|---|---|"
  printf '| without: `moddock serve --sumdb off`, GOSUMDB=off | %.3f | %s |\n' "$(median "${loff[@]}")" "$(printf '%.3f ' "${loff[@]}")"
  printf '| with: `--sumdb "<key> <db URL>"`; go verifies via Moddock'"'"'s /sumdb/ | %.3f | %s |\n' "$(median "${lon[@]}")" "$(printf '%.3f ' "${lon[@]}")"
  printf '| Moddock verifies, the go client does not (GOSUMDB=off) | %.3f | %s |\n' "$(median "${lpo[@]}")" "$(printf '%.3f ' "${lpo[@]}")"
  printf '| `--sumdb off`, the go client alone verifies, straight at the database | %.3f | %s |\n' "$(median "${lgo[@]}")" "$(printf '%.3f ' "${lgo[@]}")"
  echo
  echo "Per-run ratios, Moddock-only / without: $(printf '%.2f ' "${lpratios[@]}"); with / go-only: $(printf '%.2f ' "${lgratios[@]}")."
  echo "Per-run Moddock CPU ms, without: ${lcpuoff[*]}; Moddock-only: ${lcpupo[*]}. Peak RSS at the end (without, Moddock-only): ${lrss}MiB."
  echo "The database's CPU time per run (median): $(median "${ldbpo[@]}") ms with Moddock verifying, $(median "${ldbon[@]}") ms when the go client verifies through Moddock too, $(median "${ldbgo[@]}") ms when only the go client verifies."
  echo "Load average after each run: ${lloads[*]}; the phase took $(( $(date +%s) - lstarted )) s."
  echo
  echo "### Freshly started process"
  echo
  echo "| mode | median s | runs (s) |"
  echo "|---|---|---|"
  printf '| without: `moddock serve --sumdb off`, GOSUMDB=off | %.3f | %s |\n' "$moff" "$(printf '%.3f ' "${off[@]}")"
  printf '| with: `moddock serve --sumdb "<key> <db URL>"` verifies every .mod/.zip before storing or serving it; go verifies via Moddock'"'"'s /sumdb/ | %.3f | %s |\n' "$mon" "$(printf '%.3f ' "${on[@]}")"
  printf '| breakdown: Moddock verifies as in "with", the go client does not (GOSUMDB=off): Moddock'"'"'s own cost, **%.2f×** | %.3f | %s |\n' "$pratio" "$mpo" "$(printf '%.3f ' "${proxyonly[@]}")"
  printf '| breakdown: `--sumdb off`, the go client alone verifies, straight at the database | %.3f | %s |\n' "$mgo" "$(printf '%.3f ' "${goonly[@]}")"
  echo
  echo "Per-run ratios, with / without: $(printf '%.2f ' "${ratios[@]}"); Moddock-only / without: $(printf '%.2f ' "${pratios[@]}"); with / go-only (clients verify in both): $(printf '%.2f ' "${gratios[@]}")"
  echo
  echo "Per-run Moddock CPU ms, without: ${cpuoff[*]}; Moddock-only: ${cpupo[*]}."
  echo
  echo "Load average after each run: ${loads[*]}; the $runs runs took $(( lstarted - started )) s."
  echo
  echo "Database: $db_note, with the $(wc -l < "$work/modules.txt") records (every module of both phases) logged before the runs."
  echo "Upstream: nginx serving a file-layout GOPROXY. Fresh-process runs: a new \`moddock serve\` process with empty storage"
  echo "(warmed by fetching one module outside the graph, and in the \"with\" mode looking it up through /sumdb/)."
  echo "Every run: a fresh GOMODCACHE and no go.sum. Loopback only, so network latency to a real database is not in these"
  echo "figures: the ratio is the CPU/protocol cost of verification. Moddock starts the database lookup of M@V as"
  echo "the .mod or .zip download begins, and the .mod check, the .zip check and the go client's own /sumdb/ lookup"
  echo "share it. Read-ahead (\`--prefetch\`) is at its default in every mode. Files of every run: $SCRATCH_FS_NOTE."
} > "$root/bench/results/sumdb.md"
if [ -f "$here/notes.md" ]; then { echo; cat "$here/notes.md"; } >>"$root/bench/results/sumdb.md"; fi
cat "$root/bench/results/sumdb.md"
