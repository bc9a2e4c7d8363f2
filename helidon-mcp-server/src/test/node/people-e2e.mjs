// People end-to-end: a person signs in from an MCP client, as the official MCP TypeScript SDK's interactive OAuth
// client does it (OAuthClientProvider + auth() / transport.finishAuth(code)), with the login done by a real headless
// Chromium on Keycloak's own login page. Three ways for the client to get a client id:
//   preregistered  the public client mcp-inspector (its redirect http://localhost:6274/oauth/callback is registered);
//   dcr            RFC 7591 dynamic registration (the provider has no client information, the SDK registers);
//   cimd           a Client ID Metadata Document: the provider's clientMetadataUrl, served here on https loopback
//                  with the test certificate that the test Keycloak trusts.
// Plus what a browser does on its own: a CORS preflight and an allowed-origin call from a page, and a disallowed Origin.
// The signed-in client declares elicitation, as an app with a person in front of it does: when the server asks the
// person to confirm a delete (an elicitation/create request in the 2025-11-25 session), she first declines, then accepts.
//
// Driven by PeopleEndToEndTest. Inputs from the environment only (never the command line, visible in ps):
//   MCP_URL, ISSUER, ALICE_PASSWORD, BOB_PASSWORD, TLS_CERT, TLS_KEY (PEM files), PAGE_PORT (the allowed origin's port),
//   CHROMIUM (default /usr/bin/chromium), WAYS (default preregistered,dcr,cimd).
// Prints one JSON object on stdout. Nothing in it is a token, a code, a secret or a password: URLs and forms are
// redacted before they are recorded, tokens stay inside this process.
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
};
const mcpUrl = env('MCP_URL');
const issuer = env('ISSUER');
const passwords = { alice: env('ALICE_PASSWORD'), bob: env('BOB_PASSWORD') };
const pagePort = Number(env('PAGE_PORT'));
const pageOrigin = `http://127.0.0.1:${pagePort}`;
const REDIRECT = 'http://localhost:6274/oauth/callback';
const STEP_TIMEOUT_MS = 30_000;
const never = new Promise(() => {});
const quiet = (promise) => promise.catch(() => never);
// A deadline that does not keep the process alive once the awaited promise has settled.
const within = (promise, ms, what) => {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
};

// ---------------------------------------------------------------------------------------------------------------
// Redaction: everything recorded passes through here.
// client_data is Keycloak's base64 JSON of the redirect (not secret, but it starts with eyJ like a JWT, and CI fails on
// anything JWT-shaped); session_state names the person's Keycloak session.
const SECRET_PARAMS = ['code', 'code_verifier', 'access_token', 'refresh_token', 'id_token', 'client_secret',
  'session_code', 'session_state', 'client_data', 'registration_access_token', 'password', 'token'];
const redactUrl = (raw) => {
  try {
    const url = new URL(raw);
    for (const name of SECRET_PARAMS) if (url.searchParams.has(name)) url.searchParams.set(name, '<redacted>');
    return url.toString();
  } catch {
    return '<unparseable url>';
  }
};
const transcript = [];
const record = (entry) => transcript.push({ way: currentWay, user: currentUser, ...entry });
let currentWay = null;
let currentUser = null;

// Records every HTTP exchange the SDK makes (discovery, registration, token, MCP): method, redacted URL, status, the
// JSON-RPC method, the form fields that are not secret, and the challenge header.
const recordingFetch = async (input, init = {}) => {
  const url = typeof input === 'string' ? input : input.url ?? String(input);
  const method = init.method ?? (typeof input === 'object' && input.method) ?? 'GET';
  const entry = { request: `${method} ${redactUrl(url)}` };
  const headers = new Headers(init.headers ?? {});
  if (headers.has('authorization')) entry.authorization = headers.get('authorization').replace(/ .*/, ' <redacted>');
  if (typeof init.body === 'string') {
    try {
      const message = JSON.parse(init.body);
      if (message.jsonrpc) {
        entry.rpc = message.method ?? 'response';
        if (message.method === 'tools/call') entry.tool = message.params?.name;
      } else if (message.redirect_uris) {
        entry.registration = { redirect_uris: message.redirect_uris, scope: message.scope ?? null,
          token_endpoint_auth_method: message.token_endpoint_auth_method ?? null };
      }
    } catch {
      entry.body = 'non-json';
    }
  } else if (init.body instanceof URLSearchParams) {
    const form = init.body;
    entry.form = { grant_type: form.get('grant_type'), scope: form.get('scope'), resource: form.get('resource'),
      client_id: form.get('client_id') };
  }
  const response = await fetch(input, init);
  entry.status = response.status;
  const challenge = response.headers.get('www-authenticate');
  if (challenge) entry.wwwAuthenticate = challenge;
  record(entry);
  return response;
};

