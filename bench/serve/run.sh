#!/usr/bin/env bash
# Serve benchmarks for `moddock serve`, each against a reference measured in the same run:
#   1. hot path: wrk against Moddock and nginx (sendfile on) serving the same cached files,
#      interleaved: a small .info and a 1 MiB .zip at 64 connections (req/s, p99). Moddock runs
#      three ways: as shipped (cache hits answered on the socket by the hot path, zips with
#      sendfile), with the hot path off (the same cache hits written through Kestrel), and with
#      the memory cache off (every hit resolved and read from the store through Kestrel);
#   2. cold path: `go mod download` of a 100-module graph through Moddock (empty cache) vs
#      straight from the file-layout upstream vs an nginx caching mirror (proxy_cache);
#   3. memory: peak RSS of Moddock while 64 clients download a 50 MiB zip at once.
# Writes bench/results/serve.md. Needs: dotnet, go, nginx, wrk, curl, python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
results="$root/bench/results/serve.md"
W=$(mktemp -d /tmp/moddock-bench-serve.XXXXXX); chmod 755 "$W"  # nginx workers run as an unprivileged user
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
pids=()
. "$here/../lib/scratchfs.sh"
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; scratch_fs_cleanup; rm -rf "$W"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done; echo "not up: $1" >&2; cat "$W"/nginx-*/logs/error.log "$W"/moddock-*.log >&2 2>/dev/null; return 1; }

echo "== building moddock (Release)" >&2
dotnet build "$root/src/Moddock" -c Release -nologo -v:q >/dev/null
MODDOCK="$root/src/Moddock/bin/Release/net10.0/moddock"

echo "== generating modules" >&2
python3 "$here/make_modules.py" "$W/files" 100 1024 50

# One nginx config per role; each instance runs in the foreground with its own temp paths.
start_nginx() { # name port server-body [http-level lines]
  local name=$1 port=$2 body=$3 extra=${4:-} d="$W/nginx-$1"
  mkdir -p "$d/logs" "$d/tmp"
  cat >"$d/nginx.conf" <<NGINX
worker_processes auto;
pid $d/nginx.pid;
error_log $d/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 100000;
  client_body_temp_path $d/tmp/body; proxy_temp_path $d/tmp/proxy; fastcgi_temp_path $d/tmp/fcgi;
  uwsgi_temp_path $d/tmp/uwsgi; scgi_temp_path $d/tmp/scgi;
  types { application/json info; application/zip zip; }
  default_type "text/plain; charset=utf-8";
  $extra
  server { listen 127.0.0.1:$port; $body }
}
NGINX
  nginx -c "$d/nginx.conf" -g 'daemon off;' &
  pids+=($!)
}

start_moddock() { # port storage upstream [extra...]
  local port=$1 storage=$2 upstream=$3; shift 3
  "$MODDOCK" serve --listen "127.0.0.1:$port" --storage "$storage" --upstream "$upstream" --sumdb off "$@" >"$W/moddock-$port.log" 2>&1 &
  local pid=$!
  pids+=($pid)
  wait_http "http://127.0.0.1:$port/healthz"
  MODDOCK_PID=$pid
}

UP=$(free_port); start_nginx upstream "$UP" "root $W/files;"
wait_http "http://127.0.0.1:$UP/example.com/bench/@v/list"

