#!/usr/bin/env bash
# The dev stack in one command, no Docker: Keycloak 26.7.3 (from Maven Central, data kept in .dev/), the demo tenant
# provisioned from realm-exports/demo-tenant.yaml, the demo orders API and the MCP server, until Ctrl-C. Options: ./dev-stack.sh --help
set -euo pipefail
cd "$(dirname "$0")"
. .ci/jdk.sh
use_jdk_21

if [ "${DEV_STACK_SKIP_BUILD:-}" != "true" ]; then
  echo "Building the MCP server, the orders API and the launcher (./mvnw -q -DskipTests -pl helidon-mcp-server,orders-api,dev-stack -am package; the first build downloads the dependencies and Keycloak, ~200 MB)..."
  ./mvnw -q -DskipTests -pl helidon-mcp-server,orders-api,dev-stack -am package
fi
exec "$JAVA_HOME/bin/java" -Ddevstack.root="$PWD" -jar dev-stack/target/dev-stack.jar "$@"
