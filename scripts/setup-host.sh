#!/usr/bin/env bash
# Prepares this machine for Stackgrade, idempotently: Docker engine (Debian docker.io) with gVisor (runsc)
# registered, a compose client (Debian docker-compose), Redis for BullMQ, FerretDB as the MongoDB-compatible
# store, npm dependencies and every sandbox image. Safe to run again: each step checks first and does only what is missing. Needs root.
# Why each choice: docs/sandbox.md ("Host set-up").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACKGRADE_HOME="${STACKGRADE_HOME:-/var/lib/stackgrade}"
FERRETDB_VERSION="v1.24.2"   # last 1.x release: still has the SQLite backend (docs/sandbox.md, "Host set-up")
REDIS_PORT="${REDIS_PORT:-6379}"
MONGO_PORT="${MONGO_PORT:-27017}"
mkdir -p "$STACKGRADE_HOME"/{bin,log,redis,ferretdb}

log() { printf '[setup] %s\n' "$*"; }
need_root() { [ "$(id -u)" = 0 ] || { echo "setup-host.sh must run as root" >&2; exit 1; }; }
need_root

# 1. Debian packages -------------------------------------------------------------------------------
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v runsc >/dev/null || missing+=(runsc)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v chromium >/dev/null || missing+=(chromium)   # the web app's browser tests (playwright-core)
# docker-compose.yml (npm run test:compose): Debian's docker-compose 1.29 unless a compose client is there.
command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Docker engine with gVisor registered twice (runtimeArgs --network=host: needed to join a pod's netns):
#    `runsc` as before, and `runsc-seccomp` (adds --oci-seccomp: runsc then enforces the container's seccomp
#    profile inside the sandbox; without it gVisor ignores the profile, so e.g. `unshare -Ur` succeeds).
#    Candidate services run under runsc-seccomp with runner/sandbox/seccomp/candidate-profile.json.
#    daemon.json is rewritten, and dockerd reloaded (SIGHUP: runtimes are reloadable, containers keep
#    running), only when a registration is missing or different.
RUNSC_PATH="$(command -v runsc)"
mkdir -p /etc/docker
daemon_changed="$(node - "$RUNSC_PATH" <<'NODE'
const fs = require('fs');
const file = '/etc/docker/daemon.json';
let cfg = {};
try { cfg = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { cfg = {}; }
const want = {
  runsc: { path: process.argv[2], runtimeArgs: ['--network=host'] },
  'runsc-seccomp': { path: process.argv[2], runtimeArgs: ['--network=host', '--oci-seccomp'] },
};
cfg.runtimes = cfg.runtimes || {};
let changed = false;
for (const [name, rt] of Object.entries(want)) {
  if (JSON.stringify(cfg.runtimes[name]) === JSON.stringify(rt)) continue;
  cfg.runtimes[name] = rt;
  changed = true;
}
if (changed) fs.writeFileSync(file, JSON.stringify(cfg, null, 2) + '\n');
console.log(changed ? 'changed' : 'same');
NODE
)"
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  nohup dockerd >"$STACKGRADE_HOME/log/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start; see $STACKGRADE_HOME/log/dockerd.log" >&2; exit 1; }
elif [ "$daemon_changed" = changed ] || ! docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc-seccomp"'; then
  log "registered runsc and runsc-seccomp in /etc/docker/daemon.json; reloading dockerd (SIGHUP)"
  kill -HUP "$(pidof dockerd)"
  for _ in $(seq 1 20); do docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc-seccomp"' && break; sleep 0.5; done
fi

# 2b. Optional: a current gVisor from its Go branch (STACKGRADE_RUNSC_GO=1), registered beside Debian's as
#    `runsc-systrap` and `runsc-systrap-seccomp` (same flags plus --platform=systrap). Built once into
#    $STACKGRADE_HOME/bin (cached by version); a failed build leaves Debian's runsc as the only one. The runner
#    keeps using `runsc-seccomp` (Debian's) until the whole attack suite has run under the current one; its
#    measurements are mixed (BENCHMARKS.md, "gVisor: Debian's runsc against a current one").
RUNSC_GO_VERSION="${RUNSC_GO_VERSION:-v0.0.0-20260905035102-160fafc42237}"
if [ "${STACKGRADE_RUNSC_GO:-0}" = 1 ]; then
  RUNSC_GO_BIN="$STACKGRADE_HOME/bin/runsc-$RUNSC_GO_VERSION"
  if [ ! -x "$RUNSC_GO_BIN" ]; then
    log "building runsc $RUNSC_GO_VERSION from the Go module proxy (a few minutes)"
    gobin="$(mktemp -d)"
    if GOBIN="$gobin" CGO_ENABLED=0 go install "gvisor.dev/gvisor/runsc@$RUNSC_GO_VERSION"; then
      mv "$gobin/runsc" "$RUNSC_GO_BIN"
    else
      log "building runsc $RUNSC_GO_VERSION failed; Debian's runsc stays the only gVisor"
    fi
    rm -rf "$gobin"
  fi
  if [ -x "$RUNSC_GO_BIN" ]; then
    go_changed="$(node - "$RUNSC_GO_BIN" <<'NODE'
