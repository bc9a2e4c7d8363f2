#!/usr/bin/env bash
# Validates deploy/k8s without a cluster (validated, not run, here): every kustomization rendered and checked against
# the Kubernetes JSON schemas and the kit's rules (validate/validate.mjs), then the check itself is checked: each of a
# few broken copies of the manifests must be refused. Needs Node >= 20; installs exactly what
# validate/package-lock.json pins (kubernetes-models 5.1.0, @kubernetes-models/gateway-api 2.0.0, yaml 2.9.1).
#   deploy/k8s/validate.sh
set -euo pipefail
cd "$(dirname "$0")"
k8s=$PWD
observe=$k8s/../../helidon-mcp-auth/src/main/java/org/mcpidp/mcpauth/observe/ObserveService.java
if [ ! -d validate/node_modules/kubernetes-models ]; then
  (cd validate && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
node validate/validate.mjs "$k8s" "$observe"

# Broken copies: each edit must make the validator fail, or the validator proves nothing.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
broken() { # name, file (relative to deploy/k8s), sed expression
  rm -rf "$scratch/k8s" && mkdir -p "$scratch/k8s"
  cp -r base overlays keycloak "$scratch/k8s/"
  sed -i -e "$3" "$scratch/k8s/$2"
  if cmp -s "$2" "$scratch/k8s/$2"; then
    echo "ERROR: self-test '$1' did not change $2 (its edit no longer matches)" >&2
    exit 1
  fi
  if node validate/validate.mjs "$scratch/k8s" "$observe" >"$scratch/out" 2>&1; then
    echo "ERROR: the validator accepted a broken copy ($1)" >&2
    cat "$scratch/out" >&2
    exit 1
  fi
  echo "refused as it must: $1 ($(grep -m1 '^  ' "$scratch/out" | sed 's/^ *//'))"
}
broken "probe on a path the server does not serve" base/deployment.yaml 's|path: /observe/health/ready|path: /healthz|'
broken "secret inlined in the ConfigMap" base/configmap.yaml 's|^  MCP_SESSIONS_MAX: "1000"|  MCP_SESSIONS_MAX: "1000"\n  MCP_AUTH_ISSUERS_0_CLIENT_SECRET: not-a-secret|'
broken "request state key inlined in the ConfigMap" base/configmap.yaml 's|^  MCP_SESSIONS_MAX: "1000"|  MCP_SESSIONS_MAX: "1000"\n  MCP_REQUEST_STATE_KEY: c2hhcmVkLWJ1dC1ub3Qtc2VjcmV0LWF0LWFsbC0xMjM0|'
broken "no shared request state key" base/deployment.yaml '/- name: MCP_REQUEST_STATE_KEY/,/key: key$/d'
broken "schema: replicas is not an integer" base/deployment.yaml 's|replicas: 3|replicas: three|'
broken "runs as root" base/deployment.yaml 's|runAsNonRoot: true|runAsNonRoot: false|'
broken "writable root filesystem in the Job" keycloak/provisioning-job.yaml 's|readOnlyRootFilesystem: true|readOnlyRootFilesystem: false|'
broken "no memory limit" base/deployment.yaml '/limits:/,/memory: 512Mi/{/memory: 512Mi/d}'
broken "overlay names a missing file" overlays/modern-only/kustomization.yaml 's|httproute.yaml|httproute-missing.yaml|'
echo "deploy/k8s: valid, and 9 broken copies refused"
