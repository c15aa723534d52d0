#!/usr/bin/env bash
# Runs every Moddock test. Installs what the tests need when it is missing, builds the
# solution, runs each test project, and ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
OUT=$ROOT/.test-out
rm -rf "$OUT"; mkdir -p "$OUT"

log() { printf '== %s\n' "$*" >&2; }

# --- 1. What the tests need -------------------------------------------------------------
# Debian packages: the real go client and Go's x/mod (the oracle and its test data),
# Go's own sources (cmd/go test data), git and ssh (direct mode, doctor), openssl, CA certificates.
need_pkgs=()
for p in golang-go golang-golang-x-mod-dev golang-1.19-src git openssh-client openssl ca-certificates; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_pkgs+=("$p")
done
if ((${#need_pkgs[@]})); then
  log "installing ${need_pkgs[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >&2 || { echo "0 passed, 1 failed"; exit 1; }
fi
export PATH="$PATH:/usr/lib/go/bin"

# --- 2. Build ----------------------------------------------------------------------------
log "building"
if ! dotnet build Moddock.slnx -c Release -nologo -v:q >"$OUT/build.log" 2>&1; then
  grep -E "error|Error" "$OUT/build.log" | sort -u | head -50 >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# The Go oracle (tests/oracle) is built from Debian's golang.org/x/mod in GOPATH mode.
if [ -x tests/oracle/build.sh ]; then
  log "building the Go oracle"
  if ! tests/oracle/build.sh "$OUT/bin" >"$OUT/oracle-build.log" 2>&1; then
    cat "$OUT/oracle-build.log" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  export MODDOCK_ORACLE_DIR="$OUT/bin"
fi
export MODDOCK_CLI="$ROOT/src/Moddock/bin/Release/net10.0/moddock"
export MODDOCK_TEST_OUT="$OUT"

# --- 3. Run every test project -----------------------------------------------------------
status=0
for proj in tests/*/*.Tests.csproj; do
  name=$(basename "$proj" .csproj)
  log "testing $name"
  dotnet test "$proj" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$OUT/results" \
    -- RunConfiguration.TestSessionTimeout=900000 >"$OUT/$name.log" 2>&1 || status=1
  grep -E "^\s+(Failed|Error Message|Passed!|Failed!)|Total tests|error" "$OUT/$name.log" | head -40 >&2 || true
done

# --- 4. One closing line ------------------------------------------------------------------
passed=0; failed=0; skipped=0
for trx in "$OUT"/results/*.trx; do
  [ -f "$trx" ] || continue
  c=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$c" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
# A project that crashed before writing its report counts as a failure.
nproj=$(ls tests/*/*.Tests.csproj | wc -l)
ntrx=$(ls "$OUT"/results/*.trx 2>/dev/null | wc -l)
if [ "$ntrx" -lt "$nproj" ]; then failed=$((failed + nproj - ntrx)); fi
if [ "$failed" -eq 0 ] && [ "$status" -ne 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
