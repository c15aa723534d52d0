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
runs=${BENCH_RUNS:-8}
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

# Sanity: both sides produce the same h1 for the version measured.
$goenv go mod download -json $mod@v1.150.0 > "$work/go.json"
gosum=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Sum"])' "$work/go.json")
oursum=$("$driver" once "$work/check" $mod v1.150.0 | cut -d' ' -f1)
[ "$gosum" = "$oursum" ] || { echo "h1 differs: go $gosum, moddock $oursum" >&2; exit 1; }

# Side by side, round by round: the driver times `go mod download` (fresh GOMODCACHE each run) and
# Moddock back to back in every round, Moddock in one long-running warmed-up process (how `moddock serve` runs).
export GOPATH=$work/gopath GOCACHE=$work/gocache GOFLAGS=-modcacherw GOPROXY=direct GOSUMDB=off GONOPROXY= GOPRIVATE= GONOSUMDB= GOINSECURE= GO111MODULE=on
BENCH_GO_WORK=$work/gowork "$driver" server "$work/server" $mod "$runs" "$(git -C "$repos/bench" rev-parse main~5)" v1.150.0 $(seq -f 'v1.%g.0' 160 199) > "$work/server.txt"

# Moddock as a fresh process per fetch (includes .NET start-up and JIT), for comparison.
hyperfine --runs "$runs" --warmup 1 --export-json "$work/cold.json" \
  --prepare "rm -rf $work/store" -n moddock-cold-first "$driver once $work/store $mod v1.150.0" \
  >/dev/null
rm -rf "$work/warm"; "$driver" once "$work/warm" $mod v1.10.0 >/dev/null
hyperfine --runs "$runs" --warmup 1 --export-json "$work/cold2.json" \
  -n moddock-cold-another "$driver once $work/warm $mod v1.199.0" >/dev/null

mkdir -p "$root/bench/results"
python3 - "$work" "$ncommits" "$ntags" "$runs" "$gosum" > "$root/bench/results/direct.md" <<'PY'
import json, statistics, sys
work, ncommits, ntags, runs, gosum = sys.argv[1:6]
def load(name):
    return {r["command"]: [t * 1000 for t in r["times"]] for r in json.load(open(f"{work}/{name}.json"))["results"]}
cold = {**load("cold"), **load("cold2")}
server = {}
for line in open(f"{work}/server.txt"):
    k, *v = line.split()
    server[k] = [float(x) for x in v]
procs = {k: server.pop(k) for k in ("first-processes", "another-processes", "shallow-processes")}
go = {k: server.pop(k) for k in ("go-first", "go-another")}
def ms(xs):
    return f"{statistics.mean(xs):.0f} ± {statistics.stdev(xs) if len(xs) > 1 else 0:.0f} ms"
def row(label, ours, ref, goal, paired=True):
    # Paired rounds: the median of the per-round ratios (both sides measured back to back); otherwise
    # the ratio of the means.
    if paired:
        ratio = statistics.median(o / r for o, r in zip(ours, ref))
    else:
        ratio = statistics.mean(ours) / statistics.mean(ref)
    verdict = "meets" if ratio <= goal else "misses"
    return f"| {label} | **{ratio:.2f}×** (goal ≤ {goal}×, {verdict}) | {ms(ours)} | {ms(ref)} |"
print("## Direct mode (bench/direct)")
print()
print(f"Repository: {ncommits} commits, {ntags} tags, a 100-file module, served from a local bare repository as")
print("https://example.test/bench (git `url.insteadOf`, no network). Each fetch = .info + .mod + .zip of one version.")
print("Reference: `GOPROXY=direct go mod download -json` (go1.19), a fresh process with a fresh GOMODCACHE every run.")
print(f"Moddock: `bench/direct/driver`, timed in-process in one long-running process after a warm-up (how `moddock serve`")
print(f"runs). {runs} rounds; each round times go and Moddock back to back, and the ratio is the median of the per-round")
print("ratios. For the record, Moddock as a fresh process per fetch (hyperfine, incl. .NET start-up), against the same go runs.")
print("A first fetch leaves a shallow mirror (like cmd/go, only the commits asked for); \"already mirrored\" means")
print("the mirror has been completed (any branch or pseudo-version query fetches the full history, incrementally after).")
print("Object reads go through one long-running `git cat-file --batch` per mirror; archives are `git archive --format=tar`.")
print(f"Both produce `{gosum}` for v1.150.0 (checked by the script).")
print()
print("| case | ratio (Moddock / go) | Moddock | go |")
print("|---|---|---|---|")
print(row("first fetch of a version (empty mirror store)", server["first"], go["go-first"], 1.0))
print(row("another version, repository already mirrored", server["another"], go["go-another"], 0.2))
print(row("another version right after a first fetch (mirror still shallow: one --depth=1 fetch)", server["shallow"], go["go-another"], 0.2, paired=False))
print(row("first fetch, fresh Moddock process (incl. .NET start-up)", cold["moddock-cold-first"], go["go-first"], 1.0, paired=False))
print(row("another version, fresh Moddock process", cold["moddock-cold-another"], go["go-another"], 0.2, paired=False))
print()
def counts(xs):
    return "/".join(sorted({f"{x:.0f}" for x in xs}))
print(f"git processes Moddock starts per fetch (.info + .mod + .zip, the long-running cat-file included): "
      f"first fetch {counts(procs['first-processes'])}, another version {counts(procs['another-processes'])}, "
      f"another version of a shallow mirror {counts(procs['shallow-processes'])}. "
      "Before this round (measured with MODDOCK_GIT_TRACE=1, one `git` per object read, zip archives): "
      "first fetch 13 (probe ls-remote, init, remote add, ls-remote, 4× log, 2× fetch --depth=1, 2× cat-file, archive), "
      "another version 3 (log, cat-file, archive); the previous run's ratios were 1.40× and 0.43×.")
print()
print("Raw times (ms): " + "; ".join(f"{k}: {', '.join(f'{x:.0f}' for x in v)}" for k, v in {**server, **go, **cold}.items()))
PY
cat "$root/bench/results/direct.md"
