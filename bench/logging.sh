#!/usr/bin/env bash
# The access log's cost on GET /v2/products/{id}, measured on one server at a time: the same jar on the same
# database, restarted with logging on and off in turns (on, off, off, on, ...), each run warmed up and then
# measured with wrk. run.sh compares two servers running side by side, where which one sits better on the two
# cores weighs more than the logging; here only the setting differs. Prints the medians and their ratio.
# Settings: BENCH_ROUNDS (pairs, default 2), BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${BENCH_ROUNDS:-2}
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-40s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx384m}
PORT=18095
OUT=bench/results/logging
. bench/lib.sh
KEY=$(random_admin_key)
raise_rate_limits

need_tools wrk jq
build_if_missing
rm -rf "$OUT" && mkdir -p "$OUT"
PID=""
trap '[ -z "$PID" ] || kill "$PID" 2>/dev/null; wait 2>/dev/null || true' EXIT

run() { # logs enabled (true|false) -> req/s of the measured run
  MERCATO_DATA_DIR="$OUT/data" MERCATO_ADMIN_API_KEY="$KEY" MERCATO_DEMO_DATA=true MERCATO_LOGS_ENABLED=$1 \
    SERVER_PORT=$PORT java $JAVA_OPTS -jar target/mercato/mercato.jar >> "$OUT/server.log" 2>&1 &
  PID=$!
  until curl -fs "localhost:$PORT/health/readiness" >/dev/null 2>&1; do sleep 0.2; done
  curl -fs "localhost:$PORT/v2/products?limit=100" -H "Authorization: Bearer $KEY" | jq -r '.[].id' > "$OUT/ids.txt"
  BENCH_TOKEN=$KEY wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s bench/random-product.lua "http://localhost:$PORT" \
    -- "$OUT/ids.txt" > /dev/null
  BENCH_TOKEN=$KEY wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s bench/random-product.lua "http://localhost:$PORT" \
    -- "$OUT/ids.txt" | tee -a "$OUT/wrk-$1.txt" | awk '/Requests\/sec/ {print $2}'
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
}

for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then order="true false"; else order="false true"; fi
  for logs in $order; do
    rps=$(run "$logs")
    echo "$rps" >> "$OUT/rps-$logs.txt"
    echo "round $round, access log $([ "$logs" = true ] && echo on || echo off): $rps req/s"
  done
done
ON=$(median < "$OUT/rps-true.txt"); OFF=$(median < "$OUT/rps-false.txt")
echo "GET /v2/products/{id}: logs on $ON req/s, off $OFF req/s (medians of $ROUNDS); on/off = $(echo "scale=3; $ON / $OFF" | bc)"
echo "access logging cost: $(printf "%.1f" "$(echo "scale=4; (1 - $ON / $OFF) * 100" | bc)")% of throughput (budget < 10%)"