// ---------------------------------------------------------------------------------------------------------------
// Loopback servers: the CIMD document over https (Keycloak fetches it), and the page of the allowed browser origin.
const tls = { cert: readFileSync(env('TLS_CERT')), key: readFileSync(env('TLS_KEY')) };
let cimdUrl;
const cimdFetches = [];
const documentServer = createHttpsServer(tls, (req, res) => {
  cimdFetches.push({ request: `${req.method} ${req.url}`, userAgent: req.headers['user-agent'] ?? null });
  if (req.method === 'GET' && cimdUrl && req.url === new URL(cimdUrl).pathname) {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
    res.end(JSON.stringify({
      client_id: cimdUrl,
      client_name: 'people-e2e (MCP TypeScript SDK, CIMD)',
      client_uri: new URL('/', cimdUrl).toString(),
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }));
  } else {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => documentServer.listen(0, '127.0.0.1', resolve));
cimdUrl = `https://localhost:${documentServer.address().port}/clients/people-e2e.json`;

const pageServer = createHttpServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end('<!doctype html><title>allowed origin</title><p>people-e2e page</p>');
});
await new Promise((resolve) => pageServer.listen(pagePort, '127.0.0.1', resolve));

// ---------------------------------------------------------------------------------------------------------------
// The OAuthClientProvider: what an MCP client app implements. Client information is per app installation (shared by
// the people using it); tokens and the PKCE verifier are per person.
class PersonProvider {
  constructor({ app, clientMetadataUrl }) {
    this.app = app;
    this.clientMetadataUrl = clientMetadataUrl;
    this.savedTokens = undefined;
    this.verifier = undefined;
    this.authorizationUrls = [];
  }
  get redirectUrl() { return REDIRECT; }
  get clientMetadata() {
    return {
      client_name: `people-e2e (MCP TypeScript SDK, ${this.app.way})`,
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() { return this.app.clientInformation; }
  saveClientInformation(information) { this.app.clientInformation = information; }
  tokens() { return this.savedTokens; }
  saveTokens(tokens) { this.savedTokens = tokens; }
  redirectToAuthorization(url) { this.authorizationUrls.push(new URL(url)); }
  saveCodeVerifier(verifier) { this.verifier = verifier; }
  codeVerifier() {
    if (!this.verifier) throw new Error('no PKCE code verifier saved');
    return this.verifier;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The person in the browser: opens the authorization URL, signs in on Keycloak's page, accepts the consent screen
// when Keycloak shows one, and the client reads the code from the redirect (nothing listens on localhost:6274: the
// browser's request to it is intercepted).
const browser = await chromium.launch({
  executablePath: env('CHROMIUM', '/usr/bin/chromium'),
  headless: true,
  args: ['--no-sandbox'],
});

async function signIn(authorizationUrl, username) {
  const context = await browser.newContext(); // a fresh browser profile per person: no shared Keycloak session
  const page = await context.newPage();
  const steps = [];
  try {
    let resolveCode;
    const codeArrived = new Promise((resolve) => { resolveCode = resolve; });
    await context.route(`${new URL(REDIRECT).origin}/**`, async (route) => {
      resolveCode(new URL(route.request().url()));
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<p>signed in; you may close this tab</p>' });
    });
    const opened = await page.goto(authorizationUrl.toString());
    steps.push({ browser: `GET ${redactUrl(authorizationUrl.toString())}`, status: opened?.status() ?? null });
    const loginForm = page.locator('#kc-form-login');
    await loginForm.waitFor({ timeout: STEP_TIMEOUT_MS }).catch(async () => {
      throw new Error(`no Keycloak login form at ${redactUrl(page.url())}: ${(await page.textContent('body'))?.trim().slice(0, 300)}`);
    });
    steps.push({ browser: 'login page', title: await page.title(), action: redactUrl(await loginForm.getAttribute('action')) });
    await page.fill('#username', username);
    await page.fill('#password', passwords[username]);
    await page.click('#kc-login');
    steps.push({ browser: `submitted the login form as ${username}` });

    // After the login: either the redirect with the code, or Keycloak's consent screen first, or an error page. The
    // watchers that lose the race are silenced (they reject when the page closes) so none becomes an unhandled rejection.
    const consent = page.locator('[name=accept]');
    const outcome = await within(Promise.race([
      codeArrived.then((url) => ({ url })),
      quiet(consent.waitFor({ timeout: STEP_TIMEOUT_MS }).then(() => ({ consent: true }))),
      quiet(page.locator('#input-error, .kc-feedback-text, #kc-error-message').first()
        .waitFor({ timeout: STEP_TIMEOUT_MS }).then(async () => ({ error: (await page.textContent('body'))?.trim().slice(0, 300) }))),
    ]), STEP_TIMEOUT_MS, 'the redirect, a consent screen or an error page after the login');
    let callback = outcome.url;
    if (outcome.error) throw new Error(`Keycloak refused the login: ${outcome.error}`);
    if (outcome.consent) {
      steps.push({ browser: 'consent screen', scopesShown: (await page.locator('#kc-oauth li, ul li').allTextContents())
        .map((text) => text.trim()).filter(Boolean) });
      await consent.click();
      steps.push({ browser: 'accepted the consent screen' });
      callback = await within(codeArrived, STEP_TIMEOUT_MS, 'the redirect after the consent');
    }
    steps.push({ browser: `redirected to ${redactUrl(callback.toString())}` });
    if (callback.searchParams.get('error')) {
      throw new Error(`authorization error: ${callback.searchParams.get('error')} ${callback.searchParams.get('error_description') ?? ''}`);
    }
    const code = callback.searchParams.get('code');
    if (!code) throw new Error('the redirect carries no code');
    return { code, steps };
  } finally {
    for (const step of steps) record(step);
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One person through one way in: 401 -> discovery -> (registration) -> browser login -> finishAuth -> MCP calls.
// `person.answer()` is what the person answers when the server asks her to confirm (a form with one boolean).
const connect = async (provider, person) => {
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider, fetch: recordingFetch });
  const client = new Client({ name: 'people-e2e', version: '1.0.0' }, { capabilities: { elicitation: {} } });
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    const answer = person.answer();
    person.asked.push({ message: request.params.message, mode: request.params.mode ?? null,
      fields: Object.keys(request.params.requestedSchema?.properties ?? {}), answer });
    record({ elicitation: request.params.message, answer });
    return answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
  });
  await client.connect(transport);
  return { client, transport };
};
const text = (result) => result.content?.[0]?.text ?? '';

async function person(app, username, productId) {
  const outcome = { way: app.way, username };
  const provider = new PersonProvider({ app, clientMetadataUrl: app.way === 'cimd' ? cimdUrl : undefined });
  try {
    const first = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider, fetch: recordingFetch });
    try {
      await new Client({ name: 'people-e2e', version: '1.0.0' }).connect(first);
      throw new Error('connected without signing in');
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
    }
    const authorizationUrl = provider.authorizationUrls.at(-1);
    if (!authorizationUrl) throw new Error('the SDK did not redirect to the authorization server');
    outcome.clientId = authorizationUrl.searchParams.get('client_id');
    outcome.requestedScope = authorizationUrl.searchParams.get('scope');
    outcome.resource = authorizationUrl.searchParams.get('resource');
    outcome.pkce = authorizationUrl.searchParams.get('code_challenge_method');
    const { code } = await signIn(authorizationUrl, username);
    await first.finishAuth(code);
    await first.close();
    outcome.grantedScope = provider.savedTokens?.scope ?? null;
    outcome.refreshToken = Boolean(provider.savedTokens?.refresh_token);

    let answer = 'decline';
    const asked = [];
    const { client, transport } = await connect(provider, { answer: () => answer, asked });
    outcome.asked = asked;
    outcome.tools = (await client.listTools()).tools.map((tool) => tool.name);
    outcome.whoami = JSON.parse(text(await client.callTool({ name: 'whoami', arguments: {} })));
    const productIds = async () => JSON.parse(text(await client.callTool({ name: 'list_products', arguments: {} })))
      .map((product) => product.id);
    if (outcome.tools.includes('delete_product')) {
      // she may delete: the server asks her to confirm first, and this time she declines
      const declined = await client.callTool({ name: 'delete_product', arguments: { id: productId } });
      outcome.declined = { ok: !declined.isError, text: text(declined).slice(0, 200), productsAfter: await productIds() };
      answer = 'accept';
    }
    const before = provider.authorizationUrls.length;
    try {
      const deleted = await client.callTool({ name: 'delete_product', arguments: { id: productId } });
      outcome.delete = { ok: !deleted.isError, text: text(deleted).slice(0, 200) };
    } catch (error) {
      outcome.delete = { ok: false, error: String(error?.message ?? error), code: error?.code ?? null };
    }
    outcome.delete.productId = productId;
    outcome.delete.newAuthorizationRedirects = provider.authorizationUrls.length - before;
    outcome.productsAfter = await productIds();
    await transport.terminateSession().catch(() => {});
    await client.close();
  } catch (error) {
    outcome.error = String(error?.stack ?? error);
  }
  return { outcome, provider };
}

