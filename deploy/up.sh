#!/usr/bin/env bash
# Starts Mercato's highly available topology on this machine's loopback, from Debian's packages (installed when
# missing): etcd; a PostgreSQL 15 primary and synchronous standby managed by Patroni; HAProxy in front of
# whichever is primary; a Mercato worker node (jobs on) and two API nodes (jobs off) sharing the encryption key,
# the issuer and the rate limits (in PostgreSQL); nginx in front of the API nodes, kept to the ready ones by
# deploy/health-checker.sh. Addresses are in deploy/lib.sh; state, logs and secrets in deploy/run. Stop it with
# deploy/down.sh; deploy/verify.sh puts it through failures. docs/deployment.md explains each part. The nodes
# inherit this script's environment, so further settings pass through (verify.sh sets the push gateway's address
# and raised rate limits so).
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/lib.sh

install_missing
[ -f target/mercato/mercato.jar ] || ./mvnw -q -B -DskipTests package
mkdir -p "$RUN"
chmod 755 "$RUN"
load_secrets

log "etcd on 127.0.0.1:$ETCD_PORT"
if ! alive etcd; then
  etcd --name etcd1 --data-dir "$RUN/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "etcd1=http://127.0.0.1:$ETCD_PEER_PORT" > "$RUN/etcd.log" 2>&1 &
  echo $! > "$RUN/etcd.pid"
fi
until curl -fs "127.0.0.1:$ETCD_PORT/health" > /dev/null 2>&1; do sleep 0.2; done

chown postgres "$RUN"   # Patroni writes the pgpass files and PostgreSQL its socket here
log "PostgreSQL 15 under Patroni: ${MEMBERS[*]}"
for member in "${MEMBERS[@]}"; do start_member "$member"; sleep 2; done
until [ -n "$(primary)" ]; do sleep 0.5; done
until [ -n "$(sync_standby)" ]; do sleep 0.5; done
log "   primary $(primary), synchronous standby $(sync_standby)"

log "HAProxy on 127.0.0.1:$HAPROXY_PORT"
PG1_NAME=pg1 PG1_PORT=${PG_PORT[pg1]} PG1_REST_PORT=${PG_REST_PORT[pg1]}
PG2_NAME=pg2 PG2_PORT=${PG_PORT[pg2]} PG2_REST_PORT=${PG_REST_PORT[pg2]}
fill deploy/conf/haproxy.cfg > "$RUN/haproxy.cfg"
alive haproxy || haproxy -D -f "$RUN/haproxy.cfg" -p "$RUN/haproxy.pid"
# HAProxy counts every member up until its checks say otherwise: wait until only the primary is routed to.
until [ "$(routed_to)" = "$(primary)" ]; do sleep 0.5; done
until PGPASSWORD=$SUPERUSER_PASSWORD psql -h 127.0.0.1 -p $HAPROXY_PORT -U postgres -Atc 'select 1' > /dev/null 2>&1; do sleep 0.5; done

# Mercato's own role and database (the superuser stays Patroni's).
PGPASSWORD=$SUPERUSER_PASSWORD psql -h 127.0.0.1 -p $HAPROXY_PORT -U postgres -v ON_ERROR_STOP=1 -q <<SQL
select 'create role mercato login' where not exists (select from pg_roles where rolname = 'mercato') \gexec
alter role mercato password '$DB_PASSWORD';
select 'create database mercato owner mercato' where not exists (select from pg_database where datname = 'mercato') \gexec
SQL

log "Mercato: worker on $((NODE_PORT[worker])), API nodes ${API_NODES[*]}"
start_node worker true   # first: it applies the migrations
until ready "${NODE_PORT[worker]}"; do alive worker || { tail -30 "$RUN/worker.log"; exit 1; }; sleep 0.5; done
for node in "${API_NODES[@]}"; do start_node "$node" false; done
for node in "${API_NODES[@]}"; do
  until ready "${NODE_PORT[$node]}"; do alive "$node" || { tail -30 "$RUN/$node.log"; exit 1; }; sleep 0.5; done
done

log "nginx on 127.0.0.1:$NGINX_PORT, its upstream kept by deploy/health-checker.sh"
fill deploy/conf/nginx.conf > "$RUN/nginx.conf"
deploy/health-checker.sh --once
alive nginx || nginx -c "$RUN/nginx.conf" -p "$RUN"
until [ -f "$RUN/nginx.pid" ]; do sleep 0.1; done
alive health-checker || { deploy/health-checker.sh > "$RUN/health-checker.log" 2>&1 & echo $! > "$RUN/health-checker.pid"; }
until [ "$(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$NGINX_PORT/health/readiness")" = 200 ]; do sleep 0.2; done
log "Up: http://127.0.0.1:$NGINX_PORT (admin key in $RUN/secrets.env)"
