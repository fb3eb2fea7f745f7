#!/usr/bin/env bash
# Reports benchmark: one command, prints a table.
#
#   bench/reports.sh                                                          # full scale, about 15 minutes
#   BENCH_REPORTS_ORDERS=100000 BENCH_REPORTS_LOGS=500000 bench/reports.sh   # a quick look
#   BENCH_REPORTS_REUSE_DATA=true bench/reports.sh                           # again on the data already loaded
#
# Starts one Mercato server (target/mercato/mercato.jar) on a fresh embedded database in
# bench/results/reports-data and fills it with bench/report-data.sh (1,000,000 orders, 3,000,000 lines, 5,000,000
# access log rows over two years by default; scaled by its BENCH_REPORTS_* settings). Then, for each report type
# over the last 365 days (inventory: days 365), times its core SQL run directly in psql and the report generated
# through the API (POST /v2/reports/generate, then GET /v2/reports/{id} every 50 ms until completed), in turns,
# medians of BENCH_REPORTS_ROUNDS after one warm-up of each; plans (EXPLAIN ANALYZE, BUFFERS) go to
# bench/results/reports-explain-<type>.txt. Then sales_summary BENCH_REPORTS_REPEAT times back to back, first runs
# against last (a server's cached plans). Last, GET /v2/products/{id} with wrk at BENCH_CONNECTIONS, flat out and
# paced (BENCH_REPORTS_PACE_MS before each request), each with the server idle and while a loop generates
# year-long sales_summary and api_usage reports back to back, in turns, BENCH_REPORTS_LOAD_ROUNDS rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

PORT=${BENCH_REPORTS_PORT:-18084}
DB_PORT=${BENCH_REPORTS_DB_PORT:-15434}
ROUNDS=${BENCH_REPORTS_ROUNDS:-3}
LOAD_ROUNDS=${BENCH_REPORTS_LOAD_ROUNDS:-3}
REPEAT=${BENCH_REPORTS_REPEAT:-20}
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-60s}
CONNECTIONS=${BENCH_CONNECTIONS:-8}
PACE_MS=${BENCH_REPORTS_PACE_MS:-10}
TIMEZONE=${BENCH_REPORTS_TIMEZONE:-UTC}
THRESHOLD=${BENCH_REPORTS_THRESHOLD:-10}
LIMIT=${BENCH_REPORTS_LIMIT:-100}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx384m}
OUT=bench/results
DATA=$OUT/reports-data
DATABASE="postgresql://postgres@localhost:$DB_PORT/postgres"
TYPES=(sales_summary top_products user_activity inventory api_usage)

raise_rate_limits
need_tools wrk jq bc
need node || { echo "Node.js is needed to generate reports and wait for them (bench/report-run.js)" >&2; exit 1; }
need psql || { echo "Installing psql (postgresql-client) from Debian's packages..."; install_packages postgresql-client; }
build_if_missing

# BENCH_REPORTS_REUSE_DATA=true starts on the previous run's database and skips the load (about 4 minutes at full
# scale); that data ends on the day it was loaded, and keeps the previous runs' reports and access log rows.
REUSE=${BENCH_REPORTS_REUSE_DATA:-false}
[ "$REUSE" = true ] && [ -d "$DATA" ] && [ -f "$DATA.admin-key" ] || REUSE=false
mkdir -p "$OUT"
if [ "$REUSE" = true ]; then
  find "$OUT" -maxdepth 1 -name 'reports-*.txt' ! -name reports-load.txt -delete
else
  rm -rf "$DATA" "$OUT"/reports-*.txt
  # Only a database's first start takes the admin key, so a reused one is asked with the key it was given.
  random_admin_key > "$DATA.admin-key"