# ---- 1. hot path -----------------------------------------------------------------------
echo "== hot path (wrk, $ROUNDS interleaved rounds of $DURATION)" >&2
MP=$(free_port); start_moddock "$MP" "$W/hot-storage" "http://127.0.0.1:$UP"
HOT_PID=$MODDOCK_PID
for f in v1.0.0.info v1.0.0.zip; do curl -fs -o /dev/null "http://127.0.0.1:$MP/example.com/bench/@v/$f"; done
# The same store with the hot path off (hits written through Kestrel), and with the memory cache
# off (every hit resolved and read from disk through Kestrel), to show what each layer buys.
DP=$(free_port); MODDOCK_MEMORY_CACHE=0 start_moddock "$DP" "$W/hot-storage" "http://127.0.0.1:$UP"
DISK_PID=$MODDOCK_PID
SP=$(free_port); MODDOCK_HOT_PATH=off start_moddock "$SP" "$W/hot-storage" "http://127.0.0.1:$UP"
SF_PID=$MODDOCK_PID
for f in v1.0.0.info v1.0.0.zip; do curl -fs -o /dev/null "http://127.0.0.1:$SP/example.com/bench/@v/$f"; done
NP=$(free_port); start_nginx hot "$NP" "root $W/hot-storage;"
wait_http "http://127.0.0.1:$NP/example.com/bench/@v/v1.0.0.info"
cmp <(curl -fs "http://127.0.0.1:$MP/example.com/bench/@v/v1.0.0.zip") <(curl -fs "http://127.0.0.1:$NP/example.com/bench/@v/v1.0.0.zip")

run_wrk() { # url [duration] -> "rps p99ms"
  wrk -t2 -c64 -d"${2:-$DURATION}" --latency "$1" >"$W/wrk.out" 2>&1
  python3 - "$W/wrk.out" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", t)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
print(f"{rps:.0f} {p99:.2f}")
PY
}

# JIT and tiered compilation warm-up, so round 1 measures steady state.
for port in "$MP" "$DP" "$SP"; do for f in info zip; do run_wrk "http://127.0.0.1:$port/example.com/bench/@v/v1.0.0.$f" 3s >/dev/null; done; done

declare -A RPS P99 RATIO
for r in $(seq 1 "$ROUNDS"); do
  for f in info zip; do
    for who in nginx moddock kestrel disk; do
      case $who in nginx) port=$NP ;; moddock) port=$MP ;; disk) port=$DP ;; kestrel) port=$SP ;; esac
      read -r rps p99 < <(run_wrk "http://127.0.0.1:$port/example.com/bench/@v/v1.0.0.$f")
      RPS[$who-$f]+="$rps "; P99[$who-$f]+="$p99 "
      [ $who = nginx ] && nginx_rps=$rps || RATIO[$who-$f]+="$(python3 -c "print(f'{$rps/$nginx_rps:.3f}')") "
      echo "   round $r $f $who: $rps req/s, p99 $p99 ms" >&2
    done
  done
