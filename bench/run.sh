#!/usr/bin/env bash
# Mercato benchmark: one command, prints a table of figures and ratios.
#
#   bench/run.sh                 # full run (about 15 minutes)
#   BENCH_DURATION=10s BENCH_WARMUP=20s bench/run.sh   # quick look
#
# Starts two Mercato servers from target/mercato/mercato.jar (the extracted form that `package` makes) on one
# fresh embedded database (node A with access logging on, node B with it off), loads 10,000 products through the
# API, warms both up, then drives GET /v2/products/{id}, GET /v2/products and GET /v2/products/search with wrk on
# loopback, alternating A and B so that noise on this shared machine hits both alike. Medians of the rounds are
# reported. Then, on node A: API key vs OAuth access token (JWT) on GET /v2/products/{id}, alternating, and
# client_credentials token issuance. Then, on node A: order creation and create-then-pay over 1,000 products at
# 32 connections, and a hot-product run (every order on one product, which stays in stock), and one until it
# sells out, checked for 5xx and oversell. Last, push
# notifications on node A, flat out and then at a steady 2 connections, with both nodes delivering to a local
# gateway stand-in (bench/push-sink.js, Node.js) that measures each one's delivery lag.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-60s}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
PRODUCTS=${BENCH_PRODUCTS:-10000}
PORT_A=${BENCH_PORT_A:-18080}
PORT_B=${BENCH_PORT_B:-18081}
ORDER_CONNECTIONS=${BENCH_ORDER_CONNECTIONS:-32}
HOT_STOCK=${BENCH_HOT_STOCK:-3000}
NOTIFY_STEADY_CONNECTIONS=${BENCH_NOTIFY_STEADY_CONNECTIONS:-2}
# The heap the servers get; see docs/performance.md for why a bound matters to resident memory.
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx384m}
OUT=bench/results

. bench/lib.sh
raise_rate_limits
ADMIN_KEY=$(random_admin_key)
need node || { echo "Node.js is needed for the push-gateway stand-in (bench/push-sink.js)" >&2; exit 1; }
need_tools wrk jq bc
build_if_missing

rm -rf "$OUT" && mkdir -p "$OUT"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT


# A push gateway that takes everything, so notification delivery is measured without a provider's own delay.
SINK_PORT=${BENCH_SINK_PORT:-18099}
node bench/push-sink.js "$SINK_PORT" & PIDS+=($!)
export MERCATO_NOTIFICATIONS_PUSH_URL="http://127.0.0.1:$SINK_PORT/push"

echo "== Cold start (node A, includes the embedded database's first initialisation)"
start=$(date +%s%N)
MERCATO_DATA_DIR="$OUT/data" MERCATO_ADMIN_API_KEY="$ADMIN_KEY" SERVER_PORT=$PORT_A \
  MERCATO_EMBEDDED_DB_PORT=15432 java $JAVA_OPTS -jar target/mercato/mercato.jar > "$OUT/node-a.log" 2>&1 &
PIDS+=($!); PID_A=$!
COLD_START=$(wait_ready "$start" $PORT_A)
echo "   ready after ${COLD_START} s"

# Node B shares node A's database and has access logging switched off.
SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:15432/postgres" SPRING_DATASOURCE_USERNAME=postgres \
  MERCATO_LOGS_ENABLED=false SERVER_PORT=$PORT_B java $JAVA_OPTS -jar target/mercato/mercato.jar > "$OUT/node-b.log" 2>&1 &
PIDS+=($!); PID_B=$!
wait_ready "$(date +%s%N)" $PORT_B >/dev/null

TOKEN=$(curl -fs -X POST "localhost:$PORT_A/v2/api-keys" -H "Authorization: Bearer $ADMIN_KEY" \
  -H 'Content-Type: application/json' -d '{"name":"bench","scopes":["products:read"]}' | jq -r .key)
export BENCH_TOKEN=$TOKEN
BENCH_ORDER_TOKEN=$(curl -fs -X POST "localhost:$PORT_A/v2/api-keys" -H "Authorization: Bearer $ADMIN_KEY" \
  -H 'Content-Type: application/json' \
  -d '{"name":"bench-orders","scopes":["orders:write","payments:write","products:read","notifications:write"]}' | jq -r .key)
