-- wrk script: MCP tools/call of one tool in either protocol era, for the e2e, downstream and cluster sections
-- (WrkLoad).
-- Inputs come from the environment (never the command line, which every user sees in ps; never a file):
--   MCP_ERA            "modern": 2026-07-28, stateless: each POST carries _meta (protocol version, client capabilities)
--                      and the MCP-Protocol-Version, Mcp-Method and Mcp-Name headers that mirror the body; no session.
--                      "legacy": 2025-11-25 inside sessions the caller opened (initialize) beforehand.
--   MCP_TOOL           the tool to call, without arguments (whoami, list_products, list_orders)
--   MCP_SESSIONS       legacy only: the session ids, comma-separated; requests go round them
--   MCP_AUTHORIZATION  the Authorization header value ("Bearer ..."); unset = no header (auth off)
-- Every answer is checked, not only its status: a 2026-07-28 answer is JSON (200), a legacy one an event stream (200,
-- "event: message" + "data: {...}"), and a JSON-RPC error or a tool error also comes with 200. An answer counts as a
-- failure unless it is a 200 carrying a "result" that is not a tool error, so a broken server cannot look fast.
-- done() prints "MCP answers: <n> failures: <m>", which WrkLoad reads.

local era = os.getenv("MCP_ERA")
local tool = os.getenv("MCP_TOOL")
local authorization = os.getenv("MCP_AUTHORIZATION")
local sessions = {}
for id in string.gmatch(os.getenv("MCP_SESSIONS") or "", "[^,]+") do
  sessions[#sessions + 1] = id
end
if era ~= "modern" and era ~= "legacy" then
  error("MCP_ERA must be modern or legacy, was " .. tostring(era))
end
if not tool or not tool:match("^[%w_]+$") then
  error("MCP_TOOL must be a tool name, was " .. tostring(tool))
end
if era == "legacy" and #sessions == 0 then
  error("MCP_SESSIONS is required for the legacy era")
end

local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  n = 0
  answers = 0
  failures = 0
end

function request()
  n = n + 1
  -- a unique JSON-RPC id per request: ids may not repeat while in flight in one legacy session (409)
  local id = n * 64 + tid + 2
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["Accept"] = "application/json, text/event-stream"
  if authorization then headers["Authorization"] = authorization end
  local body
  if era == "modern" then
    headers["MCP-Protocol-Version"] = "2026-07-28"
    headers["Mcp-Method"] = "tools/call"
    headers["Mcp-Name"] = tool
    body = '{"jsonrpc":"2.0","id":' .. id .. ',"method":"tools/call","params":{"name":"' .. tool ..
      '","arguments":{},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",' ..
      '"io.modelcontextprotocol/clientCapabilities":{}}}}'
  else
    headers["MCP-Protocol-Version"] = "2025-11-25"
    headers["Mcp-Session-Id"] = sessions[(n % #sessions) + 1]
    body = '{"jsonrpc":"2.0","id":' .. id .. ',"method":"tools/call","params":{"name":"' .. tool ..
      '","arguments":{}}}'
  end
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  answers = answers + 1
  if status ~= 200 or not string.find(body, '"result":', 1, true) or string.find(body, '"isError":true', 1, true) then
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local total, failed = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("answers")
    failed = failed + thread:get("failures")
  end
  io.write(string.format("MCP answers: %d failures: %d\n", total, failed))
end
