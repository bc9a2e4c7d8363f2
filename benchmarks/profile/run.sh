#!/usr/bin/env bash
# Where a request's time goes: the demo server with auth (introspection, JWT) and without, under wrk load
# (tools/call whoami, c=16, loopback) in both protocol eras, against a real Keycloak 26.7.3 (keycloak-testkit).
#   benchmarks/profile/run.sh                         req/s and server CPU per request, each mode twice (alternating)
#   benchmarks/profile/run.sh --jfr --rounds=1        plus JFR in every server: stage tables (CPU us, bytes per request)
#   benchmarks/profile/run.sh --help                  every option (--seconds, --warmup, --modes, --eras, --label, ...)
# Output: benchmarks/target/profile/ (server logs, .jfr recordings, <label>-stages.md) and RESULT lines.
# Needs a JDK >= 25 (jdk.CPUTimeSample) in JAVA_HOME and wrk (Debian package).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "ERROR: wrk is needed (apt-get install wrk)" >&2; exit 1; }
if [ "${SKIP_BUILD:-}" != 1 ]; then
  # one reactor build: the benchmark's classpath names this checkout's modules, not whatever ~/.m2 holds
  ./mvnw -q -B -ntp -o -pl benchmarks,helidon-mcp-server -am package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -DskipTests
  ./mvnw -q -B -ntp -o -pl keycloak-testkit dependency:unpack@unpack-keycloak -DskipTests=false
fi
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx512m \
  -Dkeycloak.home="$PWD/target/keycloak-dist/keycloak-26.7.3" \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  org.mcpidp.benchmarks.ProfileRun "$@"
