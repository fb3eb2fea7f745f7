#!/usr/bin/env bash
# Stops what deploy/up.sh started, front to back. `--clean` also removes deploy/run (data, logs, secrets).
set -uo pipefail
cd "$(dirname "$0")/.."
. deploy/lib.sh

stop_process health-checker
alive nginx && nginx -c "$RUN/nginx.conf" -p "$RUN" -s quit 2> /dev/null
for _ in $(seq 1 50); do alive nginx || break; sleep 0.1; done
stop_process nginx
for node in "${API_NODES[@]}" worker; do stop_process "$node"; done
stop_process haproxy
for member in "${MEMBERS[@]}"; do
  stop_process "$member"
  # A PostgreSQL whose Patroni was killed outlives it: stopped here from its own pid file (fast shutdown).
  postmaster=$(head -1 "$RUN/$member/postmaster.pid" 2> /dev/null || true)
  if [ -n "$postmaster" ] && kill -0 "$postmaster" 2> /dev/null; then
    kill -INT "$postmaster"
    for _ in $(seq 1 100); do kill -0 "$postmaster" 2> /dev/null || break; sleep 0.1; done
  fi
done
stop_process etcd
[ "${1:-}" != --clean ] || rm -rf "$RUN"
log "Down"
