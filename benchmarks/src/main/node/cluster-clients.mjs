// Several MCP clients (the official TypeScript SDK 1.32.2, which speaks the legacy era: initialize, then requests in
// the session) calling one tool through the balancer until a deadline, for the several-instances benchmark section
// (ClusterRun). Inputs come from the environment, never the command line: MCP_URL, ISSUER, CLIENT_ID, CLIENT_SECRET,
// SCOPE, TOOL, CLIENTS, DURATION_MS, READY_FILE.
//
// SDK 1.32.2 does not start a new session by itself when the server answers 404 for its session: send() throws a
// StreamableHTTPError with code 404 and keeps the dead session id. The MCP transport spec asks the client to start a
// new session (initialize without a session id) then; this script does that and repeats the call, which is what an
// application on this SDK has to do. Prints one JSON object on stdout: counts only, never a token or a secret.
import { writeFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
};
const mcpUrl = new URL(env('MCP_URL'));
const tool = env('TOOL');
const clients = Number(env('CLIENTS'));
const deadline = Date.now() + Number(env('DURATION_MS'));
const readyFile = env('READY_FILE');
let tokenRequests = 0;
let firstCalls = 0; // clients that made their first call; when all have, READY_FILE appears (the kill lands mid-run)

// Counts the token requests (each one is a distinct token the instances may have to introspect).
const countingFetch = async (input, init = {}) => {
  const url = typeof input === 'string' ? input : input.url ?? String(input);
  if (url.endsWith('/protocol/openid-connect/token')) tokenRequests++;
  return fetch(input, init);
};

async function connect(provider) {
  const transport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider, fetch: countingFetch });
  const client = new Client({ name: 'cluster-client', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

async function run(index) {
  // One provider per client for the whole run: its token survives a new session, as in an application.
  const provider = new ClientCredentialsProvider({
    clientId: env('CLIENT_ID'),
    clientSecret: env('CLIENT_SECRET'),
    scope: env('SCOPE'),
    expectedIssuer: env('ISSUER'),
    clientName: `cluster-client-${index}`,
  });
  const stats = { calls: 0, reinitialized: 0, failures: [] };
  let client = await connect(provider);
  while (Date.now() < deadline) {
    try {
      const result = await client.callTool({ name: tool, arguments: {} });
      if (result.isError) throw new Error(`${tool} answered isError`);
      stats.calls++;
      if (stats.calls === 1 && ++firstCalls === clients) writeFileSync(readyFile, 'ready');
    } catch (error) {
      if (error instanceof StreamableHTTPError && error.code === 404) {
        // The instance that held the session is gone (or forgot it): a new session, then the same call again.
        await client.close().catch(() => {});
        client = await connect(provider);
        stats.reinitialized++;
        continue;
      }
      // fetch's own "fetch failed" says nothing: its cause (ECONNRESET, "other side closed") says which hop broke
      const cause = error?.cause ? ` (cause: ${error.cause.code ?? ''} ${error.cause.message ?? error.cause})` : '';
      stats.failures.push(`${error?.message ?? error}${cause}`.slice(0, 300));
      if (stats.failures.length > 20) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await client.close().catch(() => {});
  return stats;
}

const all = await Promise.all(Array.from({ length: clients }, (_, i) => run(i)));
const out = {
  clients,
  calls: all.reduce((sum, s) => sum + s.calls, 0),
  reinitialized: all.reduce((sum, s) => sum + s.reinitialized, 0),
  failures: all.flatMap((s) => s.failures),
  tokenRequests,
};
process.stdout.write(JSON.stringify(out) + '\n');
