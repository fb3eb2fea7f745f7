#!/usr/bin/env bash
# Mercato in several variants side by side on GET /v2/products/{id} (API key), against the ceiling app
# (bench/ceiling) on the same database. After a warm-up, rounds drive the ceiling and then each variant in turn;
# each figure is the median of the rounds, and each ratio the median of the rounds' ratios to the ceiling in the
# same round. The variants come on standard input, one a line: a name, the java to run, and Mercato's arguments,
# separated by "|". bench/layers.sh and bench/jdk.sh are its two uses.
#
#   printf 'on|java|\noff|java|--mercato.logs.enabled=false\n' | bench/variants.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

DB_PORT=${BENCH_DB_PORT:-15435}
WORK=${BENCH_WORK:-bench/results/variants}
CEILING_PORT=18180

raise_rate_limits
ADMIN_KEY=$(random_admin_key)
need_tools wrk jq bc
build_if_missing
build_ceiling_if_missing
rm -rf "$WORK" && mkdir -p "$WORK"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

VARIANTS=()
declare -A PORTS SERVER_PIDS
port=18181
while IFS='|' read -r name java args; do
  [ -n "$name" ] || continue
  VARIANTS+=("$name"); PORTS[$name]=$port
  if [ ${#VARIANTS[@]} -eq 1 ]; then   # the first server owns the embedded database
    env MERCATO_DATA_DIR="$WORK/data" MERCATO_EMBEDDED_DB_PORT=$DB_PORT MERCATO_ADMIN_API_KEY="$ADMIN_KEY" \
      SERVER_PORT=$port "$java" $JAVA_OPTS -jar target/mercato/mercato.jar $args > "$WORK/$name.log" 2>&1 &
  else
    env SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$DB_PORT/postgres" SPRING_DATASOURCE_USERNAME=postgres \
      SERVER_PORT=$port "$java" $JAVA_OPTS -jar target/mercato/mercato.jar $args > "$WORK/$name.log" 2>&1 &
  fi
  PIDS+=($!); SERVER_PIDS[$name]=$!
  wait_ready "$(date +%s%N)" $port $! > /dev/null
  port=$((port + 1))
done
FIRST=${VARIANTS[0]}
SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$DB_PORT/postgres" SPRING_DATASOURCE_USERNAME=postgres \
  SERVER_PORT=$CEILING_PORT java $JAVA_OPTS -jar bench/ceiling/target/ceiling.jar > "$WORK/ceiling.log" 2>&1 &
PIDS+=($!); PID_CEILING=$!

export BENCH_TOKEN; BENCH_TOKEN=$(create_api_key "${PORTS[$FIRST]}" "$ADMIN_KEY" bench products:read)
echo "== Loading 1,000 products: $(load_products "${PORTS[$FIRST]}" "$ADMIN_KEY" 1000 "$WORK")"
wait_for_ceiling $CEILING_PORT $PID_CEILING "$(head -1 "$WORK/product-ids.txt")"

load() { # port duration -> "req/s p99-ms errors"; wrk's own output goes to $WORK/wrk-<port>.txt
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$2" --latency -s bench/random-product.lua "http://localhost:$1" -- "$WORK/product-ids.txt")
  echo "$out" >> "$WORK/wrk-$1.txt"   # raw, to tell what an error was
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(ms "$(echo "$out" | awk '$1=="99%" {print $2}')") $(echo "$out" | awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}')"
}

echo "== Warming up: $WARMUP per server"
load $CEILING_PORT "$WARMUP" > /dev/null
for name in "${VARIANTS[@]}"; do load "${PORTS[$name]}" "$WARMUP" > /dev/null; done

echo "== Measuring: $ROUNDS rounds of $DURATION per server, the ceiling first in each"
for round in $(seq "$ROUNDS"); do
  read -r ceiling _ <<< "$(load $CEILING_PORT "$DURATION")"
  echo "$ceiling" >> "$WORK/ceiling.txt"
  for name in "${VARIANTS[@]}"; do
    read -r rps p99 errors <<< "$(load "${PORTS[$name]}" "$DURATION")"
    echo "$rps $p99 $errors $(ratio "$rps" "$ceiling")" >> "$WORK/$name.txt"
  done
  echo "   round $round done (ceiling $ceiling req/s)"
done

echo
echo "GET /v2/products/{id}, API key, $CONNECTIONS connections, medians of $ROUNDS rounds of $DURATION, $JAVA_OPTS; $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| variant | req/s | p99 ms | errors | / ceiling | / $FIRST | resident MB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
echo "| ceiling app | $(median < "$WORK/ceiling.txt") | | 0 | 1.00 | | $(( $(awk '/VmRSS/ {print $2}' /proc/$PID_CEILING/status) / 1024 )) |"
FIRST_RATIO=$(cut -d' ' -f4 "$WORK/$FIRST.txt" | median)
for name in "${VARIANTS[@]}"; do
  r=$(cut -d' ' -f4 "$WORK/$name.txt" | median)
  echo "| $name | $(cut -d' ' -f1 "$WORK/$name.txt" | median) | $(cut -d' ' -f2 "$WORK/$name.txt" | median) | $(cut -d' ' -f3 "$WORK/$name.txt" | awk '{n += $1} END {print n}') | $r | $(ratio "$r" "$FIRST_RATIO") | $(( $(awk '/VmRSS/ {print $2}' "/proc/${SERVER_PIDS[$name]}/status") / 1024 )) |"
done
