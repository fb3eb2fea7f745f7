# Functions the bench scripts share; sourced, not run.

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
