#!/usr/bin/env bash
# Calls one tool of an MCP server with curl, the way any MCP client does.
#   MCP_ERA=legacy (the default): a 2025-11-25 session over Streamable HTTP:
#     initialize -> Mcp-Session-Id -> notifications/initialized -> tools/call (with the negotiated version) -> DELETE
#   MCP_ERA=modern: one stateless 2026-07-28 request (examples/call-modern.sh tools/call TOOL ARGUMENTS)
# Usage: MCP_URL=... TOKEN=... [MCP_ERA=modern] examples/call-tool.sh TOOL ['{"arg":"value"}']
# Prints the tools/call answer. On an HTTP error prints the status and the WWW-Authenticate challenge to stderr and
# exits 1 (e.g. 403 insufficient_scope when the token lacks the tool's scope).
set -euo pipefail
tool=${1:?usage: examples/call-tool.sh TOOL [ARGUMENTS_JSON]}
arguments=${2:-'{}'}
: "${MCP_URL:?set MCP_URL (set -a; . .dev/stack.env; set +a)}"
: "${TOKEN:?set TOKEN to an access token (see README.md, Quick start)}"
case "${MCP_ERA:-legacy}" in
  modern) exec "$(dirname "$0")/call-modern.sh" tools/call "$tool" "$arguments" ;;
  legacy) ;;
  *) echo "MCP_ERA must be legacy or modern, not ${MCP_ERA}" >&2; exit 2 ;;
esac

headers=$(mktemp)
session=
# ends the session like a client that is done (DELETE), also after a refused call
finish() {
  [ -z "$session" ] || curl -sS -o /dev/null -X DELETE "$MCP_URL" -H "Authorization: Bearer $TOKEN" \
    -H "Mcp-Session-Id: $session" -H "MCP-Protocol-Version: $version" || true
  rm -f "$headers"
}
trap finish EXIT

# post BODY [SESSION VERSION]: the answer body on stdout, status and headers in $headers
post() {
  local session_headers=()
  [ -z "${2:-}" ] || session_headers=(-H "Mcp-Session-Id: $2" -H "MCP-Protocol-Version: $3")
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

initialized=$(post '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"call-tool.sh","version":"1"}}}')
[ "$(status)" = 200 ] || fail initialize
# the version the server chose (a server that does not speak 2025-11-25 answers with an older one)
version=$(printf '%s\n' "$initialized" | sed -n 's/.*"protocolVersion":"\([^"]*\)".*/\1/p' | head -n 1)
session=$(awk 'tolower($1) == "mcp-session-id:" {print $2}' "$headers" | tr -d '\r')

post '{"jsonrpc":"2.0","method":"notifications/initialized"}' "$session" "$version" >/dev/null
case "$(status)" in 2*) ;; *) fail notifications/initialized ;; esac

answer=$(post "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"$tool\",\"arguments\":$arguments}}" "$session" "$version")
[ "$(status)" = 200 ] || fail "tools/call $tool"
# A Streamable HTTP answer is JSON or one SSE event ("data: {...}"): print the JSON-RPC message either way.
printf '%s\n' "$answer" | awk '/^data: / {sub(/^data: /, ""); print; next} /^{/ {print}'
