#!/usr/bin/env bash
# Runs every benchmark against a real Keycloak and prints RESULT lines at the end.
#   benchmarks/run.sh                    full mode (measurements; 20-30 minutes on 2 shared cores)
#   benchmarks/run.sh --quick            quick mode (CI: proves the benchmarks still run; a few minutes on a quiet machine)
#   benchmarks/run.sh --only=e2e,...     some sections: jmh, stampede, offload, e2e, downstream, cluster, peer,
#                                        provisioning
# Needs a JDK >= 21 (JAVA_HOME) and wrk (installed from Debian packages when missing and running as root); the cluster
# section also needs haproxy (Debian package; .ci/run installs it) and Node >= 20 (npm ci of benchmarks/src/main/node),
# the peer section npm (npm ci of benchmarks/src/main/node/peer, which brings its own Node 22 from npm).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing wrk (Debian package) for the end-to-end load run..."
    (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
  else
    echo "ERROR: wrk is needed for the end-to-end load run: install it (e.g. apt-get install wrk)" >&2
    exit 1
  fi
fi
./mvnw -q -B -ntp -pl benchmarks,helidon-mcp-server,orders-api -am install -DskipTests
./mvnw -q -B -ntp -pl keycloak-testkit dependency:unpack@unpack-keycloak -DskipTests=false
./mvnw -q -B -ntp -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx1g \
  -Dkeycloak.home="$PWD/target/keycloak-dist/keycloak-26.7.3" \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  org.mcpidp.benchmarks.RunBenchmarks "$@"
