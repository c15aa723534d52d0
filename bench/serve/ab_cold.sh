#!/usr/bin/env bash
# A/B of two Moddock builds on the serve benchmark's cold path: `go mod download` of the same 100-module graph
# through each, freshly started with empty storage, alternating which goes first, on one scratch filesystem;
# reports wall time and Moddock's CPU per build and the median per-round ratio. For judging one change's cost
# on a noisy machine, where two separate bench runs differ by more than the change.
#   usage: bench/serve/ab_cold.sh OLD_MODDOCK [NEW_MODDOCK]   (ROUNDS=12; build OLD from a worktree of the base commit)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
OLD_BIN=${1:?usage: ab_cold.sh OLD_MODDOCK [NEW_MODDOCK]}
NEW_BIN=${2:-$root/src/Moddock/bin/Release/net10.0/moddock}
W=$(mktemp -d /tmp/ab-cold.XXXXXX); chmod 755 "$W"
pids=()
. "$root/bench/lib/scratchfs.sh"
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; scratch_fs_cleanup; rm -rf "$W"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done; echo "not up: $1" >&2; return 1; }
python3 "$root/bench/serve/make_modules.py" "$W/files" 100 1024 50
d="$W/nginx"; mkdir -p "$d/logs" "$d/tmp"
UP=$(free_port)
cat >"$d/nginx.conf" <<NGINX
worker_processes auto; pid $d/nginx.pid; error_log $d/logs/error.log warn;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; tcp_nodelay on;
  client_body_temp_path $d/tmp/body; proxy_temp_path $d/tmp/proxy; fastcgi_temp_path $d/tmp/fcgi; uwsgi_temp_path $d/tmp/uwsgi; scgi_temp_path $d/tmp/scgi;
  types { application/json info; application/zip zip; } default_type "text/plain; charset=utf-8";
  server { listen 127.0.0.1:$UP; root $W/files; } }
NGINX
nginx -c "$d/nginx.conf" -g 'daemon off;' & pids+=($!)
wait_http "http://127.0.0.1:$UP/example.com/bench/@v/v1.0.0.info"
C="$W/cold"; scratch_fs "$C"
go_download() {
  local h="$C/go-$RANDOM$RANDOM"; mkdir -p "$h"; cp "$W/app/go.mod" "$h/go.mod"
  sync
  local t0=$(date +%s.%N)
  (cd "$h" && env -i PATH="$PATH" HOME="$h" GOPATH="$h/gopath" GOMODCACHE="$h/gopath/pkg/mod" GOCACHE="$h/gocache" \
     GOENV=off GO111MODULE=on GOFLAGS="-mod=mod -modcacherw" GOSUMDB=off GONOPROXY= GOPRIVATE= GONOSUMDB= GOINSECURE= \
     GOPROXY="$1" go mod download >/dev/null 2>"$h/err") || { cat "$h/err" >&2; return 1; }
  local t1=$(date +%s.%N); python3 -c "print(f'{$t1-$t0:.3f}')"
}
warm() { for p in @v/list @v/v1.0.0.info @v/v1.0.0.mod @v/v1.0.0.zip; do curl -fs -o /dev/null "$1/example.com/bench/$p"; done; }
declare -A T U
for r in $(seq 1 "${ROUNDS:-12}"); do
  order="old new"; [ $((r % 2)) = 0 ] && order="new old"
  for which in $order; do
    bin=$NEW_BIN; [ $which = old ] && bin=$OLD_BIN
    P=$(free_port)
    "$bin" serve --listen "127.0.0.1:$P" --storage "$C/st-$which-$r" --upstream "http://127.0.0.1:$UP" --sumdb off >"$W/m-$which-$r.log" 2>&1 &
    mp=$!
    wait_http "http://127.0.0.1:$P/healthz"; warm "http://127.0.0.1:$P"
    c0=$(awk '{print $14 + $15}' /proc/$mp/stat)
    t=$(go_download "http://127.0.0.1:$P"); T[$which]+="$t "
    c1=$(awk '{print $14 + $15}' /proc/$mp/stat); U[$which]+="$(( (c1 - c0) * 10 )) "
    kill $mp; wait $mp 2>/dev/null || true
  done
  echo "round $r: old $(echo ${T[old]} | awk '{print $NF}') new $(echo ${T[new]} | awk '{print $NF}')"
done
echo "cpu ms old: ${U[old]}"; echo "cpu ms new: ${U[new]}"
python3 - "${U[old]}" "${U[new]}" <<'PY'
import sys, statistics as s
o=[float(x) for x in sys.argv[1].split()]; n=[float(x) for x in sys.argv[2].split()]
print(f"cpu old median {s.median(o):.0f} ms new median {s.median(n):.0f} ms")
PY
python3 - "${T[old]}" "${T[new]}" <<'PY'
import sys, statistics as s
o=[float(x) for x in sys.argv[1].split()]; n=[float(x) for x in sys.argv[2].split()]
r=sorted(b/a for a,b in zip(o,n))
print(f"old median {s.median(o):.3f}s new median {s.median(n):.3f}s; per-round new/old median {s.median(r):.3f} (middle half {r[len(r)//4]:.2f}-{r[3*len(r)//4]:.2f})")
PY
