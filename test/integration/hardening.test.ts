import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isExchange } from '../../backend/trace/types.js';
import { freePort, IdentityOnlyProcess, runCli } from '../support/external-identity.js';
import { formToken, pageState } from '../support/hosted-form.js';
import { Browser } from '../support/http.js';
import { InspectorClient } from '../support/inspector.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';
import { DEMO } from '../support/native-refresh-walk.js';

/** A raw request to 127.0.0.1 with exactly the target and headers given (Node's DNS does not resolve *.localhost). */
function raw(port: number, options: { method?: string; path: string; host: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { host: options.host, ...options.headers }, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loginscope-hardening-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('hostile requests', () => {
  let app: TestLoginscope;
  let inspector: InspectorClient;
  const host = (role: string) => `${role}.localhost:${app.port}`;
  const alive = async () => {
    for (const role of ['store', 'forum', 'login', 'inspector', 'attacker']) expect((await raw(app.port, { path: '/healthz', host: host(role) })).status).toBe(200);
  };

  beforeAll(async () => {
    app = await startTestLoginscope();
    inspector = new InspectorClient(app);
  });
  afterAll(() => app.stop());

  it('deeply nested JSON is 400 invalid_json on every JSON route, and the server lives on (item 1)', async () => {
    const arrays = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const objects = `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`;
    const targets: Array<{ role: string; path: string; headers: Record<string, string> }> = [
      { role: 'forum', path: '/api/logout', headers: {} },
      { role: 'store', path: '/api/login', headers: {} },
      { role: 'login', path: '/api/login', headers: {} },
      { role: 'inspector', path: '/api/switches', headers: { authorization: `Bearer ${app.inspectorToken}` } },
    ];
    for (const body of [arrays, objects]) {
      for (const t of targets) {
        const res = await raw(app.port, { method: 'POST', path: t.path, host: host(t.role), headers: { 'content-type': 'application/json', ...t.headers }, body });
        expect(res.status, `${t.role} ${t.path}`).toBe(400);
        expect(res.body).toMatch(t.role === 'login' ? /invalidJSON/ : /"code":"invalid_json"/);
      }
    }
    // Nesting that a real request may have still parses.
    const fine = await raw(app.port, { method: 'POST', path: '/api/ui-events', host: host('store'), headers: { 'content-type': 'application/json' }, body: '{"view":"cart","x":[[[1]]]}' });
    expect(fine.status).toBe(204);
    await alive();
  });

  it('absolute-form targets and OPTIONS * get answers, not 500 (item 9)', async () => {
    const absolute = await raw(app.port, { path: `http://${host('store')}/api/me`, host: host('store') });
    expect(absolute.status).toBe(404);
    expect(JSON.parse(absolute.body)).toMatchObject({ error: { code: 'not_logged_in' } });
    // The absolute form's authority wins over Host (RFC 9112 §3.2.2): a foreign one is not ours.
    expect((await raw(app.port, { path: 'http://x/api/me', host: host('store') })).status).toBe(421);
    const star = await raw(app.port, { method: 'OPTIONS', path: '*', host: host('store') });
    expect(star.status).toBe(204);
    expect(star.headers.allow).toContain('GET');
    await alive();
  });

  it('POST /api/cookies/observed refuses a __proto__ domain or bad fields with 400, and keeps real ones apart (item 9)', async () => {
    const cookie = { name: 'x', value: 'y', domain: '__proto__', hostOnly: true, path: '/', secure: false, httpOnly: true, sameSite: 'Lax', session: true };
    const proto = await inspector.post('/cookies/observed', { cookies: [cookie] });
    expect(proto.status).toBe(204);
    const state = await inspector.state<{ cookies: Record<string, unknown[]> }>();
    expect(Object.hasOwn(state.cookies, '__proto__')).toBe(true);
    expect((await inspector.post('/cookies/observed', { cookies: [{ ...cookie, sameSite: 'Nope' }] })).status).toBe(400);
    expect((await inspector.post('/cookies/observed', { cookies: [{ name: 1 }] })).status).toBe(400);
  });

  it('/api/switches refuses inherited keys (item 9)', async () => {
    for (const key of ['toString', 'hasOwnProperty', 'constructor']) {
      const res = await inspector.switches({ [key]: true });
      expect(res.status, key).toBe(400);
    }
    const state = await inspector.state();
    expect(Object.keys(state.switches).sort()).toEqual(['audienceCheck', 'injectedScript']);
  });

  it('the attacker origin answers 404 as JSON (item 9)', async () => {
    const res = await new Browser().fetch(`${app.urls.attacker}/nope`);
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('a browser that claims to be a backend in X-Loginscope-Actor is still traced as the browser (item 9)', async () => {
    const before = app.bus.list().length;
    const res = await new Browser().fetch(`${app.urls.store}/api/me`, { headers: { 'x-loginscope-actor': 'store-backend' } });
    expect(res.status).toBe(404);
    const traced = app.bus.list().slice(before).filter(isExchange).filter((e) => e.path === '/api/me');
    expect(traced.map((e) => e.actor)).toEqual(['browser']);
    const attacker = await new Browser().fetch(`${app.urls.store}/api/me`, { headers: { 'x-loginscope-actor': 'attacker' } });
    expect(attacker.status).toBe(404);
    expect(app.bus.list().filter(isExchange).at(-1)).toMatchObject({ path: '/api/me', actor: 'browser' });
  });
});

describe('the hosted login form against other sites (item 2)', () => {
  let app: TestLoginscope;
  beforeAll(async () => {
    app = await startTestLoginscope();
  });
  afterAll(() => app.stop());

  const authorize = () => {
    const params = new URLSearchParams({ client_id: '3c219e58-ed0e-4b18-ad48-f4f92793ae32', redirect_uri: `${app.urls.store}/oauth-redirect`, response_type: 'token', state: 's' });
    return `${app.urls.login}/oauth2/authorize?${params}`;
  };
  const fields = (page: Awaited<ReturnType<Browser['fetch']>>, password = DEMO.password) => ({ ...pageState(page).hidden, loginId: DEMO.email, password, rememberDevice: 'true' });

  it('a cross-site post gets the form again with an error and changes nothing: no SSO cookie, no login, no failure counted', async () => {
    const victim = new Browser();
    const page = await victim.fetch(authorize());
    const before = app.bus.list().length;
    const crossSite: Array<Record<string, string>> = [
      { 'sec-fetch-site': 'cross-site' },
      { origin: app.urls.attacker },
      { 'sec-fetch-site': 'same-site', origin: app.urls.store },
      // An opaque origin (a sandboxed frame elsewhere) is refused unless the browser says the post is same-origin.
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site', origin: 'null' },
    ];
    for (const headers of crossSite) {
      const res = await victim.fetch(`${app.urls.login}/oauth2/authorize`, { form: { ...fields(page), csrfToken: formToken(page) }, headers });
      expect(res.status).toBe(200);
      expect(pageState(res)).toMatchObject({ kind: 'login', error: expect.stringContaining('another site') });
      expect(res.setCookies.some((c) => c.startsWith('fusionauth.sso='))).toBe(false);
    }
    const events = app.bus.list().slice(before).map((e) => e.type);
    expect(events).not.toContain('idp.login.succeeded');
    expect(events).not.toContain('idp.login.failed');
  });

  it('a post without the form token (a page that never saw the form) is refused the same way', async () => {
    const attacker = new Browser();
    const res = await attacker.fetch(`${app.urls.login}/oauth2/authorize`, { form: { client_id: '3c219e58-ed0e-4b18-ad48-f4f92793ae32', redirect_uri: `${app.urls.store}/oauth-redirect`, response_type: 'token', loginId: DEMO.email, password: DEMO.password } });
    expect(res.status).toBe(200);
    expect(pageState(res).error).toMatch(/expired or was not sent from this page/);
    // A token from another visitor's cookie does not fit this one's.
    const other = new Browser();
    const page = await other.fetch(authorize());
    await attacker.fetch(authorize());
    const swapped = await attacker.fetch(`${app.urls.login}/oauth2/authorize`, { form: { ...fields(page), csrfToken: formToken(page) } });
    expect(pageState(swapped).error).toMatch(/expired or was not sent from this page/);
  });

  it('the form token cookie is HttpOnly and SameSite=Strict, and our own page posts fine', async () => {
    const browser = new Browser();
    const page = await browser.fetch(authorize());
    expect(page.setCookies.find((c) => c.startsWith('fusionauth.csrf='))).toMatch(/HttpOnly/i);
    expect(page.setCookies.find((c) => c.startsWith('fusionauth.csrf='))).toMatch(/SameSite=Strict/i);
    const res = await browser.fetch(`${app.urls.login}/oauth2/authorize`, { form: { ...fields(page), csrfToken: formToken(page) }, headers: { origin: app.urls.login, 'sec-fetch-site': 'same-origin' } });
    expect(res.status).toBe(302);
  });

  it("our own form under the page's no-referrer policy (Chromium sends Origin: null, Sec-Fetch-Site: same-origin) posts fine", async () => {
    const browser = new Browser();
    const page = await browser.fetch(authorize());
    const res = await browser.fetch(`${app.urls.login}/oauth2/authorize`, { form: { ...fields(page), csrfToken: formToken(page) }, headers: { origin: 'null', 'sec-fetch-site': 'same-origin' } });
    expect(res.status).toBe(302);
  });

  it('no lockout by default: ten wrong passwords, then the right one logs in', async () => {
    const browser = new Browser();
    for (let i = 0; i < 10; i++) {
      const page = await browser.fetch(authorize());
      const res = await browser.fetch(`${app.urls.login}/oauth2/authorize`, { form: { ...fields(page, 'wrong'), csrfToken: formToken(page) } });
      expect(pageState(res).error).toMatch(/Invalid login credentials/);
    }
    const page = await browser.fetch(authorize());
    expect((await browser.fetch(`${app.urls.login}/oauth2/authorize`, { form: { ...fields(page), csrfToken: formToken(page) } })).status).toBe(302);
  });

  it('the password grant is off: unauthorized_client', async () => {
    const res = await new Browser().fetch(`${app.urls.login}/oauth2/token`, {
      form: { grant_type: 'password', username: DEMO.email, password: DEMO.password, client_id: '3c219e58-ed0e-4b18-ad48-f4f92793ae32', client_secret: '93qZEgdZK49wJn4_Lo4DX2h35HVOhrcvaQvYdjF2kOM' },
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'unauthorized_client', error_reason: 'grant_type_disabled' });
  });
});

describe('private data files (item 3)', () => {
  it('creates the data dir 0700 and every file in it 0600', async () => {
    const dir = path.join(tempDir(), 'fresh');
    const app = await startTestLoginscope({}, dir);
    try {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const file of ['app.db', 'app.db-wal', 'identity.db', 'identity.db-wal']) expect(statSync(path.join(dir, file)).mode & 0o777, file).toBe(0o600);
      expect(app.notices).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('tightens an existing dir that others can read, and says so in one line', async () => {
    const dir = path.join(tempDir(), 'open');
    const first = await startTestLoginscope({}, dir);
    await first.close();
    chmodSync(dir, 0o755);
    chmodSync(path.join(dir, 'app.db'), 0o644);
    const again = await startTestLoginscope({}, dir);
    try {
      expect(again.notices).toEqual([expect.stringMatching(/^Data dir .* was readable by other users; made private \(owner only\): the folder, app\.db\.$/)]);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(path.join(dir, 'app.db')).mode & 0o777).toBe(0o600);
    } finally {
      await again.close();
    }
  });
});

describe('one browser, one refresh: concurrent requests with one refresh cookie (item 4)', () => {
  for (const usage of ['Reusable', 'OneTimeUse'] as const) {
    it(`${usage}: 20 parallel cart requests after the session expired make one refresh and one session, and all answer 200`, async () => {
      const app = await startTestLoginscope({ identity: { kind: 'embedded', refreshTokenUsagePolicy: usage } });
      try {
        const browser = new Browser();
        expect((await browser.fetch(`${app.urls.store}/api/login`, { json: DEMO })).status).toBe(200);
        await new InspectorClient(app).advance(601);
        const before = app.bus.list().length;
        const answers = await Promise.all(Array.from({ length: 20 }, () => browser.fetch(`${app.urls.store}/api/cart`)));
        expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
        const refreshes = app.bus.list().slice(before).filter(isExchange).filter((e) => e.actor === 'store-backend' && e.path === '/api/jwt/refresh');
        expect(refreshes.map((e) => e.status)).toEqual([200]);
        const live = (await new InspectorClient(app).state()).sessions.store.filter((s) => s.status === 'active');
        expect(live).toHaveLength(1);
        // Every answer hands the browser that one session.
        const sids = new Set(answers.map((a) => a.setCookies.find((c) => c.startsWith('store_session='))?.split(';')[0]));
        expect(sids.size).toBe(1);
        // And the browser goes on with it: the next request needs no refresh.
        const next = await browser.fetch(`${app.urls.store}/api/cart`);
        expect(next.status).toBe(200);
        expect(app.bus.list().filter(isExchange).filter((e) => e.actor === 'store-backend' && e.path === '/api/jwt/refresh')).toHaveLength(1);
      } finally {
        await app.stop();
      }
    });
  }
});

describe('bounded sessions (item 5)', () => {
  it('keeps at most 200 ended rows per app, and /api/state returns a page with what it left out', async () => {
    const app = await startTestLoginscope();
    try {
      const browser = new Browser();
      const login = await browser.fetch(`${app.urls.store}/api/login`, { json: DEMO });
      const refreshCookie = login.setCookies.find((c) => c.startsWith('store_refresh_token='))!.split(';')[0]!;
      // A client that keeps only the refresh cookie opens a session on every request.
      for (let i = 0; i < 260; i++) {
        const res = await new Browser().fetch(`${app.urls.store}/api/cart`, { headers: { cookie: refreshCookie } });
        expect(res.status).toBe(200);
      }
      const inspector = new InspectorClient(app);
      const state = await inspector.state<{ sessions: { store: unknown[] }; leftOut: { sessions: { store: number } } }>();
      expect(state.sessions.store).toHaveLength(100);
      expect(state.leftOut.sessions.store).toBe(261 - 100);
      await inspector.advance(601);
      const db = new Database(path.join(app.dataDir, 'app.db'), { readonly: true });
      try {
        const rows = db.prepare(`SELECT COUNT(*) AS n, COUNT(ended_at) AS ended FROM sessions WHERE app = 'store'`).get() as { n: number; ended: number };
        expect(rows).toEqual({ n: 200, ended: 200 });
      } finally {
        db.close();
      }
      const after = await inspector.state<{ leftOut: { sessions: { store: number } } }>();
      expect(after.leftOut.sessions.store).toBe(100);
    } finally {
      await app.stop();
    }
  });
});

describe('time survives a restart (item 6)', () => {
  it('a refresh token expired by the clock stays expired after a restart on the same data dir', async () => {
    const dir = path.join(tempDir(), 'clock');
    const first = await startTestLoginscope({}, dir);
    const browser = new Browser();
    expect((await browser.fetch(`${first.urls.store}/api/login`, { json: DEMO })).status).toBe(200);
    await new InspectorClient(first).advance(32_400);
    expect((await browser.fetch(`${first.urls.store}/api/cart`)).status).toBe(401);
    const aheadBy = first.clock.offset();
    await first.close();

    const second = await startTestLoginscope({ port: 0 }, dir);
    try {
      expect(second.clock.offset()).toBe(aheadBy);
      // The browser goes back to the restarted server (a new port, the same cookies).
      const cookies = (await browser.cookies(first.urls.store)).map((c) => `${c.key}=${c.value}`).join('; ');
      expect((await new Browser().fetch(`${second.urls.store}/api/cart`, { headers: { cookie: cookies } })).status).toBe(401);
      const state = await new InspectorClient(second).state<{ clockOffsetMs: number; idp: { refreshTokens: Array<{ status: string }> } }>();
      expect(state.clockOffsetMs).toBe(aheadBy);
      expect(state.idp.refreshTokens.filter((t) => t.status === 'active')).toEqual([]);
      // Reset leaves the clock where it is.
      expect((await new InspectorClient(second).post('/reset')).status).toBe(200);
      expect(second.clock.offset()).toBe(aheadBy);
    } finally {
      await second.close();
    }
  });
});

describe('damaged data files (item 8)', () => {
  const cases: Array<[string, (file: string) => void, RegExp]> = [
    ['garbage', (f) => writeFileSync(f, 'this is not a database at all, just text '.repeat(200)), /damaged or not a Loginscope database/],
    ['truncated', (f) => writeFileSync(f, Buffer.from('SQLite format 3\0'.padEnd(200, '\0'))), /damaged or not a Loginscope database/],
    ['a directory in its place', (f) => mkdirSync(f), /is not a file/],
    ['0 bytes', (f) => writeFileSync(f, ''), /is empty \(0 bytes\)/],
    [
      'a newer schema',
      (f) => {
        const db = new Database(f);
        db.pragma('user_version = 99');
        db.close();
      },
      /has schema version 99, newer than this Loginscope knows \(version \d+\)/,
    ],
  ];
  for (const [what, damage, message] of cases) {
    it(`app.db as ${what}: one line naming the file and what to do, exit 2`, async () => {
      const dir = tempDir();
      damage(path.join(dir, 'app.db'));
      const run = await runCli(['--web', '--no-open', '--port', '0', '--data-dir', dir]);
      expect(run.code).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(path.join(dir, 'app.db'));
      expect(lines[0]).toMatch(message);
      expect(lines[0]).toMatch(/--data-dir/);
      expect(run.stderr).not.toMatch(/at .*\.(ts|js|mjs):\d+/);
    });
  }

  it('a damaged clock.json is named too', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'clock.json'), '{"offsetMs": "soon"}');
    const run = await runCli(['--web', '--no-open', '--port', '0', '--data-dir', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/clock\.json does not hold a clock offset/);
  });
});

describe('logout while the identity server is down (item 7)', () => {
  let idp: IdentityOnlyProcess | undefined;
  let app: TestLoginscope | undefined;
  afterEach(async () => {
    await app?.stop();
    await idp?.stop();
  });

  it('says the identity server could not be told, instead of a clean 204', async () => {
    const port = await freePort();
    idp = await IdentityOnlyProcess.start(port);
    app = await startTestLoginscope({ port, identity: idp.info.config.identity });
    const browser = new Browser();
    expect((await browser.fetch(`${app.urls.store}/api/login`, { json: DEMO })).status).toBe(200);
    await idp.stop();
    const res = await browser.fetch(`${app.urls.store}/api/logout`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ identityServerTold: false, message: expect.stringContaining('could not be told') });
    // The session ended here all the same.
    expect((await browser.fetch(`${app.urls.store}/api/me`)).status).toBe(404);
  });

  it('a clean logout (identity server up) is still 204 and revokes the refresh token', async () => {
    app = await startTestLoginscope();
    const browser = new Browser();
    const login = await browser.fetch(`${app.urls.store}/api/login`, { json: DEMO });
    const refreshCookie = login.setCookies.find((c) => c.startsWith('store_refresh_token='))!.split(';')[0]!;
    expect((await browser.fetch(`${app.urls.store}/api/logout`, { method: 'POST' })).status).toBe(204);
    expect((await new Browser().fetch(`${app.urls.store}/api/cart`, { headers: { cookie: refreshCookie } })).status).toBe(401);
  });
});

describe('Node too old (item 10)', () => {
  const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
  const version = systemNode ? (nodeVersionOf(systemNode) ?? '') : '';
  const old = version !== '' && Number(version.split('.')[0]) < 22;
  it.skipIf(!old)(`the launcher says what it needs in one line and exits 2 (needs a system Node older than 22; found ${version || 'none'})`, async () => {
    const run = spawnSync(systemNode!, [path.resolve('out/loginscope.mjs'), '--web', '--no-open', '--port', '0', '--data-dir', tempDir()], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(/^Loginscope needs Node 22\.12 or newer; this is Node 2\d\.\d+\.\d+\. `npm install` brings a Node 22/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

function nodeVersionOf(node: string): string | undefined {
  try {
    return execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}