done
MODDOCK_PID=$HOT_PID
HOT_RSS=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$MODDOCK_PID/status)
kill "$MODDOCK_PID" "$DISK_PID" "$SF_PID"

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# ---- 2. cold path ----------------------------------------------------------------------
# Each round: straight from the upstream, through a freshly started Moddock, through a Moddock that
# has served COLD_WARM_GRAPHS other 100-module graphs first (JIT-warm), through an nginx caching
# mirror; every route with empty caches for the measured graph. COLD_ROUNDS (default 5) rounds.
COLD_ROUNDS=${COLD_ROUNDS:-5}
COLD_WARM_GRAPHS=${COLD_WARM_GRAPHS:-3}
echo "== cold path (go mod download of 100 modules, $COLD_ROUNDS interleaved rounds)" >&2
# Every file the cold path creates (go's module caches, Moddock's storages, the mirror's cache) lives on a
# scratch filesystem, and nothing is deleted there until the end: see bench/lib/scratchfs.sh.
C="$W/cold"; scratch_fs "$C"
echo "   cold-path files on $SCRATCH_FS_NOTE" >&2
go_download() { # goproxy [go.mod] -> seconds
  local h="$C/go-$RANDOM$RANDOM"
  mkdir -p "$h"
  cp "${2:-$W/app/go.mod}" "$h/go.mod"
  local t0=$(date +%s.%N)
  (cd "$h" && env -i PATH="$PATH" HOME="$h" GOPATH="$h/gopath" GOMODCACHE="$h/gopath/pkg/mod" GOCACHE="$h/gocache" \
     GOENV=off GO111MODULE=on GOFLAGS="-mod=mod -modcacherw" GOSUMDB=off GONOPROXY= GOPRIVATE= GONOSUMDB= GOINSECURE= \
     GOPROXY="$1" go mod download >/dev/null 2>"$h/err") || { cat "$h/err" >&2; return 1; }
  local t1=$(date +%s.%N)
  python3 -c "print(f'{$t1-$t0:.3f}')"
}
# A proxy is a long-running process: warm each server once on a module outside the graph, so the
# figures measure a cold *cache*, not a cold JIT (nginx gets the same warm-up for fairness).
warm() { for p in @v/list @v/v1.0.0.info @v/v1.0.0.mod @v/v1.0.0.zip; do curl -fs -o /dev/null "$1/example.com/bench/$p"; done; }
# One module's warm-up leaves most of the miss path in tier-0 code: .NET recompiles it (tiered PGO)
# during the next several hundred misses, and that compiling is up to half of Moddock's CPU in the
# measured run. The JIT-warm route first serves other graphs of the same shape (example.com/wK/...,
# never part of the measured graph), the state a proxy that has been up for a while is in.
python3 - "$W" "$COLD_WARM_GRAPHS" <<'PY'
import os, sys, zipfile
w, graphs = sys.argv[1], int(sys.argv[2])
for k in range(1, graphs + 1):
    reqs = []
    for i in range(100):
        p, v = f"example.com/w{k}/m{i:03d}", "v1.0.0"
        deps = "".join(f"\texample.com/w{k}/m{j:03d} v1.0.0\n" for j in range(i + 1, min(100, i + 11)))
        gomod = f"module {p}\n\ngo 1.18\n" + (f"\nrequire (\n{deps})\n" if deps else "")
        d = os.path.join(w, "files", p, "@v"); os.makedirs(d, exist_ok=True)
        open(os.path.join(d, "list"), "w").write(v + "\n")
        open(os.path.join(d, v + ".info"), "w").write('{"Version":"%s","Time":"2024-01-02T03:04:05Z"}' % v)
        open(os.path.join(d, v + ".mod"), "w").write(gomod)
        with zipfile.ZipFile(os.path.join(d, v + ".zip"), "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(f"{p}@{v}/go.mod", gomod)
            z.writestr(f"{p}@{v}/m.go", f"package m{i:03d}\n\nconst N = {i}\n")
        reqs.append(f"\t{p} {v}\n")
    os.makedirs(os.path.join(w, f"warm-app-{k}"), exist_ok=True)
    open(os.path.join(w, f"warm-app-{k}", "go.mod"), "w").write("module example.com/warmapp\n\ngo 1.18\n\nrequire (\n" + "".join(reqs) + ")\n")
PY
cold_stages() { # moddock log -> "kind:median/mean/sum ..." for the graph's modules
  python3 - "$1" <<'PY'
import json, sys
d = {}
for line in open(sys.argv[1]):
    try:
        s = json.loads(line).get("State", {})
    except ValueError:
        continue
    if "DurationMs" in s and s.get("Module", "").startswith("example.com/g/"):
        d.setdefault(s["Kind"], []).append(s["DurationMs"])
print(" ".join(f"{k}:{sorted(v)[len(v) // 2]:.2f}/{sum(v) / len(v):.2f}/{sum(v):.0f}" for k, v in sorted(d.items())), end="")
PY
}
last() { echo "${COLD[$1]}" | awk '{print $NF}'; }
# CPU time (user + system, ms) of a process and its children so far: steadier than wall time on shared cores.
cpu_ms() { local t=0 p; for p in "$1" $(pgrep -P "$1"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $((t * 1000 / $(getconf CLK_TCK))); }
declare -A COLD COLD_RATIO
COLD_STAGES=""
for r in $(seq 1 "$COLD_ROUNDS"); do
  COLD[direct]+="$(go_download "http://127.0.0.1:$UP") "
  CP=$(free_port); start_moddock "$CP" "$C/cold-storage-$r" "http://127.0.0.1:$UP"
  warm "http://127.0.0.1:$CP"
  c0=$(cpu_ms "$MODDOCK_PID")
  COLD[moddock]+="$(go_download "http://127.0.0.1:$CP") "
  COLD[cpu-fresh]+="$(( $(cpu_ms "$MODDOCK_PID") - c0 )) "
  # A second go client (empty module cache of its own) through the same process, every artifact now stored:
  # what every later developer and CI job gets. Its reference is a second "direct" measured just before.
  COLD[direct2]+="$(go_download "http://127.0.0.1:$UP") "
  COLD[cached]+="$(go_download "http://127.0.0.1:$CP") "
  kill "$MODDOCK_PID"; wait "$MODDOCK_PID" 2>/dev/null || true
  # Moddock's own request log: server-side time per miss, by kind, for the graph's modules.
  COLD_STAGES+="fresh $(cold_stages "$W/moddock-$CP.log")
"
  # The same, with the read-ahead off (--prefetch off): only what the go command asks is fetched.
  OP=$(free_port); start_moddock "$OP" "$C/noprefetch-storage-$r" "http://127.0.0.1:$UP" --prefetch off
  warm "http://127.0.0.1:$OP"
  c0=$(cpu_ms "$MODDOCK_PID")
  COLD[noprefetch]+="$(go_download "http://127.0.0.1:$OP") "
  COLD[cpu-noprefetch]+="$(( $(cpu_ms "$MODDOCK_PID") - c0 )) "
  kill "$MODDOCK_PID"; wait "$MODDOCK_PID" 2>/dev/null || true
  WP=$(free_port); start_moddock "$WP" "$C/warm-storage-$r" "http://127.0.0.1:$UP"
  warm "http://127.0.0.1:$WP"
  for k in $(seq 1 "$COLD_WARM_GRAPHS"); do go_download "http://127.0.0.1:$WP" "$W/warm-app-$k/go.mod" >/dev/null; done
  c0=$(cpu_ms "$MODDOCK_PID")
  COLD[warm]+="$(go_download "http://127.0.0.1:$WP") "
  COLD[cpu-warm]+="$(( $(cpu_ms "$MODDOCK_PID") - c0 )) "
  kill "$MODDOCK_PID"; wait "$MODDOCK_PID" 2>/dev/null || true
  COLD_STAGES+="warm  $(cold_stages "$W/moddock-$WP.log")
"
  XP=$(free_port); mkdir -p "$C/mirror-cache-$r"
  start_nginx "mirror-$r" "$XP" "location / { proxy_pass http://127.0.0.1:$UP; proxy_cache m$r; proxy_cache_valid 200 1h; proxy_cache_lock on; proxy_http_version 1.1; proxy_set_header Connection \"\"; }" \
    "proxy_cache_path $C/mirror-cache-$r keys_zone=m$r:10m;"
  wait_http "http://127.0.0.1:$XP/example.com/bench/@v/list"
  warm "http://127.0.0.1:$XP"
  c0=$(cpu_ms "${pids[-1]}")
  COLD[nginx]+="$(go_download "http://127.0.0.1:$XP") "
  COLD[cpu-nginx]+="$(( $(cpu_ms "${pids[-1]}") - c0 )) "
  d=$(last direct); m=$(last moddock); j=$(last warm); n=$(last nginx); o=$(last noprefetch)
  COLD_RATIO[cached]+="$(python3 -c "print(f'{$(last cached)/$(last direct2):.3f}')") "
  COLD_RATIO[noprefetch-direct]+="$(python3 -c "print(f'{$o/$d:.3f}')") "
  COLD_RATIO[direct]+="$(python3 -c "print(f'{$m/$d:.3f}')") "; COLD_RATIO[nginx]+="$(python3 -c "print(f'{$m/$n:.3f}')") "
  COLD_RATIO[warm-direct]+="$(python3 -c "print(f'{$j/$d:.3f}')") "; COLD_RATIO[warm-nginx]+="$(python3 -c "print(f'{$j/$n:.3f}')") "
  COLD[load]+="$(cut -d' ' -f1 /proc/loadavg) "
  echo "   round $r: direct/moddock/moddock-JIT-warm/nginx-mirror/moddock-no-prefetch: $d $m $j $n $o s; second client direct/moddock: $(last direct2) $(last cached) s (load $(cut -d' ' -f1 /proc/loadavg))" >&2
done

# ---- 2b. cold path behind a slow upstream ----------------------------------------------
# The same download when the upstream is one network round trip away (LATENCY_MS per request, default 20,
# like a nearby public mirror): where read-ahead matters, since the go command asks one request after another
# (two at a time) and Moddock can have the next ones in flight meanwhile. Informative; the goals are above.
LATENCY_MS=${LATENCY_MS:-20}
LATENCY_ROUNDS=${LATENCY_ROUNDS:-2}
echo "== cold path behind an upstream with ${LATENCY_MS} ms per request ($LATENCY_ROUNDS rounds)" >&2
SU=$(free_port)
python3 "$here/slow_upstream.py" "$W/files" "$SU" "$LATENCY_MS" >"$W/slow-upstream.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$SU/example.com/bench/@v/list"
declare -A SLOW SLOW_RATIO
for r in $(seq 1 "$LATENCY_ROUNDS"); do
  SLOW[direct]+="$(go_download "http://127.0.0.1:$SU") "
  LP=$(free_port); start_moddock "$LP" "$C/slow-storage-$r" "http://127.0.0.1:$SU"
  warm "http://127.0.0.1:$LP"
  SLOW[moddock]+="$(go_download "http://127.0.0.1:$LP") "
  kill "$MODDOCK_PID"; wait "$MODDOCK_PID" 2>/dev/null || true
  LO=$(free_port); start_moddock "$LO" "$C/slow-noprefetch-storage-$r" "http://127.0.0.1:$SU" --prefetch off
  warm "http://127.0.0.1:$LO"
  SLOW[noprefetch]+="$(go_download "http://127.0.0.1:$LO") "
  kill "$MODDOCK_PID"; wait "$MODDOCK_PID" 2>/dev/null || true
  d=$(echo "${SLOW[direct]}" | awk '{print $NF}'); m=$(echo "${SLOW[moddock]}" | awk '{print $NF}'); o=$(echo "${SLOW[noprefetch]}" | awk '{print $NF}')
  SLOW_RATIO[moddock]+="$(python3 -c "print(f'{$m/$d:.3f}')") "; SLOW_RATIO[noprefetch]+="$(python3 -c "print(f'{$o/$d:.3f}')") "
  echo "   round $r: direct/moddock/moddock-no-prefetch: $d $m $o s" >&2
done

# ---- 3. memory -------------------------------------------------------------------------
echo "== memory (64 clients x 50 MiB zip)" >&2
RP=$(free_port); start_moddock "$RP" "$W/mem-storage" "http://127.0.0.1:$UP"
big="http://127.0.0.1:$RP/example.com/big/@v/v1.0.0.zip"
fetch64() { local cp=(); for _ in $(seq 1 64); do curl -fs -o /dev/null "$big" & cp+=($!); done; wait "${cp[@]}"; }
fetch64
COLD_RSS=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$MODDOCK_PID/status)
fetch64
WARM_RSS=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$MODDOCK_PID/status)
cmp <(curl -fs "$big") "$W/files/example.com/big/@v/v1.0.0.zip"
kill "$MODDOCK_PID"

