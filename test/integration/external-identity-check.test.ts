import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../backend/db.js';
import { IdentityConnectionError } from '../../backend/fusionauth/connection-check.js';
import { IDENTITY_MIGRATIONS } from '../../backend/idp/schema.js';
import { applyIdentitySeed, readIdentitySeed } from '../../backend/idp/seed.js';
import { IdentityStore } from '../../backend/idp/store.js';
import { freePort, IdentityOnlyProcess, runCli, startCli, type IdentityOnlyInfo } from '../support/external-identity.js';
import { Browser } from '../support/http.js';
import { InspectorClient } from '../support/inspector.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

type Identity = IdentityOnlyInfo['config']['identity'];
interface Problem {
  check: string;
  app?: string;
  message: string;
}
interface CheckResult {
  ok: boolean;
  fatal: boolean;
  problems: Problem[];
}

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loginscope-check-'));
  dirs.push(dir);
  return dir;
};

/** One line per failure, naming what to fix. */
function expectOneLiners(problems: Problem[]): void {
  for (const p of problems) {
    expect(p.message).not.toMatch(/\n/);
    expect(p.message).toMatch(/: /);
  }
}

/** A FusionAuth in front of the identity-only process whose JWKS says what the test wants (e.g. an HMAC-only FusionAuth: empty). */
async function jwksProxy(targetPort: number, jwks: () => unknown): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/.well-known/jwks.json')) {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify(jwks()));
    }
    const upstream = http.request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: { ...req.headers, host: `login.localhost:${targetPort}` } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://login.localhost:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('connection check against an external identity server (identity-only child processes)', () => {
  let appPort: number;
  let good: IdentityOnlyProcess;
  let broken: IdentityOnlyProcess;

  beforeAll(async () => {
    appPort = await freePort();
    // A well set-up identity server, and one whose database was changed the way a hand-made FusionAuth goes wrong:
    // the forum lacks the implicit grant, the store makes no Login-API refresh tokens, the demo user is not there.
    const brokenDir = tempDir();
    const store = new IdentityStore(openDatabase(path.join(brokenDir, 'identity.db'), IDENTITY_MIGRATIONS));
    applyIdentitySeed(store, readIdentitySeed(), Date.now());
    store.db.prepare(`UPDATE applications SET enabled_grants = '["authorization_code","refresh_token"]' WHERE app = 'forum'`).run();
    store.db.prepare(`UPDATE applications SET generate_refresh_tokens = 0 WHERE app = 'store'`).run();
    store.db.prepare(`UPDATE users SET email = 'someone-else@example.com' WHERE email = 'demo@example.com'`).run();
    store.db.close();
    [good, broken] = await Promise.all([IdentityOnlyProcess.start(appPort), IdentityOnlyProcess.start(appPort, { dataDir: brokenDir })]);
  });
  afterAll(async () => {
    await Promise.all([good?.stop(), broken?.stop()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function checkWith(identity: Identity, port = appPort): Promise<{ app: TestLoginscope; atStart: CheckResult; onDemand: CheckResult; inState: CheckResult }> {
    const app = await startTestLoginscope({ port, identity });
    try {
      const inspector = new InspectorClient(app);
      const demand = await inspector.post('/identity/check');
      expect(demand.status).toBe(200);
      const inState = (await inspector.state<{ identity: { check: CheckResult } }>()).identity.check;
      return { app, atStart: app.identityCheck as CheckResult, onDemand: demand.json<CheckResult>(), inState };
    } finally {
      await app.stop();
    }
  }

  it('a well set-up server passes: at start, on demand, and in GET /api/state', async () => {
    const { atStart, onDemand, inState } = await checkWith(good.info.config.identity);
    for (const result of [atStart, onDemand, inState]) expect(result).toMatchObject({ ok: true, fatal: false, problems: [] });
  });

  it('an unknown application id: one line naming identity.applications.<app>.id', async () => {
    const unknown = randomUUID();
    const identity = { ...good.info.config.identity, applications: { ...good.info.config.identity.applications, store: { id: unknown } } };
    const { atStart, onDemand, inState } = await checkWith(identity);
    expect(atStart).toMatchObject({ ok: false, fatal: false });
    expect(atStart.problems).toEqual([{ check: 'application', app: 'store', message: expect.stringContaining(`identity.applications.store.id ${unknown} is not an application in FusionAuth`) }]);
    expect(onDemand.problems).toEqual(atStart.problems);
    expect(inState.problems).toEqual(atStart.problems);
    expectOneLiners(atStart.problems);
  });

  it('redirect URIs registered for another port: one line per application naming the exact URI to add', async () => {
    const otherPort = await freePort();
    const { atStart } = await checkWith(good.info.config.identity, otherPort);
    expect(atStart.problems).toEqual([
      { check: 'redirectUri', app: 'store', message: expect.stringContaining(`does not register http://store.localhost:${otherPort}/oauth-redirect exactly (it has http://store.localhost:${appPort}/oauth-redirect)`) },
      { check: 'redirectUri', app: 'forum', message: expect.stringContaining(`does not register http://forum.localhost:${otherPort}/oauth-redirect exactly (it has http://forum.localhost:${appPort}/oauth-redirect)`) },
    ]);
    expectOneLiners(atStart.problems);
  });

  it('a missing grant, no Login-API refresh tokens, no demo user: one line each', async () => {
    const { atStart } = await checkWith(broken.info.config.identity);
    expect(atStart.fatal).toBe(false);
    expect(atStart.problems).toEqual([
      { check: 'refreshTokens', app: 'store', message: expect.stringMatching(/^The store application does not generate refresh tokens for the Login API: turn on loginConfiguration\.generateRefreshTokens/) },
      { check: 'grants', app: 'forum', message: 'The forum application does not enable the implicit grant: add implicit to its OAuth → Enabled grants.' },
      { check: 'demoUser', message: expect.stringMatching(/^The demo user demo@example\.com is not in FusionAuth: create it/) },
    ]);
    expectOneLiners(atStart.problems);
  });

  it('an empty JWKS (HMAC signing), or one without the applications\' key: one line naming the key to set', async () => {
    let keys: unknown[] = [];
    const proxy = await jwksProxy(good.port, () => ({ keys }));
    try {
      const identity = { ...good.info.config.identity, url: proxy.url };
      const empty = await checkWith(identity);
      expect(empty.atStart.problems).toEqual([{ check: 'jwks', message: expect.stringMatching(/^FusionAuth publishes no public signing key \(its JWKS is empty: tokens are HMAC-signed\): generate an RSA key/) }]);
      keys = [{ kty: 'RSA', kid: 'some-other-key', n: 'AQAB', e: 'AQAB' }];
      const other = await checkWith(identity);
      expect(other.atStart.problems.map((p) => [p.check, p.app])).toEqual([
        ['jwks', 'store'],
        ['jwks', 'forum'],
      ]);
      expect(other.atStart.problems[0]!.message).toMatch(/^The store application signs access tokens with key [0-9a-f-]{36}, which is not in FusionAuth's JWKS/);
      expectOneLiners([...empty.atStart.problems, ...other.atStart.problems]);
    } finally {
      await proxy.close();
    }
  });

  it('a wrong URL or API key stops start-up in-process with IdentityConnectionError', async () => {
    const closed = await freePort();
    await expect(startTestLoginscope({ port: appPort, identity: { ...good.info.config.identity, url: `http://login.localhost:${closed}` } })).rejects.toBeInstanceOf(IdentityConnectionError);
    await expect(startTestLoginscope({ port: appPort, identity: { ...good.info.config.identity, apiKey: 'wrong' } })).rejects.toThrow(/refused the API key/);
  });

  describe('from the command line', () => {
    const configFile = (identity: Identity) => {
      const dir = tempDir();
      const file = path.join(dir, 'loginscope.config.json');
      writeFileSync(file, JSON.stringify({ identity }));
      return ['--web', '--no-open', '--data-dir', dir, '--config', file];
    };

    it('a wrong URL: exit code 2 and one line', async () => {
      const closed = await freePort();
      const run = await runCli(['--port', '0', ...configFile({ ...good.info.config.identity, url: `http://login.localhost:${closed}` })]);
      expect(run.code).toBe(2);
      expect(run.stdout).not.toMatch(/Loginscope ready/);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^FusionAuth does not answer at http://login\\.localhost:${closed} \\(.+\\): set identity\\.url`));
    });

    it('a URL that answers but is not FusionAuth: exit code 2 and one line', async () => {
      const notFusionAuth = `http://store.localhost:${good.port}`;
      const run = await runCli(['--port', '0', ...configFile({ ...good.info.config.identity, url: notFusionAuth })]);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/openid-configuration answered 421 without an issuer, so .* is not FusionAuth: set identity\.url/)]);
    });

    it('a wrong API key: exit code 2 and one line', async () => {
      const run = await runCli(['--port', '0', ...configFile({ ...good.info.config.identity, apiKey: 'not-the-key' })]);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^FusionAuth refused the API key \(401 on GET \/api\/application\): set identity\.apiKey/)]);
    });

    it('other problems are printed, one line each, and start-up goes on', async () => {
      const running = await startCli(['--port', String(appPort), ...configFile(broken.info.config.identity)]);
      try {
        expect(running.readyLine).toMatch(new RegExp(`^Loginscope ready: http://inspector\\.localhost:${appPort}/\\?token=`));
        // The problems go to stderr before the ready line goes to stdout, but two pipes keep no order between them.
        await expect.poll(() => running.stderr().trim().split('\n').length).toBe(3);
        const lines = running.stderr().trim().split('\n');
        expect(lines).toEqual([
          expect.stringMatching(/^FusionAuth check: The store application does not generate refresh tokens/),
          expect.stringMatching(/^FusionAuth check: The forum application does not enable the implicit grant/),
          expect.stringMatching(/^FusionAuth check: The demo user demo@example\.com is not in FusionAuth/),
        ]);
      } finally {
        expect(await running.stop()).toBe(0);
      }
    });
  });
});