fi
ADMIN_KEY=$(< "$DATA.admin-key")
SERVER=
LOOP=
cleanup() {
  [ -z "$LOOP" ] || kill "$LOOP" 2>/dev/null || true
  [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

echo "== Starting the server on $([ "$REUSE" = true ] && echo "the previous run's" || echo a fresh) embedded database"
start=$(date +%s%N)
MERCATO_DATA_DIR="$DATA" MERCATO_ADMIN_API_KEY="$ADMIN_KEY" SERVER_PORT=$PORT MERCATO_EMBEDDED_DB_PORT=$DB_PORT \
  java $JAVA_OPTS -jar target/mercato/mercato.jar > "$OUT/reports-server.log" 2>&1 &
SERVER=$!
echo "   ready after $(wait_ready "$start" "$PORT" "$SERVER") s"

if [ "$REUSE" = false ]; then
  echo "== Loading the data (bench/report-data.sh)"
  bench/report-data.sh "$DATABASE" | tee "$OUT/reports-load.txt" | sed 's/^/   /'
fi

# The range: the last 365 days, today included, in the report's time zone; the server binds from_time and to_time
# as the start of the first day and of the day after the last there, and since as now minus days.
END_DATE=$(TZ=$TIMEZONE date +%F)
START_DATE=$(TZ=$TIMEZONE date -d "$END_DATE - 364 days" +%F)
declare -A SQL_PARAMS=(
  [start_date]=$START_DATE [end_date]=$END_DATE [timezone]=$TIMEZONE
  [from_time]=$(TZ=$TIMEZONE date -d "$START_DATE 00:00" --iso-8601=seconds)
  [to_time]=$(TZ=$TIMEZONE date -d "$(date -d "$END_DATE + 1 day" +%F) 00:00" --iso-8601=seconds)
  [granularity]=day [currency]=NULL [rank_by]=units [row_limit]=$LIMIT [credential_id]=NULL
  [threshold]=$THRESHOLD [days]=365 [since]=$(date -u -d '365 days ago' +%FT%T.%6NZ)
)
RANGE="\"start_date\": \"$START_DATE\", \"end_date\": \"$END_DATE\", \"timezone\": \"$TIMEZONE\""
declare -A API_PARAMS=(
  [sales_summary]="{$RANGE, \"granularity\": \"day\"}"
  [top_products]="{$RANGE, \"limit\": $LIMIT, \"rank_by\": \"units\"}"
  [user_activity]="{$RANGE, \"granularity\": \"day\"}"
  [inventory]="{\"threshold\": $THRESHOLD, \"days\": 365}"
  [api_usage]="{$RANGE}"
)

core_sql() { # type -> its core SELECT with this run's values where the server binds its parameters
  local sql name value
  sql=$(< "src/main/resources/dev/mercato/reports/$1.sql")
  for name in "${!SQL_PARAMS[@]}"; do
    value=${SQL_PARAMS[$name]}
    [ "$value" = NULL ] || value="'$value'"
    sql=${sql//"cast(:$name as"/"cast($value as"}
  done
  if grep -q 'cast(:' <<< "$sql"; then echo "$1.sql has a parameter this script does not know" >&2; return 1; fi
  printf '%s;\n' "$sql"
}

in_psql() { # commands on stdin, run as the server runs a report's statement: no parallel workers
  { echo 'set max_parallel_workers_per_gather = 0;'; cat; } | psql "$DATABASE" -X -q -v ON_ERROR_STOP=1
}

psql_ms() { # type -> milliseconds of its core SELECT in psql, the rows sent nowhere
  { echo '\o /dev/null'; echo '\timing on'; core_sql "$1"; } | in_psql | awk '/^Time:/ {print $2}'
}

psql_rows() { # type -> its core SELECT's rows, in reports-rows-<type>.txt, and their count in PSQL_ROWS
  { echo '\pset tuples_only on'; echo '\pset format unaligned'; echo "\\o $OUT/reports-rows-$1.txt"; core_sql "$1"; } \
    | in_psql
  PSQL_ROWS[$1]=$(wc -l < "$OUT/reports-rows-$1.txt")
}
declare -A PSQL_ROWS

api() { # curl arguments -> the response body; an error status says what the request was and what came back
  local body
  body=$(curl -sS --fail-with-body -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' "$@") \
    || { echo "request failed: $* -> $body" >&2; return 1; }
  printf '%s\n' "$body"
}

api_run() { # type -> "server-ms client-ms rows" of one report generated through the API, or "failed" and why
  local out id client_ms rest server_ms
  out=$(BENCH_ADMIN_KEY=$ADMIN_KEY node bench/report-run.js "$PORT" \
    "{\"type\": \"$1\", \"parameters\": ${API_PARAMS[$1]}}")
  read -r id client_ms rest <<< "$out"
  if [[ $rest == failed* ]]; then echo "failed $id: ${rest#failed: }"; return; fi
  # completed_at - started_at from the table: the API shows them to the second, the table holds microseconds.
  server_ms=$(psql "$DATABASE" -X -At \
    -c "select round(extract(epoch from completed_at - started_at) * 1000) from reports where id = '$id'")
  echo "$server_ms $client_ms $rest"
}

echo "== Reports from $START_DATE to $END_DATE ($TIMEZONE): psql and the API in turns, $ROUNDS rounds after a warm-up"
for type in "${TYPES[@]}"; do
  psql_rows "$type"
  api_run "$type" > /dev/null
  for round in $(seq 1 "$ROUNDS"); do
    psql_ms "$type" >> "$OUT/reports-psql-$type.txt"
    api_run "$type" >> "$OUT/reports-api-$type.txt"
  done
  { echo "$type, $START_DATE to $END_DATE ($TIMEZONE), max_parallel_workers_per_gather = 0"
    { echo 'explain (analyze, buffers)'; core_sql "$type"; } | in_psql; } > "$OUT/reports-explain-$type.txt"
  echo "   $type: psql $(tr '\n' ' ' < "$OUT/reports-psql-$type.txt")ms; API (server, client, rows) $(paste -sd'|' "$OUT/reports-api-$type.txt")"
done

# A server that has run a statement often enough plans it once for any parameters (the JDBC driver prepares it on
# the server from the fifth run on a connection, and PostgreSQL may then keep a generic plan): the first runs of a
# type do not show what a long-running server does.
echo "== sales_summary $REPEAT times back to back through the API"
for i in $(seq 1 "$REPEAT"); do api_run sales_summary >> "$OUT/reports-repeat.txt"; done
echo "   server ms: $(cut -d' ' -f1 "$OUT/reports-repeat.txt" | paste -sd' ')"

echo "== GET /v2/products/{id} at $CONNECTIONS connections, flat out and paced ($PACE_MS ms before each request): warm-up $WARMUP, then $LOAD_ROUNDS rounds of $DURATION idle and busy in turns"
export BENCH_TOKEN
BENCH_TOKEN=$(api -X POST "localhost:$PORT/v2/api-keys" -d '{"name":"bench-reports","scopes":["products:read"]}' | jq -r .key)
psql "$DATABASE" -X -At -c 'select id from products' > "$OUT/reports-product-ids.txt"
product_run() { # duration [pace ms] -> "p99-ms req/s" of one wrk run
  local out
  out=$(BENCH_DELAY_MS=${2:-0} wrk -t2 -c"$CONNECTIONS" -d"$1" --latency -s bench/random-product.lua \
    "http://localhost:$PORT" -- "$OUT/reports-product-ids.txt")
  echo "$out" >> "$OUT/reports-wrk.txt"
  echo "$(ms "$(echo "$out" | awk '$1=="99%" {print $2}')") $(echo "$out" | awk '/Requests\/sec/ {print $2}')"
}
report_loop() { # year-long sales_summary and api_usage reports back to back until the stop file appears
  while [ ! -f "$OUT/reports-stop" ]; do
    api_run sales_summary >> "$OUT/reports-busy-runs.txt"
    api_run api_usage >> "$OUT/reports-busy-runs.txt"
  done
}
busy_run() { # duration [pace ms] -> product_run's figures while report_loop runs
  rm -f "$OUT/reports-stop"; report_loop & LOOP=$!
  product_run "$@"
  # The loop stops after the report it is waiting for, so the next idle run has the server to itself.
  touch "$OUT/reports-stop"; wait "$LOOP" || true; LOOP=
}
product_run "$WARMUP" > /dev/null
for round in $(seq 1 "$LOAD_ROUNDS"); do
  product_run "$DURATION" >> "$OUT/reports-load-idle.txt"
  busy_run "$DURATION" >> "$OUT/reports-load-busy.txt"
  product_run "$DURATION" "$PACE_MS" >> "$OUT/reports-load-idle-paced.txt"
  busy_run "$DURATION" "$PACE_MS" >> "$OUT/reports-load-busy-paced.txt"
  echo "   round $round: p99 ms and req/s idle $(tail -1 "$OUT/reports-load-idle.txt"), busy $(tail -1 "$OUT/reports-load-busy.txt"), paced idle $(tail -1 "$OUT/reports-load-idle-paced.txt"), paced busy $(tail -1 "$OUT/reports-load-busy-paced.txt")"
done

echo
echo "Mercato reports benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -1)"
psql "$DATABASE" -X -At -F ' ' -c "select (select count(*) from users), (select count(*) from products),
  (select count(*) from orders), (select count(*) from order_items), (select count(*) from refunds),
  (select count(*) from access_logs)" \
  | awk '{printf "%s users, %s products, %s orders with %s lines, %s refunds, %s access log rows\n", $1, $2, $3, $4, $5, $6}'
echo "$(tail -1 "$OUT/reports-load.txt"); range $START_DATE to $END_DATE ($TIMEZONE); medians of $ROUNDS"
echo
printf '%-14s %7s %9s %11s %11s %8s %8s %7s\n' type rows "psql ms" "server ms" "client ms" server/p client/p "< 10 s"
for type in "${TYPES[@]}"; do
  psql_median=$(median < "$OUT/reports-psql-$type.txt" | xargs printf '%.0f')
  if grep -q '^failed' "$OUT/reports-api-$type.txt"; then
    printf '%-14s %7s %9s  %s\n' "$type" "${PSQL_ROWS[$type]}" "$psql_median" \
      "$(grep -m1 '^failed' "$OUT/reports-api-$type.txt")"
    continue
  fi
  server=$(cut -d' ' -f1 "$OUT/reports-api-$type.txt" | median)
  client=$(cut -d' ' -f2 "$OUT/reports-api-$type.txt" | median)
  # The API's row count, marked when it differs from psql's (today's access log grows while the benchmark runs).
  rows=$(cut -d' ' -f3 "$OUT/reports-api-$type.txt" | sort -u | paste -sd/)
  [ "$rows" = "${PSQL_ROWS[$type]}" ] || rows="$rows*"
  printf '%-14s %7s %9s %11s %11s %8s %8s %7s\n' "$type" "$rows" "$psql_median" "$server" "$client" \
    "$(ratio "$server" "$psql_median")" "$(ratio "$client" "$psql_median")" \
    "$(awk -v c="$client" 'BEGIN { print (c < 10000 ? "yes" : "NO") }')"
done
echo "(target: server/psql <= 1.5; a * marks an API row count that differs from psql's)"
first=$(head -5 "$OUT/reports-repeat.txt" | cut -d' ' -f1 | median)
last=$(tail -5 "$OUT/reports-repeat.txt" | cut -d' ' -f1 | median)
echo "sales_summary $REPEAT times back to back, server ms: first five $first, last five $last (median each), last/first $(ratio "$last" "$first")"
echo
echo "GET /v2/products/{id}, $CONNECTIONS connections, medians of $LOAD_ROUNDS rounds of $DURATION, idle and while reports run:"
printf '%-34s %10s %10s %10s %10s %9s\n' load "idle p99" "busy p99" "idle req/s" "busy req/s" busy/idle
for load in "" -paced; do
  p99_idle=$(cut -d' ' -f1 "$OUT/reports-load-idle$load.txt" | median)
  p99_busy=$(cut -d' ' -f1 "$OUT/reports-load-busy$load.txt" | median)
  printf '%-34s %10s %10s %10s %10s %9s\n' \
    "$([ -z "$load" ] && echo "flat out" || echo "paced, $PACE_MS ms before each request")" "$p99_idle" "$p99_busy" \
    "$(cut -d' ' -f2 "$OUT/reports-load-idle$load.txt" | median)" "$(cut -d' ' -f2 "$OUT/reports-load-busy$load.txt" | median)" \
    "$(ratio "$p99_busy" "$p99_idle")"
done
echo "(target: busy/idle p99 <= 2.0; $(grep -vc '^failed' "$OUT/reports-busy-runs.txt") reports completed while busy, $(grep -c '^failed' "$OUT/reports-busy-runs.txt" || true) failed)"
