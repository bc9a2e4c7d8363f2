#!/usr/bin/env bash
# Runs every benchmark against a real Keycloak and prints RESULT lines at the end.
#   benchmarks/run.sh          full mode (measurements; several minutes)
#   benchmarks/run.sh --quick  quick mode (CI: proves the benchmarks still run)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -pl benchmarks -am install -DskipTests
./mvnw -q -B -ntp -pl keycloak-testkit dependency:unpack@unpack-keycloak -DskipTests=false
./mvnw -q -B -ntp -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx1g \
  -Dkeycloak.home="$PWD/target/keycloak-dist/keycloak-26.7.3" \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  org.mcpidp.benchmarks.RunBenchmarks "$@"
