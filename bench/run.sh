#!/usr/bin/env bash
# Mercato benchmark: one command, prints a table of figures and ratios and draws docs/benchmark/chart.svg.
#
#   bench/run.sh                 # full run (about 20 minutes)
#   BENCH_DURATION=10s BENCH_WARMUP=30s bench/run.sh   # quick look
#
# Starts Mercato from target/mercato/mercato.jar (the extracted form that `package` makes) on a fresh embedded
# database, with the access log and the rate limits on, and the ceiling app (bench/ceiling: Spring Boot and
# JdbcClient serving the same primary-key select, nothing else) on the same database. Loads 10,000 products
# through the API and warms both up. Then, in rounds, drives with wrk on loopback the ceiling's
# GET /v2/products/{id} and, in turn, Mercato's GET /v2/products/{id} with an API key and with an OAuth access
# token (JWT), GET /v2/products (20 a page, with X-Total-Count), GET /v2/products/search (random terms and price
# filters) and POST /v2/orders (three lines, an idempotency key each). Every scenario is reported as a ratio to
# the ceiling's rate in the same round (median of the rounds), beside req/s, p50, p99 and errors: noise on this
# shared machine hits both alike. Then token issuance, create-then-pay, two hot-product runs (checked for 5xx
# and oversell), and push notifications delivered to a local gateway stand-in (bench/push-sink.js, Node.js),
# flat out, steady, and steady while GET /v2/products/{id} runs flat out (the delivery-lag target). Last, the
# resident memory and a chart of this run beside the previous one (bench/chart.js).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

PRODUCTS=${BENCH_PRODUCTS:-10000}
PORT=${BENCH_PORT_A:-18080}
CEILING_PORT=${BENCH_PORT_B:-18081}
DB_PORT=${BENCH_DB_PORT:-15432}
ORDER_CONNECTIONS=${BENCH_ORDER_CONNECTIONS:-32}
HOT_STOCK=${BENCH_HOT_STOCK:-3000}
NOTIFY_STEADY_CONNECTIONS=${BENCH_NOTIFY_STEADY_CONNECTIONS:-2}
CHART_DIR=${BENCH_CHART_DIR:-docs/benchmark}
OUT=bench/results

raise_rate_limits
ADMIN_KEY=$(random_admin_key)
need node || { echo "Node.js is needed for the push-gateway stand-in and the chart (bench/push-sink.js, bench/chart.js)" >&2; exit 1; }
need_tools wrk jq bc
build_if_missing
build_ceiling_if_missing

rm -rf "$OUT" && mkdir -p "$OUT"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# A push gateway that takes everything, so notification delivery is measured without a provider's own delay.
SINK_PORT=${BENCH_SINK_PORT:-18099}
node bench/push-sink.js "$SINK_PORT" & PIDS+=($!)
export MERCATO_NOTIFICATIONS_PUSH_URL="http://127.0.0.1:$SINK_PORT/push"

echo "== Cold start (includes the embedded database's first initialisation; bench/cold-start.sh compares it with the ceiling's)"
start=$(date +%s%N)
MERCATO_DATA_DIR="$OUT/data" MERCATO_ADMIN_API_KEY="$ADMIN_KEY" SERVER_PORT=$PORT \
  MERCATO_EMBEDDED_DB_PORT=$DB_PORT $JAVA_CMD $JAVA_OPTS -jar target/mercato/mercato.jar > "$OUT/mercato.log" 2>&1 &
PIDS+=($!); PID=$!
COLD_START=$(wait_ready "$start" $PORT $PID)
echo "   ready after ${COLD_START} s"

SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$DB_PORT/postgres" SPRING_DATASOURCE_USERNAME=postgres \
  SERVER_PORT=$CEILING_PORT $JAVA_CMD $JAVA_OPTS -jar bench/ceiling/target/ceiling.jar > "$OUT/ceiling.log" 2>&1 &
PIDS+=($!); PID_CEILING=$!

