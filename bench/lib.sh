# Functions and settings the bench scripts share; sourced, not run.

# The settings every script reads (a script may change a default after sourcing this, as compare.sh does).
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-60s}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
# The heap the servers get; see docs/performance.md for why a bound matters to resident memory.
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx384m}
JAVA_CMD=${BENCH_JAVA:-java}

need() { command -v "$1" >/dev/null 2>&1; }

install_packages() { # Debian package names
  apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
}

need_tools() { # commands that are also the names of their Debian packages (wrk, jq, bc): installs the missing ones
  local missing=() tool
  for tool in "$@"; do need "$tool" || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] || { echo "Installing ${missing[*]} from Debian's packages..."; install_packages "${missing[@]}"; }
}

build_if_missing() { # the extracted form of the server, which the benchmarks run
  [ -f target/mercato/mercato.jar ] || ./mvnw -q -B -DskipTests package
}

build_ceiling_if_missing() { # the bare Spring Boot app every scenario is measured against (bench/ceiling)
  [ -f bench/ceiling/target/ceiling.jar ] || ./mvnw -q -B -DskipTests -f bench/ceiling/pom.xml package
}

random_admin_key() {
  echo "bench_admin_key_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
}

# Rate limits stay on (their cost is part of every request) but high enough not to refuse the load itself.
raise_rate_limits() {
  export MERCATO_RATE_LIMIT_REQUESTS_PER_MINUTE=100000000
  export MERCATO_RATE_LIMIT_TOKEN_PER_IP_PER_MINUTE=100000000
  export MERCATO_RATE_LIMIT_TOKEN_PER_CLIENT_PER_MINUTE=100000000
  export MERCATO_HTTP_MAX_CONCURRENT_REQUESTS_PER_ADDRESS=100000
}

seconds_since() { # start-nanos -> seconds since then, one decimal
  echo "scale=1; ($(date +%s%N) - $1) / 1000000000" | bc
}

wait_ready() { # start-nanos port [server pid] -> seconds until ready; fails if that server exits first
  local start=$1 port=$2 pid=${3:-}
  until curl -fs "localhost:$port/health/readiness" >/dev/null 2>&1; do
    [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || { echo "the server on port $port exited before it was ready" >&2; return 1; }
    sleep 0.1
  done
  seconds_since "$start"
}

ms() { # wrk duration (850.00us, 1.20ms, 2.01s) -> milliseconds
  echo "$1" | awk '/us$/ {sub("us",""); printf "%.2f", $1/1000; next} /ms$/ {sub("ms",""); printf "%.2f", $1; next} /s$/ {sub("s",""); printf "%.2f", $1*1000}'
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; } # a b -> a/b, two decimals

# The nodes of one run share one database, so they share the key that seals its secrets (the OAuth signing keys
# among them): a node with another key cannot start.
export MERCATO_ENCRYPTION_KEY=${MERCATO_ENCRYPTION_KEY:-$(head -c 32 /dev/urandom | base64 -w0)}

create_api_key() { # port admin-key name scope... -> the new key
  local port=$1 admin=$2 name=$3; shift 3
  curl -fs -X POST "localhost:$port/v2/api-keys" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "$(jq -cn --arg name "$name" '{name: $name, scopes: $ARGS.positional}' --args "$@")" | jq -r .key
}

oauth_client() { # port admin-key scope -> "client_id:client_secret" in base64, for HTTP Basic, of a new client
  local client
  client=$(curl -fs -X POST "localhost:$1/v2/oauth-clients" -H "Authorization: Bearer $2" \
    -H 'Content-Type: application/json' -d "{\"name\":\"bench\",\"scopes\":[\"$3\"]}")
  printf '%s:%s' "$(echo "$client" | jq -r .client_id)" "$(echo "$client" | jq -r .client_secret)" | base64 -w0
}

access_token() { # port basic -> an OAuth access token (JWT) issued to that client (client_credentials)
  curl -fs -X POST "localhost:$1/oauth/token" -H "Authorization: Basic $2" -d grant_type=client_credentials \
    | jq -r .access_token
}

client_credentials_token() { # port admin-key scope -> an access token of a new client with that scope
  access_token "$1" "$(oauth_client "$1" "$2" "$3")"
}

load_products() { # port admin-key count out-dir: creates the products through POST /v2/products (16 at a time),
                  # prints the statuses, and writes the ids of the newest 1,000 to out-dir/product-ids.txt
  local port=$1 admin=$2 count=$3 out=$4 i w1 w2 offset
  local words=(widget gear kettle lamp notebook pen socks shoes charger grinder headphones wireless steel premium compact)
  for i in $(seq 1 "$count"); do
    w1=${words[$((i % 15))]}; w2=${words[$(((i * 7) % 15))]}
    printf 'url = "http://localhost:%s/v2/products"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\ndata = "{\\"name\\": \\"%s %s %d\\", \\"description\\": \\"A %s for benchmarking, number %d.\\", \\"price\\": %d.%02d, \\"currency\\": \\"USD\\", \\"stock\\": %d}"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\nnext\n' \
      "$port" "$admin" "$w1" "$w2" "$i" "$w2" "$i" $((i % 200)) $((i % 100)) $((i % 50))
  done | sed '$d' > "$out/load.curl"   # no "next" after the last request
  curl -s --no-progress-meter --parallel --parallel-max 16 -K "$out/load.curl" | sort | uniq -c | tr '\n' ' '
  for offset in 0 100 200 300 400 500 600 700 800 900; do
    curl -fs "localhost:$port/v2/products?limit=100&offset=$offset" -H "Authorization: Bearer $admin" | jq -r '.[].id'
  done > "$out/product-ids.txt"
}

wait_for_ceiling() { # port pid product-id: until the ceiling app answers 200 for that product
  until curl -fs -o /dev/null "localhost:$1/v2/products/$3" 2>/dev/null; do
    kill -0 "$2" 2>/dev/null || { echo "the ceiling app on port $1 exited before it was ready" >&2; return 1; }
    sleep 0.2
  done
}

async_profiler() { # -> the path of async-profiler's agent library, fetched from Maven Central when missing
  local dir=bench/.tools version=${ASYNC_PROFILER_VERSION:-4.6}
  if [ ! -f "$dir/libasyncProfiler.so" ]; then
    mkdir -p "$dir"
    ./mvnw -q -B dependency:copy -Dartifact="tools.profiler:async-profiler:$version" -DoutputDirectory="$dir" >&2
    unzip -p "$dir/async-profiler-$version.jar" linux-x64/libasyncProfiler.so > "$dir/libasyncProfiler.so"
  fi
  echo "$PWD/$dir/libasyncProfiler.so"
}

cpu_ticks() { # pid... -> user + system clock ticks those processes have used
  local pid total=0
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}

machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; } # busy ticks of every core
