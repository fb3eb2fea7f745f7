#!/usr/bin/env bash
# What the layers that can be switched off cost on GET /v2/products/{id} (API key): Mercato as it runs, and beside
# it one server per layer switched off (the access log, the rate limits, the request metrics) and one with all
# three off, every server on one database with the ceiling app (bench/ceiling). After a warm-up, rounds drive each
# in turn; each figure is the median of the rounds' ratios to the ceiling in the same round. A layer's cost is
# the share of the request it takes: 1 - (rate with it on / rate with it off).
# The layers that cannot be switched off (the security chain, the API-key check, JSON, MVC) are measured by
# bench/profile.sh's flame graphs.
#
#   bench/layers.sh
#   BENCH_ROUNDS=5 bench/layers.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-60s}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
DB_PORT=${BENCH_DB_PORT:-15435}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx384m}
JAVA_CMD=${BENCH_JAVA:-java}
WORK=bench/results/layers
CEILING_PORT=18180
VARIANTS=(all-on access-log-off rate-limits-off request-metrics-off all-three-off)
declare -A ARGS=(
  [all-on]=""
  [access-log-off]="--mercato.logs.enabled=false"
  [rate-limits-off]="--mercato.rate-limit.enabled=false"
  [request-metrics-off]="--management.observations.enable.http.server.requests=false"
  [all-three-off]="--mercato.logs.enabled=false --mercato.rate-limit.enabled=false --management.observations.enable.http.server.requests=false"
)

. bench/lib.sh
raise_rate_limits
ADMIN_KEY=$(random_admin_key)
need_tools wrk jq bc
build_if_missing
build_ceiling_if_missing
rm -rf "$WORK" && mkdir -p "$WORK"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

declare -A PORTS
port=18181
for variant in "${VARIANTS[@]}"; do
  PORTS[$variant]=$port
  if [ "$variant" = all-on ]; then   # the first server owns the embedded database
    env MERCATO_DATA_DIR="$WORK/data" MERCATO_EMBEDDED_DB_PORT=$DB_PORT MERCATO_ADMIN_API_KEY="$ADMIN_KEY" \
      SERVER_PORT=$port $JAVA_CMD $JAVA_OPTS -jar target/mercato/mercato.jar ${ARGS[$variant]} > "$WORK/$variant.log" 2>&1 &
  else
    env SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$DB_PORT/postgres" SPRING_DATASOURCE_USERNAME=postgres \
      SERVER_PORT=$port $JAVA_CMD $JAVA_OPTS -jar target/mercato/mercato.jar ${ARGS[$variant]} > "$WORK/$variant.log" 2>&1 &
  fi
  PIDS+=($!)
  wait_ready "$(date +%s%N)" $port $! > /dev/null
  port=$((port + 1))
done
SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$DB_PORT/postgres" SPRING_DATASOURCE_USERNAME=postgres \
  SERVER_PORT=$CEILING_PORT $JAVA_CMD $JAVA_OPTS -jar bench/ceiling/target/ceiling.jar > "$WORK/ceiling.log" 2>&1 &
PIDS+=($!); PID_CEILING=$!

export BENCH_TOKEN; BENCH_TOKEN=$(create_api_key "${PORTS[all-on]}" "$ADMIN_KEY" bench products:read)
echo "== Loading 1,000 products: $(load_products "${PORTS[all-on]}" "$ADMIN_KEY" 1000 "$WORK")"
wait_for_ceiling $CEILING_PORT $PID_CEILING "$(head -1 "$WORK/product-ids.txt")"

load() { # port duration -> "req/s errors"
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$2" --latency -s bench/random-product.lua "http://localhost:$1" -- "$WORK/product-ids.txt")
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}')"
}

echo "== Warming up: $WARMUP per server"
load $CEILING_PORT "$WARMUP" > /dev/null
for variant in "${VARIANTS[@]}"; do load "${PORTS[$variant]}" "$WARMUP" > /dev/null; done

echo "== Measuring: $ROUNDS rounds of $DURATION per server, the ceiling first in each"
for round in $(seq "$ROUNDS"); do
  read -r ceiling _ <<< "$(load $CEILING_PORT "$DURATION")"
  echo "$ceiling" >> "$WORK/ceiling.txt"
  for variant in "${VARIANTS[@]}"; do
    read -r rps errors <<< "$(load "${PORTS[$variant]}" "$DURATION")"
    echo "$rps $errors $(ratio "$rps" "$ceiling")" >> "$WORK/$variant.txt"
  done
  echo "   round $round done (ceiling $ceiling req/s)"
done

echo
echo "GET /v2/products/{id}, API key, $CONNECTIONS connections, medians of $ROUNDS rounds of $DURATION; $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| server | req/s | errors | / ceiling | the layer's share of the request |"
echo "| --- | ---: | ---: | ---: | ---: |"
echo "| ceiling app | $(median < "$WORK/ceiling.txt") | 0 | 1.00 | |"
ALL_ON=$(cut -d' ' -f3 "$WORK/all-on.txt" | median)
for variant in "${VARIANTS[@]}"; do
  r=$(cut -d' ' -f3 "$WORK/$variant.txt" | median)
  share=$([ "$variant" = all-on ] && echo "" || awk -v on="$ALL_ON" -v off="$r" 'BEGIN { printf "%.1f%%", (1 - on / off) * 100 }')
  echo "| $variant | $(cut -d' ' -f1 "$WORK/$variant.txt" | median) | $(cut -d' ' -f2 "$WORK/$variant.txt" | awk '{n += $1} END {print n}') | $r | $share |"
done