describe('connection check and the identity routes with the embedded server', () => {
  let app: TestLoginscope;
  let inspector: InspectorClient;
  beforeAll(async () => {
    app = await startTestLoginscope();
    inspector = new InspectorClient(app);
  });
  afterAll(() => app.stop());

  it('is not run at start, passes on demand (the embedded server answers GET /api/application like FusionAuth)', async () => {
    expect(app.identityCheck).toBeUndefined();
    expect((await inspector.state<{ identity: { check: unknown } }>()).identity.check).toBeNull();
    const res = await inspector.post('/identity/check');
    expect(res.json<CheckResult>()).toMatchObject({ ok: true, fatal: false, problems: [] });
    expect((await inspector.state<{ identity: { check: CheckResult } }>()).identity.check.ok).toBe(true);
    // The check's calls are not workflow traffic: nothing of them is in the trace.
    const { events } = (await inspector.get('/trace')).json<{ events: Array<{ path?: string }> }>();
    expect(events.some((e) => e.path?.startsWith('/api/application') || e.path === '/.well-known/openid-configuration')).toBe(false);
  });

  it('GET /api/application/{id}: FusionAuth\'s shape with the API key; 401 without; 404 for an unknown id', async () => {
    const identity = (await inspector.get('/identity')).json<{ publicUrl: string; apiKey: string; applications: { store: { id: string } } }>();
    const browser = new Browser();
    const url = `${identity.publicUrl}/api/application/${identity.applications.store.id}`;
    const res = await browser.fetch(url, { headers: { authorization: identity.apiKey } });
    expect(res.status).toBe(200);
    const { application } = res.json<{ application: Record<string, any> }>();
    expect(application).toMatchObject({
      id: identity.applications.store.id,
      name: expect.any(String),
      loginConfiguration: { allowTokenRefresh: true, generateRefreshTokens: true, requireAuthentication: true },
      jwtConfiguration: { enabled: true, accessTokenKeyId: expect.any(String), timeToLiveInSeconds: 300, refreshTokenTimeToLiveInMinutes: 60, refreshTokenUsagePolicy: 'Reusable', refreshTokenExpirationPolicy: 'Fixed' },
      oauthConfiguration: {
        clientId: identity.applications.store.id,
        authorizedRedirectURLs: [`${app.urls.store}/oauth-redirect`],
        enabledGrants: expect.arrayContaining(['implicit', 'refresh_token']),
        generateRefreshTokens: true,
        scopeHandlingPolicy: 'Strict',
      },
    });
    // As in FusionAuth, the application names its key by id; the JWKS lists it by kid, a different value.
    const keyId = application.jwtConfiguration.accessTokenKeyId as string;
    const { key } = (await browser.fetch(`${identity.publicUrl}/api/key/${keyId}`, { headers: { authorization: identity.apiKey } })).json<{ key: { id: string; kid: string } }>();
    expect(key.id).toBe(keyId);
    expect(key.kid).not.toBe(keyId);
    const jwks = (await browser.fetch(`${identity.publicUrl}/.well-known/jwks.json`)).json<{ keys: Array<{ kid: string }> }>();
    expect(jwks.keys.map((k) => k.kid)).toEqual([key.kid]);
    expect((await browser.fetch(url)).status).toBe(401);
    expect((await browser.fetch(url, { headers: { authorization: `Bearer ${identity.apiKey}` } })).status).toBe(401);
    expect((await browser.fetch(`${identity.publicUrl}/api/application/${randomUUID()}`, { headers: { authorization: identity.apiKey } })).status).toBe(404);
    expect((await browser.fetch(`${identity.publicUrl}/api/application/nope`, { headers: { authorization: identity.apiKey } })).status).toBe(404);
    const all = await browser.fetch(`${identity.publicUrl}/api/application`, { headers: { authorization: identity.apiKey } });
    expect(all.json<{ applications: unknown[] }>().applications).toHaveLength(2);
  });

  it('refuses observed exchanges: the embedded server is traced directly', async () => {
    const res = await inspector.post('/trace/observed', { source: 'electron', partition: 'p', time: 1, method: 'GET', url: `${app.urls.login}/oauth2/authorize`, status: 200, resourceType: 'mainFrame', setCookies: [] });
    expect(res.status).toBe(409);
  });
});
