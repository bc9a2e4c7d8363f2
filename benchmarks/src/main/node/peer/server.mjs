// The peer of the "peer" benchmark section (PeerSection): an MCP server protected by MCP Auth for Node 0.2.0 in JWT mode,
// on the MCP TypeScript SDK 1.32.2's Streamable HTTP transport and express, written the way MCP Auth's documentation
// shows it, not tuned by us. Stateful as in the SDK's simpleStreamableHttp example: initialize opens a session (one
// McpServer + transport each, kept in memory), later requests name it in Mcp-Session-Id (protocol 2025-11-25).
// Environment: ISSUER (discovered through its /.well-known/openid-configuration), RESOURCE (this server's /mcp URL,
// the audience tokens must name), PORT.
import { randomUUID } from 'node:crypto';
import express from 'express';
import { MCPAuth, fetchServerConfig } from 'mcp-auth';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

const { ISSUER, RESOURCE, PORT } = process.env;
const mcpAuth = new MCPAuth({
  protectedResources: {
    metadata: {
      resource: RESOURCE,
      authorizationServers: [await fetchServerConfig(ISSUER, { type: 'oidc' })],
      scopesSupported: ['mcp:read'],
    },
  },
});

const app = express();
app.use(express.json());
app.use(mcpAuth.protectedResourceMetadataRouter());
app.use('/mcp', mcpAuth.bearerAuth('jwt', { resource: RESOURCE, audience: RESOURCE, requiredScopes: ['mcp:read'] }));

const transports = {};
app.post('/mcp', async (req, res) => {
  const sessionId = req.headers['mcp-session-id'];
  let transport = sessionId && transports[sessionId];
  if (!transport && !sessionId && isInitializeRequest(req.body)) {
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => { transports[id] = transport; },
    });
    transport.onclose = () => delete transports[transport.sessionId];
    const server = new McpServer({ name: 'peer', version: '1.0.0' });
    server.registerTool('whoami', { description: 'Who is calling' }, ({ authInfo }) => ({
      content: [{ type: 'text', text: JSON.stringify({ subject: authInfo.subject }) }],
    }));
    await server.connect(transport);
  }
  if (!transport) {
    res.status(400).json({ jsonrpc: '2.0', error: { code: -32000, message: 'No valid session' }, id: null });
    return;
  }
  await transport.handleRequest(req, res, req.body);
});

app.listen(Number(PORT), '127.0.0.1', () => console.log(`peer listening on http://127.0.0.1:${PORT}/mcp`));
// an orderly exit on SIGTERM (the benchmark stops the peer so), which also lets node --cpu-prof write its profile
process.on('SIGTERM', () => process.exit(0));