# ---- report ----------------------------------------------------------------------------
m() { echo "${!1}" | median; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
ni=$(echo "${RPS[nginx-info]}" | median); mi=$(echo "${RPS[moddock-info]}" | median)
nz=$(echo "${RPS[nginx-zip]}" | median); mz=$(echo "${RPS[moddock-zip]}" | median)
pni=$(echo "${P99[nginx-info]}" | median); pmi=$(echo "${P99[moddock-info]}" | median)
pnz=$(echo "${P99[nginx-zip]}" | median); pmz=$(echo "${P99[moddock-zip]}" | median)
cd_=$(echo "${COLD[direct]}" | median); cm=$(echo "${COLD[moddock]}" | median); cn=$(echo "${COLD[nginx]}" | median)
{
  echo "# moddock serve benchmarks"
  echo
  echo "Generated by \`bench/serve/run.sh\` on $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(uname -sr); medians of $ROUNDS interleaved rounds."
  echo
  echo "## Hot path: cached files, wrk -t2 -c64 -d$DURATION"
  echo
  echo "| file | nginx req/s | Moddock req/s | **Moddock / nginx** | nginx p99 ms | Moddock p99 ms | hot path off (Kestrel writes the hit): req/s (ratio), p99 ms | memory cache off (resolved and read from the store): req/s (ratio), p99 ms |"
  echo "|---|---|---|---|---|---|---|---|"
  echo "| .info (50 B) | $ni | $mi | **$(echo "${RATIO[moddock-info]}" | median)×** | $pni | $pmi | $(echo "${RPS[kestrel-info]}" | median) ($(echo "${RATIO[kestrel-info]}" | median)×), $(echo "${P99[kestrel-info]}" | median) | $(echo "${RPS[disk-info]}" | median) ($(echo "${RATIO[disk-info]}" | median)×), $(echo "${P99[disk-info]}" | median) |"
  echo "| .zip (1 MiB) | $nz | $mz | **$(echo "${RATIO[moddock-zip]}" | median)×** | $pnz | $pmz | $(echo "${RPS[kestrel-zip]}" | median) ($(echo "${RATIO[kestrel-zip]}" | median)×), $(echo "${P99[kestrel-zip]}" | median) | $(echo "${RPS[disk-zip]}" | median) ($(echo "${RATIO[disk-zip]}" | median)×), $(echo "${P99[disk-zip]}" | median) |"
  echo
  echo "Ratios are the median of the per-round ratios (each round measures every server back to back). Moddock logs one JSON line per request throughout; nginx runs with access_log off."
  echo "Raw req/s per round: nginx .info [${RPS[nginx-info]}], Moddock .info [${RPS[moddock-info]}], hot-path-off .info [${RPS[kestrel-info]}], cache-off .info [${RPS[disk-info]}]; nginx .zip [${RPS[nginx-zip]}], Moddock .zip [${RPS[moddock-zip]}], hot-path-off .zip [${RPS[kestrel-zip]}], cache-off .zip [${RPS[disk-zip]}]."
  echo "Raw p99 ms per round: nginx .info [${P99[nginx-info]}], Moddock .info [${P99[moddock-info]}], cache-off .info [${P99[disk-info]}]; nginx .zip [${P99[nginx-zip]}], Moddock .zip [${P99[moddock-zip]}], cache-off .zip [${P99[disk-zip]}]."
  echo "Moddock peak RSS during the hot runs: ${HOT_RSS} MiB."
  echo
  echo "## Cold path: \`go mod download\` of a 100-module graph, empty caches"
  echo
  echo "$COLD_ROUNDS interleaved rounds (COLD_ROUNDS); load average at the end of each round: [${COLD[load]}]. Files written by every route: $SCRATCH_FS_NOTE."
  echo
  echo "| route | seconds (median) | vs straight from upstream | vs nginx mirror |"
  echo "|---|---|---|---|"
  echo "| straight from the file-layout upstream (nginx) | $cd_ | 1.00× | |"
  echo "| through Moddock, freshly started, empty storage | $cm | **$(echo "${COLD_RATIO[direct]}" | median)×** | **$(echo "${COLD_RATIO[nginx]}" | median)×** |"
  echo "| through Moddock after serving $COLD_WARM_GRAPHS other 100-module graphs (JIT-warm), empty storage for this graph | $(echo "${COLD[warm]}" | median) | **$(echo "${COLD_RATIO[warm-direct]}" | median)×** | **$(echo "${COLD_RATIO[warm-nginx]}" | median)×** |"
  echo "| through Moddock, freshly started, \`--prefetch off\` (no read-ahead) | $(echo "${COLD[noprefetch]}" | median) | $(echo "${COLD_RATIO[noprefetch-direct]}" | median)× | |"
  echo "| through an nginx caching mirror (proxy_cache), empty cache | $cn | $(ratio "$cn" "$cd_")× | 1.00× |"
  echo "| a second go client through the fresh Moddock, every artifact stored (vs a second direct download just before it) | $(echo "${COLD[cached]}" | median) | $(echo "${COLD_RATIO[cached]}" | median)× | |"
  echo
  echo "Ratios are medians of the per-round ratios. Raw seconds: direct [${COLD[direct]}], Moddock fresh [${COLD[moddock]}], Moddock JIT-warm [${COLD[warm]}], nginx mirror [${COLD[nginx]}], Moddock without read-ahead [${COLD[noprefetch]}]; second client: direct [${COLD[direct2]}], through Moddock [${COLD[cached]}]."
  echo "Per-round ratios vs direct: fresh [${COLD_RATIO[direct]}], JIT-warm [${COLD_RATIO[warm-direct]}]; vs the mirror: fresh [${COLD_RATIO[nginx]}], JIT-warm [${COLD_RATIO[warm-nginx]}]."
  echo
  echo "CPU time (user + system) spent by the proxy during the download, median ms: Moddock fresh $(echo "${COLD[cpu-fresh]}" | median), Moddock JIT-warm $(echo "${COLD[cpu-warm]}" | median), nginx mirror (master + workers) $(echo "${COLD[cpu-nginx]}" | median), Moddock without read-ahead $(echo "${COLD[cpu-noprefetch]}" | median). Per round: [${COLD[cpu-fresh]}], [${COLD[cpu-warm]}], [${COLD[cpu-nginx]}], [${COLD[cpu-noprefetch]}]."
  echo
  echo "Moddock server-side time per miss, from its request log (kind: median/mean/sum ms over the 100 graph modules), per round and route:"
  echo
  echo "$COLD_STAGES" | sed '/^$/d; s/^/    /'
  echo
  echo "## Cold path behind an upstream ${LATENCY_MS} ms away"
  echo
  echo "The same download with every upstream request answered after ${LATENCY_MS} ms (\`slow_upstream.py\`, a threaded keep-alive file server), $LATENCY_ROUNDS interleaved rounds. Informative: it shows where read-ahead matters; the issue's goals are measured above."
  echo
  echo "| route | seconds per round | vs straight from upstream (median) |"
  echo "|---|---|---|"
  echo "| straight from the slow upstream | ${SLOW[direct]}| 1.00× |"
  echo "| through Moddock, freshly started (read-ahead on, the default) | ${SLOW[moddock]}| **$(echo "${SLOW_RATIO[moddock]}" | median)×** |"
  echo "| through Moddock, freshly started, \`--prefetch off\` | ${SLOW[noprefetch]}| $(echo "${SLOW_RATIO[noprefetch]}" | median)× |"
  echo
  echo "## Memory: 64 clients download a 50 MiB zip at once"
  echo
  echo "| phase | Moddock peak RSS (VmHWM) |"
  echo "|---|---|"
  echo "| 64 concurrent downloads of the uncached zip (one upstream fetch) | ${COLD_RSS} MiB |"
  echo "| then 64 concurrent downloads of the cached zip | ${WARM_RSS} MiB |"
} >"$results.tmp"
if [ -f "$here/notes.md" ]; then { echo; cat "$here/notes.md"; } >>"$results.tmp"; fi
mv "$results.tmp" "$results"
echo "wrote $results" >&2
