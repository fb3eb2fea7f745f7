#!/usr/bin/env bash
# Dashboard page times: one command, prints a table.
#
#   bench/dashboard.sh                          # about 2 minutes
#   BENCH_DASHBOARD_ROUNDS=100 bench/dashboard.sh
#
# Starts one Mercato server (target/mercato/mercato.jar) with the demo data on a fresh embedded database in
# bench/results/dashboard-data, makes some traffic for the pages to show (BENCH_DASHBOARD_CALLS API calls of several
# kinds, an OAuth client, a report), signs in as the admin, and then times every page (the time to the first byte
# of the response, as curl measures it on this machine) in turns with a reference API call
# (GET /v2/products/{id} with an API key), BENCH_DASHBOARD_ROUNDS rounds after BENCH_DASHBOARD_WARMUP. Prints each
# page's median and 95th percentile in milliseconds and its median against the reference's.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

PORT=${BENCH_DASHBOARD_PORT:-18086}
ROUNDS=${BENCH_DASHBOARD_ROUNDS:-50}
WARMUP=${BENCH_DASHBOARD_WARMUP:-30}
CALLS=${BENCH_DASHBOARD_CALLS:-2000}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx384m}
OUT=bench/results
DATA=$OUT/dashboard-data
PASSWORD=Bench-Dashboard-42-Pages
BASE="http://localhost:$PORT"

raise_rate_limits
need_tools jq
build_if_missing
mkdir -p "$OUT"
rm -rf "$DATA"
ADMIN_KEY=$(random_admin_key)
JAR=$(mktemp)
SERVER=
cleanup() {
  [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -f "$JAR"
}
trap cleanup EXIT

echo "== Starting the server with the demo data"
start=$(date +%s%N)
MERCATO_DATA_DIR="$DATA" MERCATO_ADMIN_API_KEY="$ADMIN_KEY" MERCATO_ADMIN_PASSWORD=$PASSWORD MERCATO_DEMO_DATA=true \
  SERVER_PORT=$PORT java $JAVA_OPTS -jar target/mercato/mercato.jar > "$OUT/dashboard-server.log" 2>&1 &
SERVER=$!
echo "   ready after $(wait_ready "$start" "$PORT" "$SERVER") s"

api() { # method path [json]
  curl -fs -X "$1" "$BASE$2" -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' ${3:+-d "$3"}
}

echo "== Making traffic: $CALLS API calls, an OAuth client, a report"
PRODUCT=$(api GET '/v2/products?limit=1' | jq -r '.[0].id')
CLIENT=$(api POST /v2/oauth-clients '{"name": "Bench app", "scopes": ["products:read"]}' | jq -r .client_id)
REPORT=$(api POST /v2/reports/generate '{"type": "inventory"}' | jq -r .id)
for ((i = 0; i < CALLS; i++)); do
  case $((i % 4)) in
    0) echo "url = \"$BASE/v2/products/$PRODUCT\"" ;;
    1) echo "url = \"$BASE/v2/products?limit=5\"" ;;
    2) echo "url = \"$BASE/v2/orders?limit=5\"" ;;
    3) echo "url = \"$BASE/v2/products/prod_missing\"" ;;
  esac
  echo 'output = "/dev/null"'
done > "$OUT/dashboard-calls.txt"
curl -s -K "$OUT/dashboard-calls.txt" -H "Authorization: Bearer $ADMIN_KEY" --parallel --parallel-max 4 > /dev/null 2>&1 || true

echo "== Signing in as the admin"
token=$(curl -s -c "$JAR" -b "$JAR" "$BASE/dashboard/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "username=admin" --data-urlencode "password=$PASSWORD" \
  --data-urlencode "_csrf=$token" "$BASE/dashboard/login"

PAGES=(/dashboard /dashboard/credentials /dashboard/credentials/oauth-clients/new "/dashboard/credentials/oauth-clients/$CLIENT"
  /dashboard/developers /dashboard/usage /dashboard/deliveries /dashboard/reports "/dashboard/reports/$REPORT"
  /dashboard/integrations)
for page in "${PAGES[@]}"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" "$BASE$page")
  [ "$status" = 200 ] || { echo "$page answered $status" >&2; exit 1; }
done

time_page() { curl -s -o /dev/null -w '%{time_starttransfer}\n' -b "$JAR" "$BASE$1"; }
time_reference() {
  curl -s -o /dev/null -w '%{time_starttransfer}\n' -H "Authorization: Bearer $ADMIN_KEY" "$BASE/v2/products/$PRODUCT"
}

echo "== Timing ${#PAGES[@]} pages against the reference, $ROUNDS rounds after $WARMUP"
declare -A TIMES
for ((round = -WARMUP; round < ROUNDS; round++)); do
  reference=$(time_reference)
  [ $round -lt 0 ] || TIMES[reference]+="$reference "
  for page in "${PAGES[@]}"; do
    t=$(time_page "$page")
    [ $round -lt 0 ] || TIMES[$page]+="$t "
  done
done

percentile() { # p -> the p-th percentile of seconds on stdin, in milliseconds
  sort -n | awk -v p="$1" '{a[NR]=$1} END {i=int((NR-1)*p/100)+1; printf "%.1f", a[i]*1000}'
}
ref_ms=$(tr ' ' '\n' <<< "${TIMES[reference]}" | grep . | median | awk '{printf "%.1f", $1*1000}')
{
  printf '| page | median ms | p95 ms | median / reference |\n| --- | ---: | ---: | ---: |\n'
  printf '| reference: GET /v2/products/{id} | %s | %s | 1.00 |\n' "$ref_ms" \
    "$(tr ' ' '\n' <<< "${TIMES[reference]}" | grep . | percentile 95)"
  for page in "${PAGES[@]}"; do
    m=$(tr ' ' '\n' <<< "${TIMES[$page]}" | grep . | median | awk '{printf "%.1f", $1*1000}')
    name=${page/$CLIENT/\{id\}}
    printf '| `%s` | %s | %s | %s |\n' "${name/$REPORT/\{id\}}" "$m" \
      "$(tr ' ' '\n' <<< "${TIMES[$page]}" | grep . | percentile 95)" "$(ratio "$m" "$ref_ms")"
  done
} | tee "$OUT/dashboard.txt"
