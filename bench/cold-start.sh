#!/usr/bin/env bash
# Cold start, measured alone: seconds from `java -jar` until /health/readiness answers 200, each time on a
# fresh data directory, so the embedded database's first initialisation (initdb) is included.
#
#   bench/cold-start.sh                          # the single jar and the extracted layout, in turns, 5 rounds
#   bench/cold-start.sh old.jar target/mercato.jar   # two builds in turns, so noise hits both alike
#   COLD_ROUNDS=9 bench/cold-start.sh
#   bench/cold-start.sh --ceiling                 # Mercato against the ceiling app (bench/ceiling), in turns
#
# Prints every round and the median per jar, and with two jars the ratio of their medians. With --ceiling, each
# round starts Mercato cold (its embedded database initialised) and then, on that database, the ceiling app,
# timed until it answers its first request: the ratio is Mercato's start to the ceiling's.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${COLD_ROUNDS:-5}
PORT=${COLD_PORT:-18090}
DB_PORT=${COLD_DB_PORT:-15490}
JAVA_OPTS=${COLD_JAVA_OPTS:--Xmx384m}
CEILING=false
[ "${1:-}" != --ceiling ] || { CEILING=true; shift; }
JARS=("$@")
[ ${#JARS[@]} -gt 0 ] || JARS=(target/mercato.jar target/mercato/mercato.jar)
! $CEILING || JARS=(target/mercato/mercato.jar bench/ceiling/target/ceiling.jar)
[ -f target/mercato/mercato.jar ] || ./mvnw -q -B -DskipTests package
! $CEILING || [ -f bench/ceiling/target/ceiling.jar ] || ./mvnw -q -B -DskipTests -f bench/ceiling/pom.xml package
WORK=$(mktemp -d)
PID=
CEILING_PID=
cleanup() {
  for pid in $PID $CEILING_PID; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true; rm -rf "$WORK"
}
trap cleanup EXIT

# Runs in this shell, not in a $(...) subshell, so that the trap above knows the server to stop on an interrupt.
cold_start() { # jar -> ELAPSED_MS, milliseconds until ready
  local jar=$1 data="$WORK/data" start
  rm -rf "$data"
  start=$(date +%s%N)
  MERCATO_DATA_DIR="$data" MERCATO_EMBEDDED_DB_PORT=$DB_PORT SERVER_PORT=$PORT \
    MERCATO_ADMIN_API_KEY=cold_start_admin_key_that_is_long_enough java $JAVA_OPTS -jar "$jar" > "$WORK/server.log" 2>&1 &
  PID=$!
  until curl -fs "localhost:$PORT/health/readiness" >/dev/null 2>&1; do
    kill -0 "$PID" 2>/dev/null || { echo "server exited; its log:" >&2; tail -20 "$WORK/server.log" >&2; exit 1; }
    sleep 0.05
  done
  ELAPSED_MS=$(( ($(date +%s%N) - start) / 1000000 ))
  $CEILING || stop_server
}

stop_server() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }

# With Mercato (and its database) up: the ceiling app's start until it answers (404 for a product that is not there).
ceiling_start() {
  local start
  start=$(date +%s%N)
  SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$DB_PORT/postgres" SPRING_DATASOURCE_USERNAME=postgres \
    SERVER_PORT=$((PORT + 1)) java $JAVA_OPTS -jar bench/ceiling/target/ceiling.jar > "$WORK/ceiling.log" 2>&1 &
  CEILING_PID=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "localhost:$((PORT + 1))/v2/products/none")" = 404 ]; do
    kill -0 "$CEILING_PID" 2>/dev/null || { echo "ceiling app exited; its log:" >&2; tail -20 "$WORK/ceiling.log" >&2; exit 1; }
    sleep 0.05
  done
  ELAPSED_MS=$(( ($(date +%s%N) - start) / 1000000 ))
  kill "$CEILING_PID"; wait "$CEILING_PID" 2>/dev/null || true; CEILING_PID=
  stop_server
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
seconds() { awk -v ms="$1" 'BEGIN { printf "%6.2f", ms / 1000 }'; }

declare -A TIMES
for round in $(seq "$ROUNDS"); do
  for jar in "${JARS[@]}"; do
    if [ "$jar" = bench/ceiling/target/ceiling.jar ]; then ceiling_start; else cold_start "$jar"; fi
    TIMES[$jar]+="$ELAPSED_MS "
    printf 'round %d  %-40s %s s\n' "$round" "$jar" "$(seconds "$ELAPSED_MS")"
  done
done

echo
declare -A MEDIANS
for jar in "${JARS[@]}"; do
  MEDIANS[$jar]=$(echo "${TIMES[$jar]}" | tr ' ' '\n' | grep . | median)
  printf 'median %-40s %s s\n' "$jar" "$(seconds "${MEDIANS[$jar]}")"
done
if $CEILING; then
  printf 'ratio  Mercato / ceiling app: %s (target <= 2.5)\n' \
    "$(awk -v a="${MEDIANS[${JARS[0]}]}" -v b="${MEDIANS[${JARS[1]}]}" 'BEGIN { printf "%.3f", a / b }')"
elif [ ${#JARS[@]} -eq 2 ]; then
  printf 'ratio  %s / %s: %s\n' "${JARS[1]}" "${JARS[0]}" \
    "$(awk -v a="${MEDIANS[${JARS[1]}]}" -v b="${MEDIANS[${JARS[0]}]}" 'BEGIN { printf "%.3f", a / b }')"
fi
