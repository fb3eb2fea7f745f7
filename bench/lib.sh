# Functions the bench scripts share; sourced, not run.

need() { command -v "$1" >/dev/null 2>&1; }

wait_ready() { # start-nanos port -> seconds until ready
  local start=$1 port=$2
  until curl -fs "localhost:$port/health/readiness" >/dev/null 2>&1; do sleep 0.1; done
  echo "scale=1; ($(date +%s%N) - $start) / 1000000000" | bc
}

ms() { # wrk duration (850.00us, 1.20ms, 2.01s) -> milliseconds
  echo "$1" | awk '/us$/ {sub("us",""); printf "%.2f", $1/1000; next} /ms$/ {sub("ms",""); printf "%.2f", $1; next} /s$/ {sub("s",""); printf "%.2f", $1*1000}'
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
