// The MCP Inspector 2.12.0 web UI, used by a person: headless Chromium (Debian's, driven by playwright-core, which
// downloads no browser) opens the Inspector's page, switches the server on, follows the Inspector's OWN OAuth flow to
// Keycloak's login page, signs in, grants access, lists the tools, runs whoami, and tries delete_product. Everything
// it reports is read from the pages (the Inspector's and Keycloak's), not from HTTP traffic.
//
// Driven by InspectorWebTest, once per person and protocol era, against an Inspector the test started for that run.
// Inputs from the environment only (never the command line, visible in ps):
//   INSPECTOR_URL  the page, with ?MCP_INSPECTOR_API_TOKEN=... (the Inspector's own API token: kept out of the output)
//   PERSON, PASSWORD  who signs in on Keycloak's page
//   ERA           modern or legacy: what the test started the Inspector with (recorded only)
//   PRODUCT       the product id the person tries to delete
//   SHOTS         directory for screenshots; CHROMIUM (default /usr/bin/chromium)
// Prints one JSON object on stdout. Nothing in it is a token, a code, a secret or a password: the authorization URL
// is recorded by its path and a few named parameters only, and the page texts recorded hold none.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
};
const inspectorUrl = env('INSPECTOR_URL');
const inspectorOrigin = new URL(inspectorUrl).origin;
const person = env('PERSON');
const password = env('PASSWORD');
const era = env('ERA');
const product = env('PRODUCT');
const shots = env('SHOTS');
mkdirSync(shots, { recursive: true });
const STEP_MS = 30_000;

const result = { person, era, steps: [] };
const seen = (what, value) => { result[what] = value; };
const text = async (locator) => (await locator.innerText({ timeout: STEP_MS })).replace(/\s+\n/g, '\n').trim();

const browser = await chromium.launch({
  executablePath: env('CHROMIUM', '/usr/bin/chromium'),
  headless: true,
  args: ['--no-sandbox'],
});
result.browser = `Chromium ${browser.version()}`;
const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
const page = await context.newPage();
page.setDefaultTimeout(STEP_MS);
const shot = async (name) => {
  const file = `${shots}/${era}-${person}-${name}.png`;
  await page.screenshot({ path: file, fullPage: true });
  return file;
};
const step = async (name, action) => {
  const started = Date.now();
  try {
    await action();
    result.steps.push({ step: name, ms: Date.now() - started });
  } catch (error) {
    result.steps.push({ step: name, ms: Date.now() - started, error: String(error.message ?? error).split('\n')[0] });
    result.error = `${name}: ${String(error.message ?? error).split('\n')[0]}`;
    result.failedAt = await shot('failed').catch(() => null);
    throw error;
  }
};

// The server card on the Servers page: its name, state ("Disconnected", "Connected", "Failed"), transport, era.
const serverCard = () => page.locator('div', { has: page.getByRole('switch') }).filter({ hasText: '/mcp' }).last();
// The Inspector's cards are Mantine Paper elements (the pinned 2.12.0 UI): the one under a heading is that panel.
const card = (heading) => page.locator('.mantine-Paper-root', { has: page.getByRole('heading', { name: heading }) }).last();
// The Tools page's result panel (an Ace editor holding the result's JSON), once a tool has run.
const resultText = async () => {
  const editor = card('Results').locator('.ace_content').first();
  return (await editor.count()) === 0 ? '' : (await editor.innerText()).trim();
};
// Runs a tool the page lists and returns what the result panel shows once it changed.
const runTool = async (name) => {
  const before = await resultText();
  await page.getByRole('button', { name, exact: true }).click();
  await page.getByRole('button', { name: 'Execute Tool' }).click();
  return newResult(before);
};
const newResult = async (before) => {
  const deadline = Date.now() + STEP_MS;
  for (;;) {
    const now = await resultText();
    if (now !== '' && now !== before) return now;
    if (Date.now() > deadline) throw new Error(`the result panel did not change within ${STEP_MS} ms`);
    await page.waitForTimeout(200);
  }
};

