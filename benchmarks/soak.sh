#!/usr/bin/env bash
# Soak mode of the MCP server (issue 9): the real server in one JVM trusting a local issuer by introspection, steady
# load from clients that never close their sessions, new tokens every minute. After a warm-up (two rotations) prints
# heap after a full GC, sessions, threads, file descriptors, cache size and IdP calls per interval, then "SOAK ok" or
# "SOAK fail <reason>" (exit 0 / 1). Heap verdict: least-squares trend, at most 2 MB per 10,000 cycles and 10% over the run.
#   benchmarks/soak.sh --minutes 30                       the full run (2 min warm-up, then 30 measured minutes)
#   benchmarks/soak.sh --minutes 2 --warmup-seconds 60 --report-seconds 15 --rotate-seconds 30    short (SoakCiTest)
# Other options: --rate <cycles/s> (200), --workers <n> (4), --subjects <n> (8). Needs a JDK >= 21 (JAVA_HOME).
# Loopback only: no Keycloak needed.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -pl helidon-mcp-server -am install -DskipTests
./mvnw -q -B -ntp -pl helidon-mcp-server test-compile dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/soak-classpath.txt
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xms256m -Xmx256m \
  -cp "helidon-mcp-server/target/test-classes:helidon-mcp-server/target/classes:$(cat helidon-mcp-server/target/soak-classpath.txt)" \
  org.mcpidp.mcpserver.Soak "$@"
