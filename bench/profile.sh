#!/usr/bin/env bash
# Where the machine goes on the hot path: GET /v2/products/{id} on Mercato (API key, and OAuth access token) and
# on the ceiling app (bench/ceiling: the same select, nothing else), each measured twice after a warm-up:
#   1. without the profiler, in rounds with the targets in turns: req/s, and the CPU each process used per request
#      (the server's JVM, PostgreSQL, and the rest of the machine, which is mostly wrk), from /proc (medians);
#   2. with async-profiler (CPU samples, fetched from Maven Central): a flame graph coloured by layer
#      (bench/flamegraph.js) and the share of the server's samples each layer took.
#
#   bench/profile.sh                          # flame graphs into bench/results/profile
#   PROFILE_OUT=docs/flamegraphs PROFILE_LABEL=after bench/profile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

PORT=${BENCH_PORT_A:-18080}
CEILING_PORT=${BENCH_PORT_B:-18081}
DB_PORT=${BENCH_DB_PORT:-15434}
WORK=bench/results/profile
FLAMEGRAPHS=${PROFILE_OUT:-$WORK}
LABEL=${PROFILE_LABEL:-now}

raise_rate_limits
ADMIN_KEY=$(random_admin_key)
need node || { echo "Node.js is needed to draw the flame graphs (bench/flamegraph.js)" >&2; exit 1; }
need_tools wrk jq bc unzip
build_if_missing
build_ceiling_if_missing
PROFILER=$(async_profiler)

rm -rf "$WORK" && mkdir -p "$WORK" "$FLAMEGRAPHS"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

MERCATO_DATA_DIR="$WORK/data" MERCATO_ADMIN_API_KEY="$ADMIN_KEY" SERVER_PORT=$PORT MERCATO_EMBEDDED_DB_PORT=$DB_PORT \
  $JAVA_CMD $JAVA_OPTS -jar target/mercato/mercato.jar > "$WORK/mercato.log" 2>&1 & PIDS+=($!); PID=$!
wait_ready "$(date +%s%N)" $PORT $PID >/dev/null
SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$DB_PORT/postgres" SPRING_DATASOURCE_USERNAME=postgres \
  SERVER_PORT=$CEILING_PORT $JAVA_CMD $JAVA_OPTS -jar bench/ceiling/target/ceiling.jar > "$WORK/ceiling.log" 2>&1 &
PIDS+=($!); PID_CEILING=$!

export BENCH_TOKEN; BENCH_TOKEN=$(create_api_key $PORT "$ADMIN_KEY" bench products:read)
JWT=$(client_credentials_token $PORT "$ADMIN_KEY" products:read)
echo "== Loading 1,000 products: $(load_products $PORT "$ADMIN_KEY" 1000 "$WORK")"
wait_for_ceiling $CEILING_PORT $PID_CEILING "$(head -1 "$WORK/product-ids.txt")"
# The embedded PostgreSQL's processes: the postmaster Mercato started and its backends.
POSTMASTER=$(pgrep -f -- "-p $DB_PORT" | head -1)
postgres_pids() { echo "$POSTMASTER" $(pgrep -P "$POSTMASTER"); }

load() { # target duration -> wrk's output
  local port=$PORT token=$BENCH_TOKEN
  case $1 in ceiling) port=$CEILING_PORT ;; jwt) token=$JWT ;; esac
  BENCH_TOKEN=$token wrk -t2 -c"$CONNECTIONS" -d"$2" --latency -s bench/random-product.lua "http://localhost:$port" -- "$WORK/product-ids.txt"
}
server_pid() { [ "$1" = ceiling ] && echo "$PID_CEILING" || echo "$PID"; }

echo "== Warming up: $WARMUP per target"
for target in ceiling key jwt; do load $target "$WARMUP" > /dev/null; done

TICKS=$(getconf CLK_TCK)
echo "== CPU per request, without the profiler: $ROUNDS rounds of $DURATION, the targets in turns"
for round in $(seq "$ROUNDS"); do
  for target in ceiling key jwt; do
    pid=$(server_pid $target)
    jvm0=$(cpu_ticks "$pid"); pg0=$(cpu_ticks $(postgres_pids)); all0=$(machine_ticks)
    out=$(load $target "$DURATION")
    jvm=$(( $(cpu_ticks "$pid") - jvm0 )); pg=$(( $(cpu_ticks $(postgres_pids)) - pg0 )); all=$(( $(machine_ticks) - all0 ))
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    errors=$(echo "$out" | awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}')
    per_request() { awk -v t="$1" -v n="$requests" -v hz="$TICKS" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }'; }
    echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(per_request $jvm) $(per_request $pg) $(per_request $((all - jvm - pg))) $errors" \
      >> "$WORK/cpu-$target.txt"
  done
done
printf '\n| target | req/s | server JVM µs/req | PostgreSQL µs/req | rest of the machine µs/req | errors |\n| --- | ---: | ---: | ---: | ---: | ---: |\n' > "$WORK/cpu.md"
for target in ceiling key jwt; do
  f="$WORK/cpu-$target.txt"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$target" "$(cut -d' ' -f1 "$f" | median)" "$(cut -d' ' -f2 "$f" | median)" \
    "$(cut -d' ' -f3 "$f" | median)" "$(cut -d' ' -f4 "$f" | median)" "$(cut -d' ' -f5 "$f" | awk '{n += $1} END {print n}')" >> "$WORK/cpu.md"
done

for target in ceiling key jwt; do
  pid=$(server_pid $target)
  # jcmd splits its arguments at commas unless they are quoted once more.
  jcmd "$pid" JVMTI.agent_load "$PROFILER" "\"start,event=${PROFILE_EVENT:-cpu},interval=1ms\"" > /dev/null
  load $target "$DURATION" > /dev/null
  jcmd "$pid" JVMTI.agent_load "$PROFILER" "\"stop,file=$PWD/$WORK/$target.collapsed\"" > /dev/null
  name=$([ $target = ceiling ] && echo ceiling || echo "mercato-$target")
  echo "== $name ($LABEL): $FLAMEGRAPHS/$LABEL-$name.svg"
  node bench/flamegraph.js "$WORK/$target.collapsed" "$FLAMEGRAPHS/$LABEL-$name.svg" \
    "GET /v2/products/{id}, $name, $LABEL ($(date -u +%Y-%m-%d))" | tee "$WORK/$target-layers.md"
done
echo
echo "CPU per request, measured without the profiler ($CONNECTIONS connections, medians of $ROUNDS rounds of $DURATION):"
cat "$WORK/cpu.md"