// ---------------------------------------------------------------------------------------------------------------
const asMetadata = async () => {
  const url = new URL(issuer);
  const response = await fetch(`${url.origin}/.well-known/oauth-authorization-server${url.pathname}`);
  return response.json();
};

// A registration no loopback client would send: a redirect to another host. Keycloak must refuse it.
async function hostileRegistration(metadata) {
  currentWay = 'hostile-registration';
  currentUser = null;
  const response = await recordingFetch(metadata.registration_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'not a loopback client', redirect_uris: ['https://attacker.example/cb'],
      grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'none',
      scope: 'mcp:read' }),
  });
  const body = await response.text();
  let error = null;
  try {
    const parsed = JSON.parse(body);
    error = { error: parsed.error ?? null, error_description: parsed.error_description ?? null, client_id: parsed.client_id ?? null };
  } catch {
    error = { body: body.slice(0, 200) };
  }
  return { status: response.status, ...error };
}

// What a browser-based client does: a page on the allowed origin calls the MCP server with fetch() and a bearer
// token; the browser itself sends the CORS preflight and lets the page read the answer only if the server allows it.
async function browserCors(token) {
  currentWay = 'browser-cors';
  currentUser = 'alice';
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${pageOrigin}/`);
    const result = await page.evaluate(async ({ mcpUrl, token }) => {
      const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18',
        capabilities: {}, clientInfo: { name: 'people-e2e-page', version: '1.0.0' } } };
      const out = { origin: location.origin };
      try {
        const unauthenticated = await fetch(mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json',
          accept: 'application/json, text/event-stream' }, body: JSON.stringify(initialize) });
        out.withoutToken = { status: unauthenticated.status,
          wwwAuthenticateReadable: unauthenticated.headers.get('www-authenticate') !== null };
      } catch (error) {
        out.withoutToken = { error: String(error) };
      }
      try {
        const response = await fetch(mcpUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`,
          'content-type': 'application/json', accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-06-18' }, body: JSON.stringify(initialize) });
        const body = await response.text();
        const json = body.startsWith('{') ? JSON.parse(body)
          : JSON.parse(body.split('\n').find((line) => line.startsWith('data:'))?.slice(5) ?? '{}');
        out.withToken = { status: response.status, sessionIdReadable: response.headers.get('mcp-session-id') !== null,
          serverName: json?.result?.serverInfo?.name ?? null };
      } catch (error) {
        out.withToken = { error: String(error) };
      }
      return out;
    }, { mcpUrl, token });
    record({ browser: `page ${pageOrigin} fetch POST ${mcpUrl} without a token`, ...result.withoutToken });
    record({ browser: `page ${pageOrigin} fetch POST ${mcpUrl} with Authorization: Bearer <redacted>`, ...result.withToken });
    return result;
  } finally {
    await context.close();
  }
}

