import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from '@playwright/test';
import { apps, expect, test, useLoginscope, watchConsole } from './support/fixtures.js';

/*
 * Issue 12, items 9 and 10: the trace list and the HAR show the app's traffic, not Loginscope's own calls
 * (GET /api/workflow, POST /api/ui-events), unless the filter asks for them; and the hosted login form's POST
 * is a real form in the HAR (postData.params), masked unless secrets are asked for.
 */

const ls = useLoginscope();
test.describe.configure({ mode: 'serial', timeout: 90_000 });

const MASK = '[masked]';
const PLUMBING = ['/api/workflow', '/api/ui-events'];

interface HarParam {
  name: string;
  value: string;
}
interface HarDoc {
  log: {
    comment?: string;
    entries: Array<{ request: { method: string; url: string; cookies: HarParam[]; postData?: { mimeType: string; text: string; params?: HarParam[] } } }>;
  };
}

async function openInspector(context: BrowserContext): Promise<{ inspector: Page; problems: string[] }> {
  const inspector = await context.newPage();
  await inspector.setViewportSize({ width: 620, height: 1200 });
  const problems = watchConsole(inspector);
  await inspector.goto(ls.app.inspectorUrl);
  await expect(inspector.getByText('live', { exact: true })).toBeVisible();
  return { inspector, problems };
}

const traceRows = (inspector: Page) => inspector.getByRole('list', { name: 'Trace events' }).getByRole('listitem');
const plumbingFilter = (inspector: Page) => inspector.getByTestId('trace-panel').getByRole('checkbox', { name: "Show Loginscope's own calls" });
const paths = (har: HarDoc) => har.log.entries.map((e) => new URL(e.request.url).pathname);

async function harFromApi(query = ''): Promise<HarDoc> {
  const res = await ls.inspector.get(`/trace.har${query}`);
  expect(res.status).toBe(200);
  return res.json<HarDoc>();
}

/** The HAR exactly as the panel's "Export HAR" link downloads it. */
async function harFromPanel(inspector: Page): Promise<HarDoc> {
  const [download] = await Promise.all([inspector.waitForEvent('download'), inspector.getByTestId('trace-panel').getByRole('link', { name: 'Export HAR' }).click()]);
  return JSON.parse(await readFile((await download.path())!, 'utf8')) as HarDoc;
}

test('native-refresh: own calls are hidden from the list and the HAR by default, still recorded, and one filter shows them', async ({ context }) => {
  const { inspector, problems } = await openInspector(context);
  const page = await context.newPage();
  const pageProblems = watchConsole(page);
  await page.goto(`${ls.app.urls.store}/`);
  await expect(apps.loginForm(page)).toBeVisible();

  // Step 5 is lit by the page's POST /api/ui-events: hiding the row must not hide the evidence.
  await expect(inspector.locator('[data-step="5"][data-seen="true"]')).toBeVisible();
  const { events } = await ls.inspector.get('/trace').then((r) => r.json<{ events: Array<{ type: string; path?: string; plumbing?: boolean }> }>());
  for (const path of PLUMBING) expect(events.filter((e) => e.path === path).map((e) => e.plumbing), `${path} recorded and flagged`).toContain(true);
  expect(events.find((e) => e.path === '/api/me')).not.toHaveProperty('plumbing');

  // The app's own traffic is listed (so "no plumbing rows" below is not an empty list passing by default).
  await expect(traceRows(inspector).filter({ hasText: 'GET /api/me' }).first()).toBeVisible();
  await expect(traceRows(inspector).filter({ hasText: 'browser.rendered' }).first()).toBeVisible();
  for (const path of PLUMBING) await expect(traceRows(inspector).filter({ hasText: path })).toHaveCount(0);
  await expect(plumbingFilter(inspector)).not.toBeChecked();
  expect(paths(await harFromPanel(inspector)).filter((p) => PLUMBING.includes(p))).toEqual([]);

  await plumbingFilter(inspector).check();
  await expect(traceRows(inspector).filter({ hasText: 'GET /api/workflow' }).first()).toBeVisible();
  await expect(traceRows(inspector).filter({ hasText: 'POST /api/ui-events → 204' }).first()).toBeVisible();
  expect(paths(await harFromPanel(inspector))).toEqual(expect.arrayContaining(PLUMBING));

  await plumbingFilter(inspector).uncheck();
  for (const path of PLUMBING) await expect(traceRows(inspector).filter({ hasText: path })).toHaveCount(0);

  // Logged in, the store's cookies are on later requests: `include` combines secrets and plumbing either way.
  await apps.logInWithForm(page);
  await expect(apps.cart(page)).toBeVisible();
  const session = (await context.cookies(ls.app.urls.store)).find((c) => c.name === 'store_session')!.value;
  const sessionSent = (har: HarDoc) => har.log.entries.flatMap((e) => e.request.cookies).filter((c) => c.name === 'store_session').map((c) => c.value);

  const plain = await harFromApi();
  expect(paths(plain)).toContain('/api/login');
  expect(paths(plain).filter((p) => PLUMBING.includes(p))).toEqual([]);
  expect(new Set(sessionSent(plain))).toEqual(new Set([MASK]));

  const secrets = await harFromApi('?include=secrets');
  expect(paths(secrets).filter((p) => PLUMBING.includes(p))).toEqual([]);
  expect(sessionSent(secrets)).toContain(session);

  for (const query of ['?include=secrets&include=plumbing', '?include=plumbing,secrets']) {
    const both = await harFromApi(query);
    expect(paths(both), query).toEqual(expect.arrayContaining(PLUMBING));
    expect(sessionSent(both), query).toContain(session);
  }
  const plumbingOnly = await harFromApi('?include=plumbing');
  expect(paths(plumbingOnly)).toEqual(expect.arrayContaining(PLUMBING));
  expect(sessionSent(plumbingOnly)).not.toContain(session);

  expect(problems).toEqual([]);
  expect(pageProblems).toEqual([]);
});

