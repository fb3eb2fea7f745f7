#!/usr/bin/env bash
# What the layers that can be switched off cost on GET /v2/products/{id} (API key): Mercato as it runs, and beside
# it one server per layer switched off (the access log, the rate limits, the request metrics) and one with all
# three off, measured in turns against the ceiling app by bench/variants.sh. A layer's share of the request is
# 1 - (all on / that layer off), from the "/ all-on" column. The layers that cannot be switched off (the security
# chain, the credential check, JSON, Spring MVC) are measured by bench/profile.sh's flame graphs.
#
#   bench/layers.sh
#   BENCH_ROUNDS=5 bench/layers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_WORK=bench/results/layers bench/variants.sh <<'VARIANTS'
all-on|java|
access-log-off|java|--mercato.logs.enabled=false
rate-limits-off|java|--mercato.rate-limit.enabled=false
request-metrics-off|java|--management.observations.enable.http.server.requests=false
all-three-off|java|--mercato.logs.enabled=false --mercato.rate-limit.enabled=false --management.observations.enable.http.server.requests=false
VARIANTS
