# What deploy/up.sh, down.sh and verify.sh share: the topology's addresses and the helpers; sourced, not run.
#
# Everything listens on loopback:
#   nginx                      127.0.0.1:28080   the entry point, round-robin over the ready API nodes
#   Mercato API nodes          127.0.0.1:28081, 28082   (jobs off)
#   Mercato worker node        127.0.0.1:28083   (jobs on, no traffic from nginx)
#   HAProxy                    127.0.0.1:25000   to whichever PostgreSQL member Patroni reports as the primary
#                              127.0.0.1:25001   its statistics (CSV at /;csv)
#   PostgreSQL 15 (Patroni)    127.0.0.1:25433 (pg1), 25434 (pg2); Patroni's REST API 28008, 28009
#   etcd                       127.0.0.1:22379 (clients), 22380 (peers)

RUN=${DEPLOY_RUN:-$PWD/deploy/run}
RUN_DIR=$RUN
NGINX_PORT=28080
API_NODES=(api1 api2)
declare -A NODE_PORT=([api1]=28081 [api2]=28082 [worker]=28083)
HAPROXY_PORT=25000
HAPROXY_STATS_PORT=25001
declare -A PG_PORT=([pg1]=25433 [pg2]=25434)
declare -A PG_REST_PORT=([pg1]=28008 [pg2]=28009)
ETCD_PORT=22379
ETCD_PEER_PORT=22380
MEMBERS=(pg1 pg2)

log() { echo "[$(date -u +%H:%M:%S)] $*"; }

install_missing() { # Debian packages for what is not on this machine yet
  local missing=()
  command -v etcd > /dev/null || missing+=(etcd-server)
  command -v patroni > /dev/null || missing+=(patroni)
  command -v haproxy > /dev/null || missing+=(haproxy)
  command -v nginx > /dev/null || missing+=(nginx)
  [ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql-15)
  command -v psql > /dev/null || missing+=(postgresql-client-15)
  command -v curl > /dev/null || missing+=(curl)
  command -v jq > /dev/null || missing+=(jq)
  [ ${#missing[@]} -eq 0 ] && return
  log "Installing ${missing[*]} from Debian's packages"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" > /dev/null
}

# The secrets the nodes must share: generated once, kept in the run directory (mode 600).
load_secrets() {
  if [ ! -f "$RUN/secrets.env" ]; then
    umask 077
    {
      echo "MERCATO_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64 -w0)"
      echo "MERCATO_ADMIN_API_KEY=deploy_admin_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
      echo "DB_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
      echo "SUPERUSER_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
      echo "REPLICATION_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
    } > "$RUN/secrets.env"
    umask 022
  fi
  set -a; . "$RUN/secrets.env"; set +a
}

fill() { # template -> stdout, @NAME@ replaced by the shell variable NAME's value
  local text
  text=$(cat "$1")
  while [[ $text =~ @([A-Z0-9_]+)@ ]]; do
    local name=${BASH_REMATCH[1]}
    text=${text//@$name@/${!name}}
  done
  printf '%s\n' "$text"
}

alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2> /dev/null; }

stop_process() { # name [signal]: stops the process of that pid file and waits for it to end
  alive "$1" || { rm -f "$RUN/$1.pid"; return 0; }
  local pid
  pid=$(cat "$RUN/$1.pid")
  kill "-${2:-TERM}" "$pid" 2> /dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2> /dev/null || true
  rm -f "$RUN/$1.pid"
}

primary() { # the member Patroni reports as primary, or nothing
  local member
  for member in "${MEMBERS[@]}"; do
    [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "127.0.0.1:${PG_REST_PORT[$member]}/primary")" = 200 ] && echo "$member" && return
  done
  return 0
}

sync_standby() { # the member that is the synchronous standby, or nothing (asked of any member that answers)
  local member
  for member in "${MEMBERS[@]}"; do
    curl -s -m 2 "127.0.0.1:${PG_REST_PORT[$member]}/cluster" 2> /dev/null \
      | jq -r '.members[] | select(.role == "sync_standby") | .name' 2> /dev/null && return
  done
  return 0
}

ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$1/health/readiness")" = 200 ]; }

routed_to() { # the members HAProxy sends connections to (UP in its statistics), one a line
  curl -s "127.0.0.1:$HAPROXY_STATS_PORT/;csv" | awk -F, '$1 == "postgres_primary" && $2 != "BACKEND" && $2 != "FRONTEND" && $18 ~ /^UP/ { print $2 }'
}

start_member() { # name: one Patroni member, run as the postgres user (PostgreSQL refuses to run as root); setpriv
  # execs, so the pid file holds Patroni's own pid
  local NAME=$1 PG_PORT=${PG_PORT[$1]} REST_PORT=${PG_REST_PORT[$1]} DATA_DIR=$RUN/$1
  alive "$NAME" && return
  mkdir -p "$DATA_DIR" && chown postgres:postgres "$DATA_DIR" && chmod 700 "$DATA_DIR"
  fill deploy/conf/patroni.yml > "$RUN/patroni-$NAME.yml"
  chown postgres "$RUN/patroni-$NAME.yml" && chmod 600 "$RUN/patroni-$NAME.yml"
  touch "$RUN/patroni-$NAME.log" && chown postgres "$RUN/patroni-$NAME.log"
  setpriv --reuid=postgres --regid=postgres --init-groups patroni "$RUN/patroni-$NAME.yml" >> "$RUN/patroni-$NAME.log" 2>&1 &
  echo $! > "$RUN/$NAME.pid"
}
start_node() { # name jobs-enabled: one Mercato node from the extracted jar
  local name=$1 port=${NODE_PORT[$1]}
  alive "$name" && return
  env SERVER_PORT="$port" \
    SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$HAPROXY_PORT/mercato?connectTimeout=3&tcpKeepAlive=true" \
    SPRING_DATASOURCE_USERNAME=mercato SPRING_DATASOURCE_PASSWORD="$DB_PASSWORD" \
    MERCATO_JOBS_ENABLED="$2" MERCATO_RATE_LIMIT_STORE=postgresql \
    MERCATO_OAUTH_ISSUER="http://127.0.0.1:$NGINX_PORT" MERCATO_HTTP_DRAIN_DELAY=5s \
    MERCATO_DATA_DIR="$RUN/$name-data" \
    java ${MERCATO_JAVA_OPTS:--Xmx384m} -jar target/mercato/mercato.jar >> "$RUN/$name.log" 2>&1 &
  echo $! > "$RUN/$name.pid"
}