export BENCH_TOKEN; BENCH_TOKEN=$(create_api_key $PORT "$ADMIN_KEY" bench products:read)
TOKEN=$BENCH_TOKEN
export BENCH_ORDER_TOKEN
BENCH_ORDER_TOKEN=$(create_api_key $PORT "$ADMIN_KEY" bench-orders orders:write payments:write products:read notifications:write)
export BENCH_CLIENT_BASIC; BENCH_CLIENT_BASIC=$(oauth_client $PORT "$ADMIN_KEY" products:read)   # for bench/token.lua
JWT=$(access_token $PORT "$BENCH_CLIENT_BASIC")
BENCH_USER=$(curl -fs -X POST "localhost:$PORT/v2/users" -H "Authorization: Bearer $ADMIN_KEY" \
  -H 'Content-Type: application/json' -d '{"username":"bench_buyer","email":"bench@example.com"}' | jq -r .id)
export BENCH_USER

echo "== Loading $PRODUCTS products through POST /v2/products"
load_start=$(date +%s%N)
echo "   $(load_products $PORT "$ADMIN_KEY" "$PRODUCTS" "$OUT") in $(seconds_since "$load_start") s"

# Enough stock on those 1,000 products that the order runs never sell out: they measure placing and paying,
# not refusing.
while read -r id; do
  printf 'url = "http://localhost:%s/v2/products/%s"\nrequest = "PATCH"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/merge-patch+json"\ndata = "{\\"stock\\": 10000000}"\noutput = "/dev/null"\nnext\n' \
    "$PORT" "$id" "$ADMIN_KEY"
done < "$OUT/product-ids.txt" | sed '$d' > "$OUT/restock.curl"
curl -s --no-progress-meter --parallel --parallel-max 16 -K "$OUT/restock.curl"
wait_for_ceiling $CEILING_PORT $PID_CEILING "$(head -1 "$OUT/product-ids.txt")"

run_wrk() { # scenario [duration] -> "rps p50ms p99ms errors"; the raw output goes to $OUT/wrk-<scenario>.txt
  local scenario=$1 duration=${2:-$DURATION} out wrk_args
  wrk_args=(-t2 -d"$duration" --latency)
  case $scenario in
    ceiling) out=$(wrk "${wrk_args[@]}" -c"$CONNECTIONS" -s bench/random-product.lua "http://localhost:$CEILING_PORT" -- "$OUT/product-ids.txt") ;;
    get) out=$(wrk "${wrk_args[@]}" -c"$CONNECTIONS" -s bench/random-product.lua "http://localhost:$PORT" -- "$OUT/product-ids.txt") ;;
    get-jwt) out=$(BENCH_TOKEN=$JWT wrk "${wrk_args[@]}" -c"$CONNECTIONS" -s bench/random-product.lua "http://localhost:$PORT" -- "$OUT/product-ids.txt") ;;
    list) out=$(wrk "${wrk_args[@]}" -c"$CONNECTIONS" -H "Authorization: Bearer $TOKEN" "http://localhost:$PORT/v2/products?limit=20") ;;
    search) out=$(wrk "${wrk_args[@]}" -c"$CONNECTIONS" -s bench/search.lua "http://localhost:$PORT") ;;
    order) out=$(wrk "${wrk_args[@]}" -c"$ORDER_CONNECTIONS" -s bench/order.lua "http://localhost:$PORT" -- "$OUT/product-ids.txt" 3) ;;
    token) out=$(wrk "${wrk_args[@]}" -c"$CONNECTIONS" -s bench/token.lua "http://localhost:$PORT") ;;
    pay) out=$(wrk "${wrk_args[@]}" -c"$ORDER_CONNECTIONS" -s bench/order-pay.lua "http://localhost:$PORT" -- "$OUT/product-ids.txt" 3) ;;
    hot) out=$(wrk "${wrk_args[@]}" -c"$ORDER_CONNECTIONS" -s bench/order.lua "http://localhost:$PORT" -- "$OUT/hot-product-id.txt") ;;
    hot-stocked) out=$(wrk "${wrk_args[@]}" -c"$ORDER_CONNECTIONS" -s bench/order.lua "http://localhost:$PORT" -- "$OUT/hot-stocked-id.txt") ;;
  esac
  echo "$out" >> "$OUT/wrk-$scenario.txt"
  local errors
  errors=$(echo "$out" | awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}')
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(ms "$(echo "$out" | awk '$1=="50%" {print $2}')") $(ms "$(echo "$out" | awk '$1=="99%" {print $2}')") $errors"
}

metric() { curl -fs -H "Authorization: Bearer $ADMIN_KEY" "localhost:$PORT/metrics" | awk -v m="$1" 'index($0, m) == 1 {print $2}' | head -1; }

