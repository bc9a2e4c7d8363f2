#!/usr/bin/env bash
# Soak mode of the MCP server (issue 9): the real server in one JVM trusting a local issuer by introspection, steady
# load from clients that never close their sessions, new tokens every minute. Prints heap after GC, sessions, threads,
# file descriptors, cache size and IdP calls per interval, then "SOAK ok" or "SOAK fail <reason>" (exit 0 / 1).
#   benchmarks/soak.sh --minutes 30                       the full run
#   benchmarks/soak.sh --minutes 2 --report-seconds 30 --rotate-seconds 30    short (what SoakCiTest runs)
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
