#!/usr/bin/env bash
# JDK 17 (the default java) against JDK 25 (BENCH_JDK25, Temurin's by default), each with Tomcat's platform threads
# and with virtual threads (spring.threads.virtual.enabled), on GET /v2/products/{id} side by side against the
# ceiling app (bench/variants.sh); the table also gives each server's resident memory after the run.
#
#   bench/jdk.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JDK25=${BENCH_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
[ -x "$JDK25" ] || { echo "No JDK 25 at $JDK25 (set BENCH_JDK25)" >&2; exit 1; }
BENCH_WORK=bench/results/jdk bench/variants.sh <<VARIANTS
jdk17|java|
jdk17-virtual-threads|java|--spring.threads.virtual.enabled=true
jdk25|$JDK25|
jdk25-virtual-threads|$JDK25|--spring.threads.virtual.enabled=true
VARIANTS