export BENCH_ORDER_TOKEN
CLIENT=$(curl -fs -X POST "localhost:$PORT_A/v2/oauth-clients" -H "Authorization: Bearer $ADMIN_KEY" \
  -H 'Content-Type: application/json' -d '{"name":"bench","scopes":["products:read"]}')
export BENCH_CLIENT_BASIC=$(printf '%s:%s' "$(echo "$CLIENT" | jq -r .client_id)" "$(echo "$CLIENT" | jq -r .client_secret)" | base64 -w0)
# The issuer is the address a token was issued at, so this token is for node A.
JWT=$(curl -fs -X POST "localhost:$PORT_A/oauth/token" -H "Authorization: Basic $BENCH_CLIENT_BASIC" \
  -d grant_type=client_credentials | jq -r .access_token)
BENCH_USER=$(curl -fs -X POST "localhost:$PORT_A/v2/users" -H "Authorization: Bearer $ADMIN_KEY" \
  -H 'Content-Type: application/json' -d '{"username":"bench_buyer","email":"bench@example.com"}' | jq -r .id)
export BENCH_USER

echo "== Loading $PRODUCTS products through POST /v2/products"
WORDS=(widget gear kettle lamp notebook pen socks shoes charger grinder headphones wireless steel premium compact)
{
  for i in $(seq 1 "$PRODUCTS"); do
    w1=${WORDS[$((i % 15))]}; w2=${WORDS[$(((i * 7) % 15))]}
    printf 'url = "http://localhost:%s/v2/products"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\ndata = "{\\"name\\": \\"%s %s %d\\", \\"description\\": \\"A %s for benchmarking, number %d.\\", \\"price\\": %d.%02d, \\"currency\\": \\"USD\\", \\"stock\\": %d}"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\nnext\n' \
      "$PORT_A" "$ADMIN_KEY" "$w1" "$w2" "$i" "$w2" "$i" $((i % 200)) $((i % 100)) $((i % 50))
  done
} | sed '$d' > "$OUT/load.curl"   # no "next" after the last request
load_start=$(date +%s%N)
curl -s --no-progress-meter --parallel --parallel-max 16 -K "$OUT/load.curl" | sort | uniq -c > "$OUT/load-status.txt"
echo "   $(cat "$OUT/load-status.txt" | tr '\n' ' ') in $(seconds_since "$load_start") s"

for offset in 0 100 200 300 400 500 600 700 800 900; do
  curl -fs "localhost:$PORT_A/v2/products?limit=100&offset=$offset" -H "Authorization: Bearer $TOKEN" | jq -r '.[].id'
done > "$OUT/product-ids.txt"

run_wrk() { # port scenario -> "rps p50ms p99ms"
  local port=$1 scenario=$2 out
  case $scenario in
    get) out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/random-product.lua "http://localhost:$port" -- "$OUT/product-ids.txt") ;;
    get-jwt) out=$(BENCH_TOKEN=$JWT wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/random-product.lua "http://localhost:$port" -- "$OUT/product-ids.txt") ;;
    token) out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/token.lua "http://localhost:$port") ;;
    list) out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" "http://localhost:$port/v2/products?limit=20") ;;
    search) out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/search.lua "http://localhost:$port") ;;
    order) out=$(wrk -t2 -c"$ORDER_CONNECTIONS" -d"$DURATION" --latency -s bench/order.lua "http://localhost:$port" -- "$OUT/product-ids.txt") ;;
    pay) out=$(wrk -t2 -c"$ORDER_CONNECTIONS" -d"$DURATION" --latency -s bench/order-pay.lua "http://localhost:$port" -- "$OUT/product-ids.txt") ;;
    hot) out=$(wrk -t2 -c"$ORDER_CONNECTIONS" -d"$DURATION" --latency -s bench/order.lua "http://localhost:$port" -- "$OUT/hot-product-id.txt") ;;
    hot-stocked) out=$(wrk -t2 -c"$ORDER_CONNECTIONS" -d"$DURATION" --latency -s bench/order.lua "http://localhost:$port" -- "$OUT/hot-stocked-id.txt") ;;
  esac
  echo "$out" >> "$OUT/wrk-$scenario-$port.txt"
  local errors; errors=$(echo "$out" | grep -E "Non-2xx|Socket errors" || true)
  [ -z "$errors" ] || [ "$scenario" = hot ] || echo "   warning ($scenario on $port): $errors" >&2
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(ms "$(echo "$out" | awk '$1=="50%" {print $2}')") $(ms "$(echo "$out" | awk '$1=="99%" {print $2}')")"
}

