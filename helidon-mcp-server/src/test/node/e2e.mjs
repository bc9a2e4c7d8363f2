// End-to-end: the official MCP TypeScript SDK against the Helidon MCP server and a real Keycloak, on the 2025-11-25
// session protocol (initialize, Mcp-Session-Id, answers as event streams).
// Inputs come from the environment (never the command line): MCP_URL, ISSUER, CLIENT_ID, CLIENT_SECRET, SCOPE, and
// ELICITATION (optional: "accept" or "decline"; the client then declares the elicitation capability and answers the
// server's elicitation/create requests that way; unset, it declares none).
// An agent that may create products creates one and deletes it (the delete asks to confirm when the client declares
// elicitation); any other agent tries to delete p-1 (a 403 for a reader).
// Prints one JSON object on stdout; the transcript in it never holds a token or a secret.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { env, recordingFetch as sdkRecordingFetch } from './recording.mjs';

const mcpUrl = env('MCP_URL');
const issuer = env('ISSUER');
const transcript = [];

// Records every HTTP exchange the SDK makes: method, URL, status and the headers that matter for auth.
const recordingFetch = sdkRecordingFetch(transcript, (entry, headers, url, init) => {
  if (headers.has('authorization')) entry.authorization = headers.get('authorization').replace(/ .*/, ' <redacted>');
  if (headers.has('mcp-session-id')) entry.session = 'yes';
  if (headers.has('mcp-protocol-version')) entry.protocolVersion = headers.get('mcp-protocol-version');
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
const elicitation = process.env.ELICITATION;
if (elicitation && !['accept', 'decline'].includes(elicitation)) throw new Error(`ELICITATION must be accept or decline`);
const client = new Client({ name: 'helidon-mcp-e2e', version: '1.0.0' },
  elicitation ? { capabilities: { elicitation: {} } } : {});
// What a client with a user in front of it does when the server asks: show the form, send the answer back (here:
// the user ticks "Delete it", or declines). The SDK posts the answer as a JSON-RPC response in the same session.
const elicitations = [];
if (elicitation) {
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    const { message, mode, requestedSchema } = request.params;
    elicitations.push({ message, mode: mode ?? null, requestedSchema });
    return elicitation === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
  });
}
const text = (toolResult) => toolResult.content?.[0]?.text ?? '';
const productIds = async () => JSON.parse(text(await client.callTool({ name: 'list_products', arguments: {} })))
  .map((product) => product.id);

const result = { transcript, elicitation: elicitation ?? null, elicitations };
try {
  await client.connect(transport);
  result.connected = true;
  result.serverVersion = client.getServerVersion();
  result.protocolVersion = transport.protocolVersion ?? null;
  const tools = await client.listTools();
  result.tools = tools.tools.map((tool) => tool.name);
  const whoami = await client.callTool({ name: 'whoami', arguments: {} });
  result.whoami = JSON.parse(whoami.content[0].text);
  const products = await client.callTool({ name: 'list_products', arguments: {} });
  result.products = JSON.parse(products.content[0].text).map((product) => product.name);
  if (result.tools.includes('create_product')) {
    const created = await client.callTool({ name: 'create_product', arguments: { name: `e2e ${elicitation ?? 'agent'}`, price: 1.5 } });
    result.created = JSON.parse(text(created)).id;
    const deleted = await client.callTool({ name: 'delete_product', arguments: { id: result.created } });
    result.delete = { isError: deleted.isError === true, text: text(deleted).slice(0, 200) };
    result.productsAfter = await productIds();
  } else {
    try {
      await client.callTool({ name: 'delete_product', arguments: { id: 'p-1' } });
      result.deleteError = null;
    } catch (error) {
      result.deleteError = String(error?.message ?? error);
      result.deleteErrorCode = error?.code ?? null;
    }
    result.productsAfter = await productIds();
  }
  await transport.terminateSession().catch(() => {});
  await client.close();
} catch (error) {
  result.error = String(error?.stack ?? error);
}
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