// The preflight as the browser sends it, read from Node so its headers can be shown; and a request from an Origin
// the server does not allow, carrying a valid token: it must be refused before the token is looked at.
async function rawOriginChecks(token) {
  currentWay = 'origin-checks';
  currentUser = 'alice';
  const preflight = await fetch(mcpUrl, { method: 'OPTIONS', headers: { origin: pageOrigin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'authorization,content-type,mcp-protocol-version,mcp-session-id' } });
  const preflightEntry = { request: `OPTIONS ${mcpUrl}`, origin: pageOrigin, status: preflight.status,
    allowOrigin: preflight.headers.get('access-control-allow-origin'),
    allowMethods: preflight.headers.get('access-control-allow-methods'),
    allowHeaders: preflight.headers.get('access-control-allow-headers') };
  record(preflightEntry);
  const evil = await fetch(mcpUrl, { method: 'POST', headers: { origin: 'http://evil.example',
    authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18',
      capabilities: {}, clientInfo: { name: 'evil', version: '1' } } }) });
  await evil.text();
  const evilEntry = { request: `POST ${mcpUrl}`, origin: 'http://evil.example', authorization: 'Bearer <redacted>',
    status: evil.status, allowOrigin: evil.headers.get('access-control-allow-origin') };
  record(evilEntry);
  return { preflight: preflightEntry, disallowedOrigin: evilEntry };
}