try {
  await step('open the Inspector', async () => {
    await page.goto(inspectorUrl);
    await serverCard().getByText('Disconnected', { exact: true }).waitFor();
    seen('before', await text(serverCard()));
  });

  await step('switch the server on', async () => {
    await serverCard().getByRole('switch').click({ force: true });
    await page.waitForURL((url) => url.pathname.includes('/protocol/openid-connect/auth'));
    const url = new URL(page.url());
    const parameter = (name) => url.searchParams.get(name);
    seen('authorizationRequest', {
      path: url.pathname,
      client_id: parameter('client_id'),
      redirect_uri: parameter('redirect_uri'),
      scope: parameter('scope'),
      resource: parameter('resource'),
      code_challenge_method: parameter('code_challenge_method'),
    });
  });

  await step('sign in on Keycloak\'s login page', async () => {
    await page.locator('#kc-form-login').waitFor();
    seen('loginPage', { title: await page.title(), heading: await text(page.locator('h1').first()) });
    await page.fill('#username', person);
    await page.fill('#password', password);
    await page.click('#kc-login');
  });

  await step('grant access on Keycloak\'s consent page', async () => {
    // Keycloak asks a self-registered client's user for consent; a client that needs none goes straight back.
    // (The losing wait is left to time out; its failure must not end the script.)
    const consent = await Promise.race([
      page.getByRole('button', { name: 'Yes' }).waitFor().then(() => 'consent'),
      page.waitForURL((url) => url.origin === inspectorOrigin).then(() => 'back'),
    ].map((outcome) => outcome.catch(() => 'none')));
    if (consent === 'none') throw new Error('neither Keycloak\'s consent page nor the Inspector came after the login');
    if (consent === 'consent') {
      seen('consentPage', await text(page.locator('#kc-content, main, body').first()));
      await page.getByRole('button', { name: 'Yes' }).click();
    }
    await page.waitForURL((url) => url.origin === inspectorOrigin && !url.pathname.startsWith('/oauth/callback'));
  });

  await step('connected', async () => {
    await serverCard().getByText('Connected', { exact: true }).waitFor();
    seen('after', await text(serverCard()));
    seen('signedInScreenshot', await shot('signed-in'));
  });

  await step('read the Network panel', async () => {
    await page.getByText('Network', { exact: true }).first().click();
    const panel = card(/^Requests \(\d+\)$/);
    await panel.waitFor();
    // Each request the Inspector made (through its backend) is a card: time, method, kind, duration, status, URL.
    const entries = [];
    for (const line of (await text(panel)).split('\n').map((l) => l.trim())) {
      if (/^\d\d:\d\d:\d\d$/.test(line)) entries.push({ kinds: [] });
      const entry = entries[entries.length - 1];
      if (!entry) continue;
      if (/^(GET|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(line)) entry.method = line;
      else if (/^[A-Z]+$/.test(line)) entry.kinds.push(line);
      else if (/^\d{3}( |$)/.test(line)) entry.status = line;
      else if (/^https?:\/\//.test(line)) entry.url = line.replace(/[?#].*$/, ''); // no query: nothing secret
    }
    seen('network', entries.reverse());
    await page.getByText('Protocol', { exact: true }).first().click();
  });

  await step('list the tools', async () => {
    await page.getByText('Tools', { exact: true }).first().click();
    const heading = page.getByText(/^Tools \(\d+\)$/);
    await heading.waitFor();
    const list = page.locator('div', { has: heading }).filter({ has: page.getByRole('button') }).last();
    seen('toolsHeading', await text(heading));
    seen('tools', await list.getByRole('button').evaluateAll((buttons) => buttons
      .map((b) => b.innerText.trim()).filter((name) => /^[a-z_]+$/.test(name))));
  });

  await step('run whoami', async () => {
    seen('whoami', await runTool('whoami'));
    seen('whoamiScreenshot', await shot('whoami'));
  });

  if (!result.tools.includes('delete_product')) {
    // The only way the page offers to call a tool it does not list: edit a call in the message history and replay it.
    await step('try delete_product through "Edit and replay"', async () => {
      // The history card's method badge reads TOOLS/CALL on the page (CSS upper case), tools/call in the DOM.
      const call = page.locator('div', { has: page.getByText(/^tools\/call$/i) })
        .filter({ hasText: 'whoami' }).filter({ has: page.getByRole('button', { name: 'Edit and replay' }) }).last();
      await call.getByRole('button', { name: 'Edit and replay' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('tools/call', { exact: true }).waitFor();
      await dialog.locator('.ace_content').click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText(JSON.stringify({ name: 'delete_product', arguments: { id: product } }));
      await dialog.getByRole('button', { name: 'Send' }).click();
      // What the page answers: a notification (Mantine's, in the pinned UI; others, e.g. "Authorization complete",
      // may still be showing), or an error in the result panel had the call gone out.
      const notice = page.locator('.mantine-Notification-root')
        .filter({ hasText: /replay|delete_product|insufficient|forbidden|403|denied/i }).first();
      await notice.waitFor();
      seen('delete', { via: 'edit and replay', shown: await text(notice) });
      seen('deleteScreenshot', await shot('delete'));
      // The dialog may close by itself once the notification shows; if it stays open, the person cancels it.
      await dialog.waitFor({ state: 'hidden', timeout: 3000 })
        .catch(() => dialog.getByRole('button', { name: 'Cancel' }).click({ timeout: 5000 }))
        .catch(() => page.keyboard.press('Escape'));
    });
  } else {
    await step('delete a product', async () => {
      const before = await resultText();
      await page.getByRole('button', { name: 'delete_product', exact: true }).click();
      await page.getByRole('textbox', { name: /id/i }).first().fill(product);
      await page.getByRole('button', { name: 'Execute Tool' }).click();
      const shown = [];
      // The server asks the person to confirm when the client can show a form (2026-07-28: an input request; 2025-11-25:
      // elicitation/create); the Inspector shows it, the person ticks "Delete it" and submits.
      const form = page.getByRole('dialog').filter({ hasText: `Delete product ${product}?` });
      const outcome = await Promise.race([
        form.waitFor().then(() => 'form'),
        newResult(before).then(() => 'result'),
      ].map((outcome) => outcome.catch(() => 'none')));
      if (outcome === 'none') throw new Error('neither a confirmation form nor a result appeared');
      if (outcome === 'form') {
        await page.waitForTimeout(500); // the dialog fades in
        shown.push(await text(form));
        await shot('confirm');
        await form.getByRole('checkbox').first().check();
        await form.getByRole('button', { name: 'Submit' }).click();
      }
      seen('delete', { via: 'delete_product form', confirmation: shown[0] ?? null, result: await newResult(before) });
      seen('deleteScreenshot', await shot('delete'));
    });
  }

  await step('list the products', async () => {
    seen('productsAfter', await runTool('list_products'));
  });
} catch {
  // recorded by step(); the JSON below says where it stopped
} finally {
  await browser.close();
  process.stdout.write(JSON.stringify(result) + '\n');
}
