#!/usr/bin/env bash
# Fills a database that Mercato has migrated, and that holds no users, products, orders or payments yet, with the
# report benchmark's data (bench/report-data.sql): users, products, orders with lines, payments, refunds and access
# logs over the last two years. Set-based in one transaction, then ANALYZE; prints the counts and how long it took.
#
#   bench/report-data.sh                                            # localhost:15434, the reports benchmark's port
#   bench/report-data.sh postgresql://postgres@localhost:15432/postgres
#   BENCH_REPORTS_ORDERS=100000 BENCH_REPORTS_LOGS=500000 bench/report-data.sh
#
# Scale: BENCH_REPORTS_USERS (20000), BENCH_REPORTS_PRODUCTS (10000), BENCH_REPORTS_ORDERS (1000000, about three
# lines each), BENCH_REPORTS_LOGS (5000000), BENCH_REPORTS_DAYS (730).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

# A JDBC URL (jdbc:postgresql://localhost:15432/postgres) is taken too; without a user in it, postgres.
DATABASE=${1:-postgresql://postgres@localhost:${BENCH_REPORTS_DB_PORT:-15434}/postgres}
DATABASE=${DATABASE#jdbc:}
export PGUSER=${PGUSER:-postgres}
need psql || { echo "Installing psql (postgresql-client) from Debian's packages..."; install_packages postgresql-client; }

start=$(date +%s%N)
psql "$DATABASE" -X -q -v users="${BENCH_REPORTS_USERS:-20000}" -v products="${BENCH_REPORTS_PRODUCTS:-10000}" \
  -v orders="${BENCH_REPORTS_ORDERS:-1000000}" -v logs="${BENCH_REPORTS_LOGS:-5000000}" \
  -v days="${BENCH_REPORTS_DAYS:-730}" -f bench/report-data.sql
echo "loaded in $(seconds_since "$start") s"
