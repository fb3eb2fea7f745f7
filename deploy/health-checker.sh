#!/usr/bin/env bash
# Keeps nginx's upstream to the API nodes whose /health/readiness answers 200: checks every 0.5 s, and when the
# set changes writes deploy/run/upstream.conf and reloads nginx (a graceful reload: requests in progress finish).
# This is the active health check that nginx's open-source build lacks. Started by deploy/up.sh;
# `--once` writes the file and exits.
set -uo pipefail
cd "$(dirname "$0")/.."
. deploy/lib.sh

upstream() { # ready node names -> the upstream block
  echo "upstream mercato {"
  local node
  for node in "$@"; do echo "    server 127.0.0.1:${NODE_PORT[$node]} max_fails=0;"; done
  # With no node ready, every node stays listed: nginx then answers 502 rather than losing its configuration.
  if [ $# -eq 0 ]; then
    for node in "${API_NODES[@]}"; do echo "    server 127.0.0.1:${NODE_PORT[$node]} max_fails=0;"; done
  fi
  echo "    keepalive 32;"
  # Idle connections to a node are dropped well before Tomcat drops them (after 10 s, server.tomcat.connection-timeout),
  # so nginx never sends a request on a connection the node is closing: a POST would get 502, not be resent.
  echo "    keepalive_timeout 5s;"
  echo "}"
}

current=""
while true; do
  ready_nodes=()
  for node in "${API_NODES[@]}"; do
    [ "$(curl -s -m 1 -o /dev/null -w '%{http_code}' "127.0.0.1:${NODE_PORT[$node]}/health/readiness")" = 200 ] \
      && ready_nodes+=("$node")
  done
  wanted=$(upstream "${ready_nodes[@]}")
  if [ "$wanted" != "$current" ]; then
    printf '%s\n' "$wanted" > "$RUN/upstream.conf.new" && mv "$RUN/upstream.conf.new" "$RUN/upstream.conf"
    current=$wanted
    if alive nginx; then
      nginx -c "$RUN/nginx.conf" -p "$RUN" -s reload && log "upstream: ${ready_nodes[*]:-none ready}"
    fi
  fi
  [ "${1:-}" = --once ] && exit 0
  sleep 0.5
done