SCENARIOS=(get get-jwt list search order)
echo "== Warming up: the ceiling and GET /v2/products/{id} $WARMUP each, the other scenarios a third of it"
run_wrk ceiling "$WARMUP" >/dev/null
run_wrk get "$WARMUP" >/dev/null
for scenario in get-jwt list search order; do run_wrk "$scenario" "$(( ${WARMUP%s} / 3 ))s" >/dev/null; done

HITS_BEFORE=$(metric 'cache_gets_total{cache="api_keys",result="hit"}')
MISSES_BEFORE=$(metric 'cache_gets_total{cache="api_keys",result="miss"}')

echo "== Measuring: $ROUNDS rounds of $DURATION per scenario, each round the ceiling first, then every scenario in turn"
for round in $(seq 1 "$ROUNDS"); do
  read -r ceiling_rps rest <<< "$(run_wrk ceiling | tee -a "$OUT/ceiling.txt")"
  for scenario in "${SCENARIOS[@]}"; do
    read -r rps rest <<< "$(run_wrk "$scenario" | tee -a "$OUT/$scenario.txt")"
    ratio "$rps" "$ceiling_rps" >> "$OUT/$scenario-ratio.txt"; echo >> "$OUT/$scenario-ratio.txt"
  done
  echo "   round $round done (ceiling $ceiling_rps req/s)"
done

echo "== Token issuance and create-then-pay, $ROUNDS rounds of $DURATION"
run_wrk token "$(( ${WARMUP%s} / 3 ))s" >/dev/null; run_wrk pay "$(( ${WARMUP%s} / 3 ))s" >/dev/null   # warm-up
for round in $(seq 1 "$ROUNDS"); do
  for scenario in token pay; do run_wrk "$scenario" >> "$OUT/$scenario.txt"; done
done
PAID=$(grep -h '^paid:' "$OUT/wrk-pay.txt" | tail -n "$ROUNDS" | awk '{print $2}' | median)

echo "== Hot product in stock: every order on one product that does not sell out, for $DURATION"
curl -fs -X POST "localhost:$PORT/v2/products" -H "Authorization: Bearer $ADMIN_KEY" \
  -H 'Content-Type: application/json' \
  -d '{"name":"Bestseller","price":9.99,"currency":"USD","stock":1000000000}' | jq -r .id > "$OUT/hot-stocked-id.txt"
run_wrk hot-stocked > "$OUT/hot-stocked.txt"
HOT_STOCKED_STATUSES=$(grep -h '^statuses:' "$OUT/wrk-hot-stocked.txt" | tail -1 | cut -d' ' -f2-)

echo "== Hot product selling out: every order on one product with stock $HOT_STOCK, for $DURATION"
curl -fs -X POST "localhost:$PORT/v2/products" -H "Authorization: Bearer $ADMIN_KEY" \
  -H 'Content-Type: application/json' \
  -d '{"name":"Hot item","price":9.99,"currency":"USD","stock":'"$HOT_STOCK"'}' | jq -r .id > "$OUT/hot-product-id.txt"
HOT=$(run_wrk hot)
HOT_STATUSES=$(grep -h '^statuses:' "$OUT/wrk-hot.txt" | tail -1 | cut -d' ' -f2-)
HOT_CREATED=$(echo "$HOT_STATUSES" | tr ' ' '\n' | awk -F= '$1==201 {print $2}'); HOT_CREATED=${HOT_CREATED:-0}
HOT_5XX=$(echo "$HOT_STATUSES" | tr ' ' '\n' | awk -F= '$1>=500 {n+=$2} END {print n+0}')
HOT_LEFT=$(curl -fs "localhost:$PORT/v2/products/$(cat "$OUT/hot-product-id.txt")" -H "Authorization: Bearer $TOKEN" | jq .stock)
DEADLOCKS=$(grep -ci deadlock "$OUT/mercato.log" || true)

HITS=$(echo "$(metric 'cache_gets_total{cache="api_keys",result="hit"}') - ${HITS_BEFORE:-0}" | bc)
MISSES=$(echo "$(metric 'cache_gets_total{cache="api_keys",result="miss"}') - ${MISSES_BEFORE:-0}" | bc)