test('implicit-session: the hosted form POST is in the HAR as its real fields, masked by default', async ({ context }) => {
  expect((await ls.inspector.workflow('implicit-session')).status).toBe(200);
  const page = await context.newPage();
  const pageProblems = watchConsole(page);
  await page.goto(`${ls.app.urls.store}/`);
  await page.getByRole('button', { name: 'Log in with FusionAuth' }).click();
  await page.getByLabel('Email').fill('demo@example.com');
  await page.getByLabel('Password').fill('demo-password');
  // What the browser is about to post, in its order: the HAR's params must name the same fields.
  const posted = await page.getByRole('button', { name: 'Log in', exact: true }).evaluate((button) => {
    const names: string[] = [];
    new FormData((button as HTMLButtonElement).form!).forEach((_value, name) => names.push(name));
    return names;
  });
  expect(posted).toEqual(expect.arrayContaining(['loginId', 'password', 'client_id', 'redirect_uri']));
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(apps.cart(page)).toBeVisible();

  const formPost = (har: HarDoc) => {
    const posts = har.log.entries.filter((e) => e.request.method === 'POST' && new URL(e.request.url).pathname === '/oauth2/authorize');
    expect(posts).toHaveLength(1);
    return posts[0]!.request.postData!;
  };

  const masked = formPost(await harFromApi());
  expect(masked.mimeType).toMatch(/^application\/x-www-form-urlencoded/);
  expect(masked.params, 'the form as HAR params').toBeDefined();
  expect(masked.params!.map((p) => p.name)).toEqual(posted);
  expect(masked.params).toContainEqual({ name: 'loginId', value: 'demo@example.com' });
  expect(masked.params).toContainEqual({ name: 'password', value: MASK });
  expect(masked.params).toContainEqual({ name: 'csrfToken', value: MASK });
  // `text` is the urlencoded form the params make, not JSON.
  expect(masked.text.startsWith('{')).toBe(false);
  expect([...new URLSearchParams(masked.text)].map(([name, value]) => ({ name, value }))).toEqual(masked.params);

  const full = formPost(await harFromApi('?include=secrets'));
  expect(full.params!.map((p) => p.name)).toEqual(posted);
  const csrf = full.params!.find((p) => p.name === 'csrfToken')!.value;
  expect(csrf).not.toBe(MASK);
  expect(csrf.length).toBeGreaterThan(8);
  expect(new URLSearchParams(full.text).get('csrfToken')).toBe(csrf);
  // The password never enters the trace at all, secrets or not.
  expect(full.text).not.toContain('demo-password');
  expect(pageProblems).toEqual([]);
});