metric() { curl -fs -H "Authorization: Bearer $ADMIN_KEY" "localhost:$1/metrics" | awk -v m="$2" 'index($0, m) == 1 {print $2}' | head -1; }

echo "== Warming up both nodes ($WARMUP each, all scenarios)"
for port in $PORT_A $PORT_B; do
  for scenario in get list search; do
    DURATION_SAVE=$DURATION; DURATION=$(( ${WARMUP%s} / 3 ))s
    run_wrk "$port" "$scenario" >/dev/null; DURATION=$DURATION_SAVE
  done
done

HITS_BEFORE=$(metric $PORT_A 'cache_gets_total{cache="api_keys",result="hit"}')
MISSES_BEFORE=$(metric $PORT_A 'cache_gets_total{cache="api_keys",result="miss"}')

echo "== Measuring: $ROUNDS rounds of $DURATION per scenario and node, $CONNECTIONS connections, alternating A/B"
for round in $(seq 1 "$ROUNDS"); do
  for scenario in get list search; do
    for port in $PORT_A $PORT_B; do
      echo "$(run_wrk "$port" "$scenario")" >> "$OUT/$scenario-$port.txt"
    done
  done
  echo "   round $round done"
done

echo "== OAuth on node A: API key vs access token, and token issuance, $ROUNDS rounds of $DURATION"
run_wrk $PORT_A get-jwt >/dev/null; run_wrk $PORT_A token >/dev/null   # warm-up
for round in $(seq 1 "$ROUNDS"); do
  for scenario in get get-jwt token; do
    echo "$(run_wrk $PORT_A $scenario)" >> "$OUT/oauth-$scenario-$PORT_A.txt"
  done
done

echo "== Orders on node A: stock for 1,000 products, then $ROUNDS rounds of $DURATION per scenario, $ORDER_CONNECTIONS connections"
# Enough stock that these runs never sell out: they measure placing and paying, not refusing.
while read -r id; do
  printf 'url = "http://localhost:%s/v2/products/%s"\nrequest = "PATCH"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/merge-patch+json"\ndata = "{\\"stock\\": 10000000}"\noutput = "/dev/null"\nnext\n' \
    "$PORT_A" "$id" "$ADMIN_KEY"
done < "$OUT/product-ids.txt" | sed '$d' > "$OUT/restock.curl"
curl -s --no-progress-meter --parallel --parallel-max 16 -K "$OUT/restock.curl"
run_wrk $PORT_A order >/dev/null; run_wrk $PORT_A pay >/dev/null   # warm-up
for round in $(seq 1 "$ROUNDS"); do
  for scenario in order pay; do
    echo "$(run_wrk $PORT_A $scenario)" >> "$OUT/$scenario-$PORT_A.txt"
  done
done
PAID=$(grep -h '^paid:' "$OUT/wrk-pay-$PORT_A.txt" | tail -n "$ROUNDS" | awk '{print $2}' | median)

echo "== Hot product in stock: every order on one product that does not sell out, for $DURATION"
curl -fs -X POST "localhost:$PORT_A/v2/products" -H "Authorization: Bearer $ADMIN_KEY" \
  -H 'Content-Type: application/json' \
  -d '{"name":"Bestseller","price":9.99,"currency":"USD","stock":1000000000}' | jq -r .id > "$OUT/hot-stocked-id.txt"
HOT_STOCKED=$(run_wrk $PORT_A hot-stocked)
HOT_STOCKED_STATUSES=$(grep -h '^statuses:' "$OUT/wrk-hot-stocked-$PORT_A.txt" | tail -1 | cut -d' ' -f2-)

echo "== Hot product selling out: every order on one product with stock $HOT_STOCK, for $DURATION"
curl -fs -X POST "localhost:$PORT_A/v2/products" -H "Authorization: Bearer $ADMIN_KEY" \
  -H 'Content-Type: application/json' \
  -d '{"name":"Hot item","price":9.99,"currency":"USD","stock":'"$HOT_STOCK"'}' | jq -r .id > "$OUT/hot-product-id.txt"
