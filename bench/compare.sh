#!/usr/bin/env bash
# Two builds side by side on the hot path: GET /v2/products/{id} with an API key and with an OAuth access token
# (JWT), each build a server on one shared embedded database, measured in alternating rounds after a warm-up, so
# that noise on this shared machine hits both alike. Prints each build's median req/s, p50 and p99, and the
# ratio new/old.
#
#   bench/compare.sh OLD_JAR NEW_JAR            # e.g. a checkout of the previous commit's target/mercato/mercato.jar
#   BENCH_ROUNDS=5 BENCH_DURATION=30s bench/compare.sh old.jar new.jar
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

OLD=${1:?usage: bench/compare.sh OLD_JAR NEW_JAR}
NEW=${2:?usage: bench/compare.sh OLD_JAR NEW_JAR}
CONNECTIONS=${BENCH_CONNECTIONS:-32}   # not the default 64
PRODUCTS=${BENCH_PRODUCTS:-1000}
PORT_OLD=${BENCH_PORT_A:-18080}
PORT_NEW=${BENCH_PORT_B:-18081}
DB_PORT=${BENCH_DB_PORT:-15433}
raise_rate_limits
OUT=bench/results/compare
ADMIN_KEY=$(random_admin_key)

need_tools wrk jq bc
rm -rf "$OUT" && mkdir -p "$OUT"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# The old build owns the embedded database; the new one shares it (both are the same schema's clients).
MERCATO_DATA_DIR="$OUT/data" MERCATO_ADMIN_API_KEY="$ADMIN_KEY" SERVER_PORT=$PORT_OLD \
  MERCATO_EMBEDDED_DB_PORT=$DB_PORT java $JAVA_OPTS -jar "$OLD" > "$OUT/old.log" 2>&1 & PIDS+=($!)
wait_ready "$(date +%s%N)" $PORT_OLD >/dev/null
SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$DB_PORT/postgres" SPRING_DATASOURCE_USERNAME=postgres \
  SERVER_PORT=$PORT_NEW java $JAVA_OPTS -jar "$NEW" > "$OUT/new.log" 2>&1 & PIDS+=($!)
wait_ready "$(date +%s%N)" $PORT_NEW >/dev/null

admin() { curl -fs -X POST "localhost:$PORT_OLD$1" -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' -d "$2"; }
KEY=$(create_api_key $PORT_OLD "$ADMIN_KEY" bench products:read)
BASIC=$(oauth_client $PORT_OLD "$ADMIN_KEY" products:read)
# A token's issuer is the address it was issued at: each server gets its own.
JWT_OLD=$(access_token $PORT_OLD "$BASIC"); JWT_NEW=$(access_token $PORT_NEW "$BASIC")
for i in $(seq 1 "$PRODUCTS"); do
  admin /v2/products '{"name":"Bench item '"$i"'","price":9.99,"currency":"USD","stock":5}' | jq -r .id
done > "$OUT/product-ids.txt"

run() { # port token -> "rps p50ms p99ms"
  local out
  out=$(BENCH_TOKEN=$2 wrk -t2 -c"$CONNECTIONS" -d"$3" --latency -s bench/random-product.lua "http://localhost:$1" -- "$OUT/product-ids.txt")
  echo "$out" >> "$OUT/wrk-$1.txt"
  echo "$out" | grep -E "Non-2xx|Socket errors" >&2 || true
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(ms "$(echo "$out" | awk '$1=="50%" {print $2}')") $(ms "$(echo "$out" | awk '$1=="99%" {print $2}')")"
}

echo "== Warm-up: $WARMUP per server, API key and JWT"
half=$(( ${WARMUP%s} / 2 ))s
run $PORT_OLD "$KEY" "$half" >/dev/null; run $PORT_OLD "$JWT_OLD" "$half" >/dev/null
run $PORT_NEW "$KEY" "$half" >/dev/null; run $PORT_NEW "$JWT_NEW" "$half" >/dev/null

echo "== $ROUNDS rounds of $DURATION, $CONNECTIONS connections, old and new in turns"
for round in $(seq 1 "$ROUNDS"); do
  run $PORT_OLD "$KEY" "$DURATION" >> "$OUT/key-old.txt"; run $PORT_NEW "$KEY" "$DURATION" >> "$OUT/key-new.txt"
  run $PORT_OLD "$JWT_OLD" "$DURATION" >> "$OUT/jwt-old.txt"; run $PORT_NEW "$JWT_NEW" "$DURATION" >> "$OUT/jwt-new.txt"
  echo "   round $round done"
done

col() { awk -v c="$2" '{print $c}' "$OUT/$1.txt" | median; }
printf '\n%-28s %10s %8s %8s %10s %8s %8s %8s\n' "GET /v2/products/{id}" "old req/s" "p50 ms" "p99 ms" "new req/s" "p50 ms" "p99 ms" "new/old"
for credential in key jwt; do
  old=$(col "$credential-old" 1); new=$(col "$credential-new" 1)
  printf '%-28s %10s %8s %8s %10s %8s %8s %8s\n' "$([ $credential = key ] && echo 'API key' || echo 'OAuth access token (JWT)')" \
    "$old" "$(col "$credential-old" 2)" "$(col "$credential-old" 3)" "$new" "$(col "$credential-new" 2)" "$(col "$credential-new" 3)" \
    "$(echo "scale=3; $new / $old" | bc)"
done
