#!/usr/bin/env bash
# Compares Docker runtimes for a candidate's container (Debian's runsc, a runsc built from gVisor's Go branch
# with the systrap platform, runc): container start to exit of `node -e 0`, time to `require` express and pg
# inside the container, and requests/s of a trivial node:http service (autocannon from the host, 10
# connections, 5 s). Usage: bench/gvisor-compare.sh [runtime ...] (default: runsc-seccomp
# runsc-systrap-seccomp runc); REPS (default 5). Prints one line per runtime and measure: the median and
# every sample. Containers get the candidate's hardening (runner/sandbox/seccomp profile, read-only root, no
# capabilities) but no pids limit. Runs only on 127.0.0.1 and the container's bridge address.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runtimes=("$@")
[ ${#runtimes[@]} -gt 0 ] || runtimes=(runsc-seccomp runsc-systrap-seccomp runc)
reps="${REPS:-5}"
image="${IMAGE:-stackgrade/node22:latest}"
hard=(--user 10001 --security-opt "seccomp=$here/runner/sandbox/seccomp/candidate-profile.json" --read-only --tmpfs /tmp:size=16m --cap-drop ALL --security-opt no-new-privileges
  --memory 512m --cpus 1 -v "$here/node_modules:/app/node_modules:ro" -w /app)
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ms() { date +%s%3N; }
for rt in "${runtimes[@]}"; do
  start=() req=() rps=()
  for _ in $(seq "$reps"); do
    t0=$(ms); docker run --rm --runtime="$rt" --network none "${hard[@]}" "$image" node -e 0 >/dev/null; t1=$(ms)
    start+=($((t1 - t0)))
    req+=($(docker run --rm --runtime="$rt" --network none "${hard[@]}" "$image" node -e \
      "const t=process.hrtime.bigint();require('express');require('pg');console.log(Number(process.hrtime.bigint()-t)/1e6|0)"))
  done
  for _ in $(seq 3); do
    name="sg-gvisor-compare-$$"
    docker run -d --rm --name "$name" --runtime="$rt" "${hard[@]}" "$image" node -e \
      "require('http').createServer((q,s)=>s.end('ok')).listen(8080,'0.0.0.0')" >/dev/null
    ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$name")
    for _ in $(seq 50); do curl -sf "http://$ip:8080/" >/dev/null && break; sleep 0.1; done
    rps+=($(node "$here/node_modules/autocannon/autocannon.js" -c 10 -d 5 -j "http://$ip:8080/" 2>/dev/null |
      node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(Math.round(JSON.parse(s).requests.average)))"))
    docker rm -f "$name" >/dev/null
  done
  echo "$rt start_ms median $(printf '%s\n' "${start[@]}" | median) samples ${start[*]}"
  echo "$rt require_express_pg_ms median $(printf '%s\n' "${req[@]}" | median) samples ${req[*]}"
  echo "$rt http_req_per_s median $(printf '%s\n' "${rps[@]}" | median) samples ${rps[*]}"
done