HOT=$(run_wrk $PORT_A hot)
HOT_STATUSES=$(grep -h '^statuses:' "$OUT/wrk-hot-$PORT_A.txt" | tail -1 | cut -d' ' -f2-)
HOT_CREATED=$(echo "$HOT_STATUSES" | tr ' ' '\n' | awk -F= '$1==201 {print $2}'); HOT_CREATED=${HOT_CREATED:-0}
HOT_5XX=$(echo "$HOT_STATUSES" | tr ' ' '\n' | awk -F= '$1>=500 {n+=$2} END {print n+0}')
HOT_LEFT=$(curl -fs "localhost:$PORT_A/v2/products/$(cat "$OUT/hot-product-id.txt")" -H "Authorization: Bearer $TOKEN" | jq .stock)
DEADLOCKS=$(grep -ci deadlock "$OUT/node-a.log" || true)

HITS=$(echo "$(metric $PORT_A 'cache_gets_total{cache="api_keys",result="hit"}') - ${HITS_BEFORE:-0}" | bc)
MISSES=$(echo "$(metric $PORT_A 'cache_gets_total{cache="api_keys",result="miss"}') - ${MISSES_BEFORE:-0}" | bc)
# One notification phase: wrk at $1 connections for $DURATION on node A, then wait until the gateway stand-in
# has everything; prints "accepted/s p50-ms p99-ms accepted drain-seconds lag-p50-ms lag-p99-ms".
notify_phase() {
  local connections=$1 out accepted not_2xx before drain_start
  curl -fs "localhost:$SINK_PORT/reset" >/dev/null
  before=$(curl -fs "localhost:$SINK_PORT/stats" | cut -d' ' -f1)
  out=$(wrk -t2 -c"$connections" -d"$DURATION" --latency -s bench/notify.lua "http://localhost:$PORT_A")
  echo "$out" >> "$OUT/wrk-notify-$connections.txt"
  accepted=$(echo "$out" | awk '/requests in/ {print $1}')
  not_2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}'); accepted=$((accepted - ${not_2xx:-0}))
  drain_start=$(date +%s)
  until [ $(( $(curl -fs "localhost:$SINK_PORT/stats" | cut -d' ' -f1) - before )) -ge "$accepted" ] \
      || [ $(( $(date +%s) - drain_start )) -gt 300 ]; do sleep 0.2; done
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(ms "$(echo "$out" | awk '$1=="50%" {print $2}')") \
$(ms "$(echo "$out" | awk '$1=="99%" {print $2}')") $accepted $(( $(date +%s) - drain_start )) \
$(curl -fs "localhost:$SINK_PORT/stats" | cut -d' ' -f2-3)"
}
echo "== Notifications on node A, both nodes delivering: as fast as $ORDER_CONNECTIONS connections can send for $DURATION, then a steady $NOTIFY_STEADY_CONNECTIONS"
read -r NOTIFY_RPS NOTIFY_P50 NOTIFY_P99 NOTIFY_ACCEPTED NOTIFY_DRAIN NOTIFY_LAG50 NOTIFY_LAG99 <<< "$(notify_phase "$ORDER_CONNECTIONS")"
read -r STEADY_RPS STEADY_P50 STEADY_P99 STEADY_ACCEPTED STEADY_DRAIN STEADY_LAG50 STEADY_LAG99 <<< "$(notify_phase "$NOTIFY_STEADY_CONNECTIONS")"

RSS_A=$(( $(awk '/VmRSS/ {print $2}' /proc/$PID_A/status) / 1024 ))
RSS_B=$(( $(awk '/VmRSS/ {print $2}' /proc/$PID_B/status) / 1024 ))
WRITTEN=$(metric $PORT_A 'mercato_access_log_written_total')
DROPPED=$(metric $PORT_A 'mercato_access_log_dropped_total')

