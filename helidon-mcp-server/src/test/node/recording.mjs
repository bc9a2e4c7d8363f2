// Shared by the SDK end-to-end scripts (e2e.mjs, orders-e2e.mjs): inputs from the environment and a fetch that
// records every HTTP exchange the SDK makes. Nothing here writes a token or a secret: what a script records of the
// request's credentials is its own `annotate` (redacted, or a hash).

// The value of environment variable `name`; missing or empty is an error naming it.
export const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
};

// A fetch for the SDK's transport that pushes one entry per exchange onto `transcript`: method and URL, what
// `annotate(entry, headers, url, init)` adds, the JSON-RPC method (and tool of a tools/call), the status and the
// WWW-Authenticate challenge.
export const recordingFetch = (transcript, annotate) => async (input, init = {}) => {
  const url = typeof input === 'string' ? input : input.url ?? String(input);
  const entry = { request: `${init.method ?? 'GET'} ${url}` };
  annotate(entry, new Headers(init.headers ?? {}), url, init);
  if (typeof init.body === 'string') {
    try {
      const message = JSON.parse(init.body);
      entry.rpc = message.method ?? 'response';
      if (message.method === 'tools/call') entry.tool = message.params?.name;
    } catch {
      entry.rpc = 'non-json body';
    }
  }
  const response = await fetch(input, init);
  entry.status = response.status;
  const challenge = response.headers.get('www-authenticate');
  if (challenge) entry.wwwAuthenticate = challenge;
  transcript.push(entry);
  return response;
};
