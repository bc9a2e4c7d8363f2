// End-to-end: the official MCP TypeScript SDK calls list_orders on the Helidon MCP server, which calls the orders API
// as the caller with an exchanged token. Inputs from the environment (never the command line): MCP_URL, ISSUER and
// either CLIENT_ID + CLIENT_SECRET + SCOPE (an agent: the SDK's ClientCredentialsProvider gets the token) or
// ACCESS_TOKEN (a user's token, sent as a static bearer header). Prints one JSON object on stdout: the tools, each
// list_orders answer or error, and a transcript with the SHA-256 of the bearer token sent (never a token or secret).
import { createHash } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { env, recordingFetch as sdkRecordingFetch } from './recording.mjs';

const mcpUrl = env('MCP_URL');
const transcript = [];
const mcpTokenHashes = new Set();

const recordingFetch = sdkRecordingFetch(transcript, (entry, headers, url) => {
  if (headers.has('authorization') && url.startsWith(mcpUrl)) {
    const token = headers.get('authorization').replace(/^Bearer /i, '');
    entry.tokenSha256 = createHash('sha256').update(token, 'ascii').digest('hex');
    mcpTokenHashes.add(entry.tokenSha256);
  }
});

const options = { fetch: recordingFetch };
if (process.env.ACCESS_TOKEN) {
  options.requestInit = { headers: { Authorization: `Bearer ${process.env.ACCESS_TOKEN}` } };
} else {
  options.authProvider = new ClientCredentialsProvider({
    clientId: env('CLIENT_ID'),
    clientSecret: env('CLIENT_SECRET'),
    scope: env('SCOPE'),
    expectedIssuer: env('ISSUER'),
    clientName: 'helidon-mcp-orders-e2e',
  });
}
const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), options);
const client = new Client({ name: 'helidon-mcp-orders-e2e', version: '1.0.0' });

const result = { transcript, calls: [] };
try {
  await client.connect(transport);
  result.connected = true;
  result.tools = (await client.listTools()).tools.map((tool) => tool.name);
  const calls = Number(process.env.CALLS ?? '1');
  for (let i = 0; i < calls; i++) {
    try {
      const answer = await client.callTool({ name: 'list_orders', arguments: {} });
      const text = answer.content?.[0]?.text ?? '';
      result.calls.push(answer.isError ? { toolError: text } : { orders: JSON.parse(text) });
    } catch (error) {
      result.calls.push({ error: String(error?.message ?? error), code: error?.code ?? null });
    }
  }
  await transport.terminateSession().catch(() => {});
  await client.close();
} catch (error) {
  result.error = String(error?.message ?? error);
}
result.mcpTokenSha256 = [...mcpTokenHashes];
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