col() { cut -d' ' -f"$2" < "$1" | median; }
echo
echo "Mercato benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -1)"
echo "$PRODUCTS products, $CONNECTIONS connections, medians of $ROUNDS rounds of $DURATION"
echo
printf '%-34s %10s %9s %9s\n' "scenario" "req/s" "p50 ms" "p99 ms"
for scenario in get list search; do
  case $scenario in get) name="GET /v2/products/{id}";; list) name="GET /v2/products";; search) name="GET /v2/products/search";; esac
  for port in $PORT_A $PORT_B; do
    label="$name ($([ $port = $PORT_A ] && echo "logs on" || echo "logs off"))"
    f="$OUT/$scenario-$port.txt"
    printf '%-34s %10s %9s %9s\n' "$label" "$(col "$f" 1)" "$(col "$f" 2)" "$(col "$f" 3)"
  done
done
for scenario in get get-jwt token; do
  case $scenario in get) name="GET /v2/products/{id}, API key";; get-jwt) name="GET /v2/products/{id}, JWT";; token) name="POST /oauth/token";; esac
  f="$OUT/oauth-$scenario-$PORT_A.txt"
  printf '%-34s %10s %9s %9s\n' "$name" "$(col "$f" 1)" "$(col "$f" 2)" "$(col "$f" 3)"
done
for scenario in order pay; do
  case $scenario in order) name="POST /v2/orders";; pay) name="create-then-pay (both POSTs)";; esac
  f="$OUT/$scenario-$PORT_A.txt"
  printf '%-34s %10s %9s %9s\n' "$name" "$(col "$f" 1)" "$(col "$f" 2)" "$(col "$f" 3)"
done
printf '%-34s %10s %9s %9s\n' "POST /v2/orders, one hot product" $HOT_STOCKED
printf '%-34s %10s %9s %9s\n' "  ... selling out (mostly 409s)" $HOT
printf '%-34s %10s %9s %9s\n' "POST /v2/notifications, flat out" "$NOTIFY_RPS" "$NOTIFY_P50" "$NOTIFY_P99"
printf '%-34s %10s %9s %9s\n' "POST /v2/notifications, steady" "$STEADY_RPS" "$STEADY_P50" "$STEADY_P99"
echo
JWT_RATIO=$(echo "scale=3; $(col "$OUT/oauth-get-jwt-$PORT_A.txt" 1) / $(col "$OUT/oauth-get-$PORT_A.txt" 1)" | bc)
echo "JWT vs API key on GET /v2/products/{id}: $JWT_RATIO of the API-key rate (target >= 0.90); token issuance: $(col "$OUT/oauth-token-$PORT_A.txt" 1) tokens/s (target >= 500)"
echo "notifications flat out: $NOTIFY_ACCEPTED accepted, the queue drained ${NOTIFY_DRAIN} s after the load; delivery lag (accepted -> at the gateway) p50 ${NOTIFY_LAG50} ms, p99 ${NOTIFY_LAG99} ms"
echo "notifications steady ($NOTIFY_STEADY_CONNECTIONS connections): $STEADY_ACCEPTED accepted; delivery lag p50 ${STEADY_LAG50} ms, p99 ${STEADY_LAG99} ms"
echo "create-then-pay: $PAID orders created and paid per round of $DURATION (median), $ORDER_CONNECTIONS connections"
echo "hot product in stock: statuses $HOT_STOCKED_STATUSES"
echo "hot product selling out: statuses $HOT_STATUSES; stock $HOT_STOCK -> $HOT_LEFT; created + left = $((HOT_CREATED + HOT_LEFT)) (must be $HOT_STOCK); 5xx: $HOT_5XX; deadlocks in the log: $DEADLOCKS"
echo
GET_ON=$(col "$OUT/get-$PORT_A.txt" 1); GET_OFF=$(col "$OUT/get-$PORT_B.txt" 1)
echo "access logging cost on GET /v2/products/{id}: $(printf "%.1f" "$(echo "scale=4; (1 - $GET_ON / $GET_OFF) * 100" | bc)")% of throughput (on/off = $(echo "scale=3; $GET_ON / $GET_OFF" | bc); budget < 10%)"
echo "API-key cache during the measured runs: $HITS hits, $MISSES misses (database lookups)"
echo "access-log entries written: ${WRITTEN:-0}, dropped: ${DROPPED:-0}"
echo "cold start incl. first database initialisation: ${COLD_START} s (budget < 15 s)"
echo "resident memory after the run: node A ${RSS_A} MB, node B ${RSS_B} MB (budget < 600 MB)"