# One notification phase: wrk sending at $1 connections for $DURATION (and, when $2 is "-under-load", Mercato's
# GET /v2/products/{id} flat out beside it), then wait until the gateway stand-in has everything;
# prints "accepted/s p50-ms p99-ms accepted drain-seconds lag-p50-ms lag-p99-ms get-rps".
notify_phase() {
  local connections=$1 under_load=${2:-} out accepted not_2xx before drain_start load_pid get_rps=-
  curl -fs "localhost:$SINK_PORT/reset" >/dev/null
  before=$(curl -fs "localhost:$SINK_PORT/stats" | cut -d' ' -f1)
  if [ -n "$under_load" ]; then run_wrk get > "$OUT/get-under-notifications.txt" & load_pid=$!; fi
  out=$(wrk -t1 -c"$connections" -d"$DURATION" --latency -s bench/notify.lua "http://localhost:$PORT")
  [ -z "$under_load" ] || { wait "$load_pid"; get_rps=$(cut -d' ' -f1 "$OUT/get-under-notifications.txt"); }
  echo "$out" >> "$OUT/wrk-notify-$connections$under_load.txt"
  accepted=$(echo "$out" | awk '/requests in/ {print $1}')
  not_2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}'); accepted=$((accepted - ${not_2xx:-0}))
  drain_start=$(date +%s)
  until [ $(( $(curl -fs "localhost:$SINK_PORT/stats" | cut -d' ' -f1) - before )) -ge "$accepted" ] \
      || [ $(( $(date +%s) - drain_start )) -gt 300 ]; do sleep 0.2; done
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(ms "$(echo "$out" | awk '$1=="50%" {print $2}')") \
$(ms "$(echo "$out" | awk '$1=="99%" {print $2}')") $accepted $(( $(date +%s) - drain_start )) \
$(curl -fs "localhost:$SINK_PORT/stats" | cut -d' ' -f2-3) $get_rps"
}
echo "== Notifications: as fast as $ORDER_CONNECTIONS connections can send, a steady $NOTIFY_STEADY_CONNECTIONS, and a steady $NOTIFY_STEADY_CONNECTIONS while GET /v2/products/{id} runs flat out"
read -r NOTIFY_RPS NOTIFY_P50 NOTIFY_P99 NOTIFY_ACCEPTED NOTIFY_DRAIN NOTIFY_LAG50 NOTIFY_LAG99 _ <<< "$(notify_phase "$ORDER_CONNECTIONS")"
read -r STEADY_RPS STEADY_P50 STEADY_P99 STEADY_ACCEPTED STEADY_DRAIN STEADY_LAG50 STEADY_LAG99 _ <<< "$(notify_phase "$NOTIFY_STEADY_CONNECTIONS")"
read -r LOADED_RPS LOADED_P50 LOADED_P99 LOADED_ACCEPTED LOADED_DRAIN LOADED_LAG50 LOADED_LAG99 LOADED_GET_RPS <<< \
  "$(notify_phase "$NOTIFY_STEADY_CONNECTIONS" -under-load)"

RSS=$(( $(awk '/VmRSS/ {print $2}' /proc/$PID/status) / 1024 ))
RSS_CEILING=$(( $(awk '/VmRSS/ {print $2}' /proc/$PID_CEILING/status) / 1024 ))
WRITTEN=$(metric 'mercato_access_log_written_total')
DROPPED=$(metric 'mercato_access_log_dropped_total')

col() { cut -d' ' -f"$2" < "$1" | median; }
sum_col() { cut -d' ' -f"$2" < "$1" | awk '{n += $1} END {print n + 0}'; }
# The summary the chart is drawn from: key, label, req/s, p50, p99, errors, ratio to the ceiling, target.
SUMMARY="$OUT/summary.tsv"
: > "$SUMMARY"
summary_row() { # key label file [target]
  # Measured in the rounds with the ceiling: the median of the rounds' ratios; the rest: against the ceiling's median.
  local ratio_value=-
  if [ -f "$OUT/$1-ratio.txt" ]; then ratio_value=$(grep . "$OUT/$1-ratio.txt" | median)
  elif [ "$1" != ceiling ]; then ratio_value=$(ratio "$(col "$3" 1)" "$(col "$OUT/ceiling.txt" 1)"); fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$(col "$3" 1)" "$(col "$3" 2)" "$(col "$3" 3)" \
    "$(sum_col "$3" 4)" "$ratio_value" "${4:--}" >> "$SUMMARY"
}
summary_row ceiling "ceiling: GET /v2/products/{id}" "$OUT/ceiling.txt"
summary_row get "GET /v2/products/{id}, API key" "$OUT/get.txt" 0.80
summary_row get-jwt "GET /v2/products/{id}, JWT" "$OUT/get-jwt.txt" 0.75
summary_row list "GET /v2/products" "$OUT/list.txt" 0.40
summary_row search "GET /v2/products/search" "$OUT/search.txt" 0.30
summary_row order "POST /v2/orders, 3 lines" "$OUT/order.txt" 0.25
summary_row token "POST /oauth/token" "$OUT/token.txt"
summary_row pay "create-then-pay (both POSTs)" "$OUT/pay.txt"
summary_row hot-stocked "POST /v2/orders, one hot product" "$OUT/hot-stocked.txt"

