// End-to-end: the official MCP TypeScript SDK against the Helidon MCP server and a real Keycloak.
// Inputs come from the environment (never the command line): MCP_URL, ISSUER, CLIENT_ID, CLIENT_SECRET, SCOPE.
// Prints one JSON object on stdout; the transcript in it never holds a token or a secret.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { env, recordingFetch as sdkRecordingFetch } from './recording.mjs';

const mcpUrl = env('MCP_URL');
const issuer = env('ISSUER');
const transcript = [];

// Records every HTTP exchange the SDK makes: method, URL, status and the headers that matter for auth.
const recordingFetch = sdkRecordingFetch(transcript, (entry, headers, url, init) => {
  if (headers.has('authorization')) entry.authorization = headers.get('authorization').replace(/ .*/, ' <redacted>');
  if (headers.has('mcp-session-id')) entry.session = 'yes';
  if (init.body instanceof URLSearchParams) {
    // token request: show the grant, scope and resource only
    const form = init.body;
    entry.form = { grant_type: form.get('grant_type'), scope: form.get('scope'), resource: form.get('resource') };
  }
});

const provider = new ClientCredentialsProvider({
  clientId: env('CLIENT_ID'),
  clientSecret: env('CLIENT_SECRET'),
  scope: env('SCOPE'),
  expectedIssuer: issuer,
  clientName: 'helidon-mcp-e2e',
});
const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider, fetch: recordingFetch });
const client = new Client({ name: 'helidon-mcp-e2e', version: '1.0.0' });

const result = { transcript };
try {
  await client.connect(transport);
  result.connected = true;
  result.serverVersion = client.getServerVersion();
  const tools = await client.listTools();
  result.tools = tools.tools.map((tool) => tool.name);
  const whoami = await client.callTool({ name: 'whoami', arguments: {} });
  result.whoami = JSON.parse(whoami.content[0].text);
  const products = await client.callTool({ name: 'list_products', arguments: {} });
  result.products = JSON.parse(products.content[0].text).map((product) => product.name);
  try {
    await client.callTool({ name: 'delete_product', arguments: { id: 'p-1' } });
    result.deleteError = null;
  } catch (error) {
    result.deleteError = String(error?.message ?? error);
    result.deleteErrorCode = error?.code ?? null;
  }
  await transport.terminateSession().catch(() => {});
  await client.close();
} catch (error) {
  result.error = String(error?.stack ?? error);
}
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
