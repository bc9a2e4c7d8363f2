#!/usr/bin/env bash
# Calls one tool of an MCP server over Streamable HTTP with curl, the way any MCP client does:
#   initialize -> Mcp-Session-Id -> notifications/initialized -> tools/call
# Usage: MCP_URL=... TOKEN=... examples/call-tool.sh TOOL ['{"arg":"value"}']
# Prints the tools/call answer. On an HTTP error prints the status and the WWW-Authenticate challenge to stderr and
# exits 1 (e.g. 403 insufficient_scope when the token lacks the tool's scope).
set -euo pipefail
tool=${1:?usage: examples/call-tool.sh TOOL [ARGUMENTS_JSON]}
arguments=${2:-'{}'}
: "${MCP_URL:?set MCP_URL (set -a; . .dev/stack.env; set +a)}"
: "${TOKEN:?set TOKEN to an access token (see README.md, Quick start)}"

headers=$(mktemp)
trap 'rm -f "$headers"' EXIT

# post BODY [SESSION]: the answer body on stdout, status and headers in $headers
post() {
  local session_headers=()
  [ -z "${2:-}" ] || session_headers=(-H "Mcp-Session-Id: $2" -H 'MCP-Protocol-Version: 2025-06-18')
  curl -sS -D "$headers" -X POST "$MCP_URL" \
    -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' \
    "${session_headers[@]}" \
    --data "$1"
}
status() { awk 'toupper($1) ~ /^HTTP\// {code=$2} END {print code}' "$headers"; }
fail() {
  echo "$1: HTTP $(status)" >&2
  grep -i '^WWW-Authenticate:' "$headers" >&2 || true
  exit 1
}

post '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"call-tool.sh","version":"1"}}}' >/dev/null
[ "$(status)" = 200 ] || fail initialize
session=$(awk 'tolower($1) == "mcp-session-id:" {print $2}' "$headers" | tr -d '\r')

post '{"jsonrpc":"2.0","method":"notifications/initialized"}' "$session" >/dev/null
case "$(status)" in 2*) ;; *) fail notifications/initialized ;; esac

answer=$(post "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"$tool\",\"arguments\":$arguments}}" "$session")
[ "$(status)" = 200 ] || fail "tools/call $tool"
# A Streamable HTTP answer is JSON or one SSE event ("data: {...}"): print the JSON-RPC message either way.
printf '%s\n' "$answer" | sed -n 's/^data: //p; /^{/p'
