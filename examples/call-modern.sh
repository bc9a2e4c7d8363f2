#!/usr/bin/env bash
# One MCP request of revision 2026-07-28 with curl, the way a 2026-07-28 client sends it: no initialize, no session,
# one POST per request. The body carries the protocol version and the client's capabilities in params._meta; the
# headers MCP-Protocol-Version, Mcp-Method and (for tools/call, prompts/get, resources/read) Mcp-Name repeat what the
# body says, and the server refuses a request whose headers and body disagree (400, HeaderMismatch).
# Usage: MCP_URL=... TOKEN=... examples/call-modern.sh METHOD [NAME_OR_URI] [ARGUMENTS_JSON]
#   examples/call-modern.sh server/discover
#   examples/call-modern.sh tools/list
#   examples/call-modern.sh tools/call delete_product '{"id":"p-1"}'
# MCP_CLIENT_CAPABILITIES (default {}) is what the client declares, e.g. '{"elicitation":{}}' to be asked to confirm.
# Prints the answer's JSON-RPC message. On an HTTP error prints the status, the WWW-Authenticate challenge and the
# answer's body to stderr and exits 1 (e.g. 403 insufficient_scope when the token lacks the tool's scope).
set -euo pipefail
method=${1:?usage: examples/call-modern.sh METHOD [NAME_OR_URI] [ARGUMENTS_JSON]}
name=${2:-}
arguments=${3:-'{}'}
: "${MCP_URL:?set MCP_URL (set -a; . .dev/stack.env; set +a)}"
: "${TOKEN:?set TOKEN to an access token (see README.md, Quick start)}"
version=2026-07-28

json_string() { local s=${1//\\/\\\\}; printf '"%s"' "${s//\"/\\\"}"; }
meta="\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"$version\",\"io.modelcontextprotocol/clientCapabilities\":${MCP_CLIENT_CAPABILITIES:-{\}},\"io.modelcontextprotocol/clientInfo\":{\"name\":\"call-modern.sh\",\"version\":\"1\"}}"
case "$method" in
  tools/call | prompts/get)
    : "${name:?$method needs a name}"
    params="{\"name\":$(json_string "$name"),\"arguments\":$arguments,$meta}" ;;
  resources/read)
    : "${name:?resources/read needs a uri}"
    params="{\"uri\":$(json_string "$name"),$meta}" ;;
  *)
    params="{$meta}" ;;
esac
route=(-H "MCP-Protocol-Version: $version" -H "Mcp-Method: $method")
if [ -n "$name" ]; then
  # A header carries printable ASCII only: any other name goes in the spec's base64 form.
  if LC_ALL=C grep -q '[^ -~]' <<<"$name"; then
    route+=(-H "Mcp-Name: =?base64?$(printf '%s' "$name" | base64 -w0)?=")
  else
    route+=(-H "Mcp-Name: $name")
  fi
fi

headers=$(mktemp)
trap 'rm -f "$headers"' EXIT
answer=$(curl -sS -D "$headers" -X POST "$MCP_URL" \
  -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' \
  -H 'Accept: application/json, text/event-stream' \
  "${route[@]}" \
  --data "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$method\",\"params\":$params}")
status=$(awk 'toupper($1) ~ /^HTTP\// {code=$2} END {print code}' "$headers")
if [ "$status" != 200 ]; then
  echo "$method${name:+ $name}: HTTP $status" >&2
  grep -i '^WWW-Authenticate:' "$headers" >&2 || true
  [ -z "$answer" ] || printf '%s\n' "$answer" >&2
  exit 1
fi
# A Streamable HTTP answer is JSON or an event stream ("data: {...}"): print the JSON-RPC message either way.
printf '%s\n' "$answer" | awk '/^data: / {sub(/^data: /, ""); print; next} /^{/ {print}'