echo
echo "Mercato benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $($JAVA_CMD -version 2>&1 | head -1), $JAVA_OPTS"
echo "$PRODUCTS products, $CONNECTIONS connections ($ORDER_CONNECTIONS for orders), medians of $ROUNDS rounds of $DURATION"
echo
printf '%-34s %9s %8s %8s %7s %9s %7s\n' "scenario" "req/s" "p50 ms" "p99 ms" "errors" "/ceiling" "target"
while IFS=$'\t' read -r key label rps p50 p99 errors ratio_value target; do
  printf '%-34s %9s %8s %8s %7s %9s %7s\n' "$label" "$rps" "$p50" "$p99" "$errors" "$ratio_value" "$target"
done < "$SUMMARY"
printf '%-34s %9s %8s %8s\n' "  ... selling out (mostly 409s)" $(echo "$HOT" | cut -d' ' -f1-3)
printf '%-34s %9s %8s %8s\n' "POST /v2/notifications, flat out" "$NOTIFY_RPS" "$NOTIFY_P50" "$NOTIFY_P99"
printf '%-34s %9s %8s %8s\n' "POST /v2/notifications, steady" "$STEADY_RPS" "$STEADY_P50" "$STEADY_P99"
echo
echo "token issuance: $(col "$OUT/token.txt" 1) tokens/s (target >= 500)"
echo "create-then-pay: $PAID orders created and paid per round of $DURATION (median), $ORDER_CONNECTIONS connections"
echo "hot product in stock: statuses $HOT_STOCKED_STATUSES"
echo "hot product selling out: statuses $HOT_STATUSES; stock $HOT_STOCK -> $HOT_LEFT; created + left = $((HOT_CREATED + HOT_LEFT)) (must be $HOT_STOCK); 5xx: $HOT_5XX; deadlocks in the log: $DEADLOCKS"
echo "notifications flat out: $NOTIFY_ACCEPTED accepted, the queue drained ${NOTIFY_DRAIN} s after the load; delivery lag (accepted -> at the gateway) p50 ${NOTIFY_LAG50} ms, p99 ${NOTIFY_LAG99} ms"
echo "notifications steady ($NOTIFY_STEADY_CONNECTIONS connections): $STEADY_ACCEPTED accepted; delivery lag p50 ${STEADY_LAG50} ms, p99 ${STEADY_LAG99} ms"
echo "notifications steady while GET /v2/products/{id} runs flat out ($LOADED_GET_RPS req/s, against $(col "$OUT/get.txt" 1) alone): $LOADED_ACCEPTED accepted; delivery lag p50 ${LOADED_LAG50} ms, p99 ${LOADED_LAG99} ms (target p99 <= 5000 ms)"
echo "API-key cache during the measured runs: $HITS hits, $MISSES misses (database lookups)"
echo "access-log entries written: ${WRITTEN:-0}, dropped: ${DROPPED:-0}"
echo "cold start incl. first database initialisation: ${COLD_START} s"
echo "resident memory after the run: Mercato ${RSS} MB (target <= 600 MB), the ceiling app ${RSS_CEILING} MB"

{
  printf 'run\t%s\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
  printf 'java\t%s\n' "$($JAVA_CMD -version 2>&1 | head -1)"
  printf 'delivery_lag_p99_under_load_ms\t%s\n' "$LOADED_LAG99"
  printf 'rss_mb\t%s\n' "$RSS"
} > "$OUT/run.tsv"
mkdir -p "$CHART_DIR"
node bench/chart.js "$OUT" "$CHART_DIR"
echo "chart: $CHART_DIR/chart.svg (this run beside the previous one; this run's figures are kept in $CHART_DIR for the next)"