const fs = require('fs');
const file = '/etc/docker/daemon.json';
const cfg = JSON.parse(fs.readFileSync(file, 'utf8'));
const base = ['--network=host', '--platform=systrap'];
const want = {
  'runsc-systrap': { path: process.argv[2], runtimeArgs: base },
  'runsc-systrap-seccomp': { path: process.argv[2], runtimeArgs: [...base, '--oci-seccomp'] },
};
let changed = false;
for (const [name, rt] of Object.entries(want)) {
  if (JSON.stringify(cfg.runtimes[name]) === JSON.stringify(rt)) continue;
  cfg.runtimes[name] = rt;
  changed = true;
}
if (changed) fs.writeFileSync(file, JSON.stringify(cfg, null, 2) + '\n');
console.log(changed ? 'changed' : 'same');
NODE
)"
    if [ "$go_changed" = changed ]; then
      log "registered runsc-systrap and runsc-systrap-seccomp; reloading dockerd (SIGHUP)"
      kill -HUP "$(pidof dockerd)"
      for _ in $(seq 1 20); do docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc-systrap-seccomp"' && break; sleep 0.5; done
    fi
  fi
fi

# 3. Redis for BullMQ (AOF on, noeviction: BullMQ's production settings) -------------------------------
if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  log "starting redis-server on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --dir "$STACKGRADE_HOME/redis" \
    --appendonly yes --appendfsync everysec --maxmemory-policy noeviction \
    --logfile "$STACKGRADE_HOME/log/redis.log"
  for _ in $(seq 1 40); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.25; done
fi

# 4. FerretDB (MongoDB wire protocol on SQLite), built from its Go module; telemetry disabled ------------
FERRETDB_BIN="$STACKGRADE_HOME/bin/ferretdb-$FERRETDB_VERSION"
if [ ! -x "$FERRETDB_BIN" ]; then
  log "building FerretDB $FERRETDB_VERSION from the Go module proxy"
  src="$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Dir))')"
  work="$(mktemp -d)"
  cp -r "$src/." "$work/" && chmod -R u+w "$work"
  # The module zip lacks build/version/version.txt, which FerretDB reads at start (it panics without it).
  echo "$FERRETDB_VERSION" >"$work/build/version/version.txt"
  (cd "$work" && go build -trimpath -o "$FERRETDB_BIN" ./cmd/ferretdb)
  rm -rf "$work"
fi
# SQLite in WAL mode with synchronous=NORMAL: a commit survives a crash of FerretDB or of any client and may
# be rolled back only by an OS crash or power loss (sqlite.org/pragma.html#pragma_synchronous, sqlite.org/wal.html).
# That is MongoDB's own default for w:1 writes (acknowledged before the journal flush, which runs every 100 ms:
# storage.journal.commitIntervalMs). SQLite's default, FULL, fsyncs every commit: measured on 2 cores, it
# put the p99 of POST /v1/submissions at 300/s at 106 ms against 39 ms (BENCHMARKS.md).
FERRETDB_SQLITE_URL="file:$STACKGRADE_HOME/ferretdb/?_pragma=synchronous(normal)"
if ! (exec 3<>"/dev/tcp/127.0.0.1/$MONGO_PORT") 2>/dev/null; then
  log "starting FerretDB on 127.0.0.1:$MONGO_PORT"
  DO_NOT_TRACK=1 nohup "$FERRETDB_BIN" --handler=sqlite --sqlite-url="$FERRETDB_SQLITE_URL" \
    --listen-addr="127.0.0.1:$MONGO_PORT" --telemetry=disable --log-level=warn \
    >"$STACKGRADE_HOME/log/ferretdb.log" 2>&1 &
  for _ in $(seq 1 40); do (exec 3<>"/dev/tcp/127.0.0.1/$MONGO_PORT") 2>/dev/null && break; sleep 0.25; done
fi

# 5. npm dependencies --------------------------------------------------------------------------------
cd "$ROOT"
stamp="node_modules/.stackgrade-lock-sha256"
want_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want_sum" ]; then
  log "npm ci"
  # npm 11 here may write a lockfile without other platforms' optional packages, which `npm ci` then
  # refuses; `npm install --no-save` installs the same locked versions in that case.
  npm ci --no-audit --no-fund --loglevel=error || npm install --no-save --no-audit --no-fund --loglevel=error
  echo "$want_sum" >"$stamp"
fi

# 5b. The web app (web/ → web/dist, served by the API under /app); esbuild takes about a second.
log "building the web app"
npm run --silent build:web

# 6. Sandbox images (debian:bookworm-slim by debootstrap when missing; rebuilt only when their context changed)
log "building sandbox images"
npx tsx runner/cli/main.ts images build
log "ready: Docker $(docker version --format '{{.Server.Version}}'), runtimes: $(docker info --format '{{range $k, $v := .Runtimes}}{{$k}} {{end}}')"