// ---------------------------------------------------------------------------------------------------------------
const result = { transcript, ways: {}, cimdUrl, redirect: REDIRECT, browser: browser.version() };
try {
  const metadata = await asMetadata();
  result.authorizationServer = {
    issuer: metadata.issuer,
    registration_endpoint: Boolean(metadata.registration_endpoint),
    client_id_metadata_document_supported: metadata.client_id_metadata_document_supported ?? false,
  };
  // Each way uses its own product, so bob's delete in one way does not decide alice's check in the next.
  // WAYS picks some (e.g. preregistered,dcr against the dev stack, whose Keycloak does not trust the test certificate).
  const chosen = (process.env.WAYS ?? 'preregistered,dcr,cimd').split(',').map((way) => way.trim());
  const ways = [
    { way: 'preregistered', clientInformation: { client_id: 'mcp-inspector' }, product: 'p-1' },
    { way: 'dcr', clientInformation: undefined, product: 'p-2' },
    { way: 'cimd', clientInformation: undefined, product: 'p-3' },
  ].filter((app) => chosen.includes(app.way));
  let aliceToken;
  for (const app of ways) {
    result.ways[app.way] = {};
    for (const username of ['alice', 'bob']) {
      currentWay = app.way;
      currentUser = username;
      const { outcome, provider } = await person(app, username, app.product);
      result.ways[app.way][username] = outcome;
      if (app.way === 'preregistered' && username === 'alice') aliceToken = provider.savedTokens?.access_token;
    }
    result.ways[app.way].registeredClientId = app.clientInformation?.client_id ?? null;
  }
  result.cimdFetches = cimdFetches;
  result.hostileRegistration = await hostileRegistration(metadata);
  if (aliceToken) {
    result.browserCors = await browserCors(aliceToken);
    result.origins = await rawOriginChecks(aliceToken);
  } else {
    result.browserCors = { error: 'alice has no token from the pre-registered client' };
  }
} catch (error) {
  result.error = String(error?.stack ?? error);
} finally {
  await browser.close().catch(() => {});
  documentServer.close();
  pageServer.close();
}
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
