#!/usr/bin/env bash
# Puts the topology of deploy/up.sh through failures under a mixed load, and checks that nothing was lost.
#
#   deploy/verify.sh            # starts the topology afresh (deploy/run is cleared), runs everything, stops it
#   KEEP_UP=1 deploy/verify.sh  # leaves it running afterwards
#
# 1. Throughput: deploy/load.js's mixed load for 10 s through one API node directly and through nginx over both,
#    in turns, twice, after a 10 s warm-up.
# 2. The same load through nginx while, in turn: API node api1 is killed (SIGKILL) and started again; every API
#    node is restarted in turn (SIGTERM, a rolling deploy); the PostgreSQL primary is killed (SIGKILL, Patroni and
#    PostgreSQL both, as when its machine is lost) so that Patroni promotes the standby, and is then started again
#    to rejoin as the standby. Then deploy/load.js settles and checks: no acknowledged order, payment or refund
#    lost, stock plus units sold equal to the starting stock, every accepted notification delivered once, every
#    idempotency key resolved to one resource, zero failed requests during the rolling deploy; with the requests
#    failed during each fault and the longest time without a successful answer.
# 3. An access token revoked through one API node is refused by the other within seconds: the listener for
#    revocations reconnected to the new primary.
#
# Exits non-zero if a check fails. The figures go to stdout and to deploy/run/verify-report.json.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/lib.sh

command -v node > /dev/null || { echo "Node.js is needed for the load (deploy/load.js)" >&2; exit 1; }
SINK_PORT=28090
export MERCATO_NOTIFICATIONS_PUSH_URL="http://127.0.0.1:$SINK_PORT/push"
# The whole load is one client behind one proxy address: its allowances are raised so that they do not refuse it.
export MERCATO_RATE_LIMIT_TOKEN_PER_IP_PER_MINUTE=1000000 MERCATO_RATE_LIMIT_TOKEN_PER_CLIENT_PER_MINUTE=1000000
export MERCATO_HTTP_MAX_CONCURRENT_REQUESTS_PER_ADDRESS=1000

deploy/down.sh --clean > /dev/null
deploy/up.sh
[ -n "${KEEP_UP:-}" ] || trap 'deploy/down.sh > /dev/null' EXIT
load_secrets
export MERCATO_ADMIN_API_KEY
now_ms() { date +%s%3N; }
seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

log "Throughput: the mixed load for 10 s through one node, then through nginx over both, twice (after a warm-up)"
node deploy/load.js throughput "http://127.0.0.1:$NGINX_PORT" 10 "$SINK_PORT" > /dev/null
for round in 1 2; do
  for target in "one node|http://127.0.0.1:${NODE_PORT[api1]}" "nginx, two nodes|http://127.0.0.1:$NGINX_PORT"; do
    log "   ${target%%|*}: $(node deploy/load.js throughput "${target#*|}" 10 "$SINK_PORT")"
  done
done

STOP=$RUN/load.stop
FAULTS=$RUN/faults.txt
rm -f "$STOP"; : > "$FAULTS"
log "Mixed load through nginx, with faults"
node deploy/load.js faults "http://127.0.0.1:$NGINX_PORT" "$STOP" "$FAULTS" "$SINK_PORT" > "$RUN/verify-report.json" &
LOAD=$!
sleep 12

in_upstream() { grep -q "127.0.0.1:${NODE_PORT[$1]} " "$RUN/upstream.conf"; }
back_in_service() { # node: until it is ready and nginx sends to it again
  until ready "${NODE_PORT[$1]}" && in_upstream "$1"; do alive "$1" || { tail -30 "$RUN/$1.log"; exit 1; }; sleep 0.2; done
  sleep 1 # the reload that added it
}

log "Fault: api1 killed (SIGKILL), started again"
start=$(now_ms)
stop_process api1 KILL
sleep 3
start_node api1 false
back_in_service api1
echo "kill-api1 $start $(now_ms)" >> "$FAULTS"
log "   api1 back in service after $(seconds_between "$start" "$(now_ms)") s"
sleep 8

for node in "${API_NODES[@]}"; do
  log "Rolling deploy: $node stopped (SIGTERM) and started again"
  start=$(now_ms)
  stop_process "$node" TERM
  start_node "$node" false
  back_in_service "$node"
  echo "rolling-$node $start $(now_ms)" >> "$FAULTS"
  log "   $node back in service after $(seconds_between "$start" "$(now_ms)") s"
  sleep 3
done
sleep 5

old=$(primary)
log "Fault: the PostgreSQL primary $old killed (SIGKILL: Patroni and PostgreSQL)"
postmaster=$(head -1 "$RUN/$old/postmaster.pid")
start=$(now_ms)
kill -KILL "$(cat "$RUN/$old.pid")" "$postmaster"
rm -f "$RUN/$old.pid"
until new=$(primary) && [ -n "$new" ] && [ "$new" != "$old" ]; do sleep 0.2; done
promoted=$(now_ms)
log "   $new promoted after $(seconds_between "$start" "$promoted") s"
until [ "$(routed_to)" = "$new" ]; do sleep 0.2; done
log "   HAProxy routes to $new after $(seconds_between "$start" "$(now_ms)") s"
start_member "$old"
until [ "$(sync_standby)" = "$old" ]; do sleep 0.5; done
log "   $old rejoined as the synchronous standby after $(seconds_between "$start" "$(now_ms)") s"
echo "failover $start $(now_ms)" >> "$FAULTS"
sleep 10

touch "$STOP"
log "Load stopped; settling and checking"
status=0
wait "$LOAD" || status=$?
cat "$RUN/verify-report.json"

log "Revocation across nodes, after the failover"
client=$(curl -fs -X POST "127.0.0.1:$NGINX_PORT/v2/oauth-clients" -H "Authorization: Bearer $MERCATO_ADMIN_API_KEY" \
  -H 'Content-Type: application/json' -d '{"name":"verify-revocation","scopes":["products:read"]}' \
  | jq -r '"\(.client_id):\(.client_secret)"')
basic=$(printf '%s' "$client" | base64 -w0)
token=$(curl -fs -X POST "127.0.0.1:${NODE_PORT[api1]}/oauth/token" -H "Authorization: Basic $basic" \
  -d grant_type=client_credentials | jq -r .access_token)
answer() { curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:${NODE_PORT[$1]}/v2/products?limit=1" -H "Authorization: Bearer $token"; }
[ "$(answer api2)" = 200 ] || { echo "api2 refused a fresh token" >&2; status=1; }
curl -fs -X POST "127.0.0.1:${NODE_PORT[api1]}/oauth/revoke" -H "Authorization: Basic $basic" -d "token=$token" > /dev/null
revoked=$(now_ms)
until [ "$(answer api2)" = 401 ] || [ $(($(now_ms) - revoked)) -gt 10000 ]; do sleep 0.1; done
if [ "$(answer api2)" = 401 ]; then
  log "   refused by api2 $(seconds_between "$revoked" "$(now_ms)") s after its revocation through api1"
else
  echo "api2 still takes a token revoked through api1 10 s ago" >&2; status=1
fi

[ "$status" = 0 ] && log "All checks passed" || log "CHECKS FAILED"
exit "$status"
