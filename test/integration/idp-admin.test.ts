/**
 * The identity server on its own (no store, forum or inspector): admin functions, run-time policy, seeding and
 * persistence across restarts. It is mounted on a bare loopback server under its real Host name.
 */
import Database from 'better-sqlite3';
import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClock } from '../../backend/clock.js';
import { validateConfig, type ConfigInput } from '../../backend/config.js';
import type { LoginscopeContext } from '../../backend/context.js';
import { originUrls, redirectUri } from '../../backend/hosts.js';
import { createIdentityServer, type IdentityServer } from '../../backend/idp/identity-server.js';
import type { PageServer } from '../../backend/pages.js';
import { TraceBus } from '../../backend/trace/bus.js';
import { Browser } from '../support/http.js';
import { formToken } from '../support/hosted-form.js';

const SHELL = '<!doctype html><html><head></head><body><div id="app"></div></body></html>';
const pages: PageServer = {
  assets: (_req, _res, next) => next(),
  page: () => (_req, res) => void res.type('html').send(SHELL),
  close: async () => {},
};

interface Harness {
  idp: IdentityServer;
  ctx: LoginscopeContext;
  url: string;
  stop(): Promise<void>;
}

const dirs: string[] = [];
const running: Harness[] = [];
afterEach(async () => {
  for (const h of running.splice(0)) await h.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loginscope-idp-'));
  dirs.push(dir);
  return dir;
}

async function harness(dir: string, overrides: Partial<ConfigInput> = {}): Promise<Harness> {
  const outer = express();
  const server = http.createServer(outer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const clock = createClock();
  const ctx: LoginscopeContext = {
    config: validateConfig({ port, dataDir: dir, web: true, open: false, ...overrides }),
    clock,
    bus: new TraceBus(clock),
    port,
    urls: originUrls(port),
    pages,
    inspectorToken: 'unused',
  };
  const idp = createIdentityServer(ctx);
  outer.use(idp.app);
  const h: Harness = {
    idp,
    ctx,
    url: ctx.urls.login,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      idp.close();
    },
  };
  running.push(h);
  return h;
}

async function login(h: Harness, app: 'store' | 'forum' = 'store') {
  const res = await new Browser().fetch(`${h.url}/api/login`, {
    headers: { authorization: h.idp.info.apiKey },
    json: { loginId: 'demo@example.com', password: 'demo-password', applicationId: h.idp.info.applications[app].id },
  });
  return { status: res.status, body: res.json<{ token: string; refreshToken?: string; refreshTokenId?: string }>() };
}

const refresh = (h: Harness, refreshToken: string) => new Browser().fetch(`${h.url}/api/jwt/refresh`, { json: { refreshToken } });

describe('identity server admin and policy', () => {
  it('seeds once, keeps the API key, key pair and users across restarts, and builds redirect URIs for the port', async () => {
    const dir = dataDir();
    const first = await harness(dir);
    const kid = (await new Browser().fetch(`${first.url}/.well-known/jwks.json`)).json<{ keys: Array<{ kid: string }> }>().keys[0]!.kid;
    const apiKey = first.idp.info.apiKey;
    const { body } = await login(first);
    await first.stop();
    running.splice(0);

    const second = await harness(dir);
    expect(second.idp.info.apiKey).toBe(apiKey);
    expect((await new Browser().fetch(`${second.url}/.well-known/jwks.json`)).json<{ keys: Array<{ kid: string }> }>().keys[0]!.kid).toBe(kid);
    expect(second.idp.admin.users()).toEqual([{ id: '00000000-0000-0000-0000-111111111111', email: 'demo@example.com', firstName: 'Demo', lastName: 'User', registrations: ['store', 'forum'] }]);
    expect(second.idp.admin.refreshTokens().map((t) => t.id)).toEqual([body.refreshTokenId]);
    const authorize = await new Browser().fetch(
      `${second.url}/oauth2/authorize?${new URLSearchParams({ client_id: second.idp.info.applications.forum.id, redirect_uri: redirectUri('forum', second.ctx.port), response_type: 'token' })}`,
    );
    expect(authorize.status).toBe(200);
  });

  it('lists refresh tokens with status and rotation chain, and expires one or all now', async () => {
    const h = await harness(dataDir(), { identity: { kind: 'embedded', refreshTokenUsagePolicy: 'OneTimeUse' } });
    const a = (await login(h)).body;
    const b = (await login(h, 'forum')).body;
    const rotated = (await refresh(h, a.refreshToken!)).json<{ refreshToken: string }>().refreshToken;
    const view = h.idp.admin.refreshTokens().find((t) => t.id === a.refreshTokenId)!;
    expect(view).toMatchObject({ app: 'store', email: 'demo@example.com', token: rotated, status: 'active', rotations: [a.refreshToken] });
    expect(view.expiresInstant).toBe(view.startInstant + 60 * 60_000);

    expect(h.idp.admin.expireRefreshTokens(a.refreshTokenId)).toBe(1);
    expect(h.idp.admin.refreshTokens().find((t) => t.id === a.refreshTokenId)!.status).toBe('expired');
    expect((await refresh(h, rotated)).status).toBe(404);
    expect(h.idp.admin.expireRefreshTokens()).toBe(1);
    expect((await refresh(h, b.refreshToken!)).status).toBe(404);
    expect(h.ctx.bus.list().filter((e) => e.type === 'idp.refresh.rejected').map((e) => (e as unknown as { data: { reason: string } }).data.reason)).toEqual(['expired', 'expired']);
  });

  it('reuse of a one-time value: rejected as reused; with revocation on, the whole token dies; within grace, the current value comes back', async () => {
    const h = await harness(dataDir(), { identity: { kind: 'embedded', refreshTokenUsagePolicy: 'OneTimeUse', deadRefreshTokenStatus: 400 } });
    const first = (await login(h)).body;
    const second = (await refresh(h, first.refreshToken!)).json<{ refreshToken: string }>();
    expect((await refresh(h, first.refreshToken!)).status).toBe(400);
    expect(h.ctx.bus.list().filter((e) => e.type === 'idp.refresh.rejected').at(-1)).toMatchObject({ data: { reason: 'reused', refreshTokenId: first.refreshTokenId } });
    expect((await refresh(h, second.refreshToken)).status).toBe(200);

    h.idp.admin.setRefreshTokenPolicy({ oneTimeUseGracePeriodSeconds: 30 });
    const fresh = (await login(h)).body;
    const next = (await refresh(h, fresh.refreshToken!)).json<{ refreshToken: string }>();
    h.ctx.clock.advance(10_000);
    const graced = await refresh(h, fresh.refreshToken!);
    expect(graced.status).toBe(200);
    expect(graced.json<{ refreshToken: string }>().refreshToken).toBe(next.refreshToken);
    h.ctx.clock.advance(30_000);
    expect((await refresh(h, fresh.refreshToken!)).status).toBe(400);

    h.idp.admin.setRefreshTokenPolicy({ oneTimeUseGracePeriodSeconds: 0, revokeOnOneTimeTokenReuse: true });
    const victim = (await login(h)).body;
    const legit = (await refresh(h, victim.refreshToken!)).json<{ refreshToken: string }>();
    expect((await refresh(h, victim.refreshToken!)).status).toBe(400);
    expect((await refresh(h, legit.refreshToken)).status).toBe(400);
    expect(h.idp.admin.refreshTokens().find((t) => t.id === victim.refreshTokenId)).toMatchObject({ status: 'revoked', revokedReason: 'reused' });
  });

  it('sliding window: each refresh restarts the lifetime; fixed: it does not', async () => {
    const h = await harness(dataDir(), { identity: { kind: 'embedded', refreshTokenExpirationPolicy: 'SlidingWindow' } });
    const { refreshToken } = (await login(h)).body;
    for (let i = 0; i < 3; i++) {
      h.ctx.clock.advance(50 * 60_000);
      expect((await refresh(h, refreshToken!)).status).toBe(200);
    }
    // Fixed counts from the last start instant and no longer moves it: 50 min later fine, 100 min later dead.
    h.idp.admin.setRefreshTokenPolicy({ expiration: 'Fixed' });
    h.ctx.clock.advance(50 * 60_000);
    expect((await refresh(h, refreshToken!)).status).toBe(200);
    h.ctx.clock.advance(50 * 60_000);
    expect((await refresh(h, refreshToken!)).status).toBe(404);
  });

  it('lists and expires SSO sessions; reset drops runtime state but keeps users and keys', async () => {
    const h = await harness(dataDir());
    const browser = new Browser();
    const params = { client_id: h.idp.info.applications.store.id, redirect_uri: redirectUri('store', h.ctx.port), response_type: 'token' };
    const page = await browser.fetch(`${h.url}/oauth2/authorize?${new URLSearchParams(params)}`);
    await browser.fetch(`${h.url}/oauth2/authorize`, { form: { ...params, csrfToken: formToken(page), loginId: 'demo@example.com', password: 'demo-password', rememberDevice: 'true' } });
    const [session] = h.idp.admin.ssoSessions();
    expect(session).toMatchObject({ email: 'demo@example.com', status: 'active' });
    expect(session!.expiresInstant - session!.lastUsedInstant).toBe(3600_000);
    expect((await browser.fetch(`${h.url}/oauth2/authorize?${new URLSearchParams(params)}`)).status).toBe(302);

    expect(h.idp.admin.expireSsoSessions(session!.id)).toBe(1);
    expect(h.idp.admin.ssoSessions()[0]!.status).toBe('expired');
    expect((await browser.fetch(`${h.url}/oauth2/authorize?${new URLSearchParams(params)}`)).status).toBe(200);

    await login(h);
    h.idp.admin.reset();
    expect(h.idp.admin.refreshTokens()).toEqual([]);
    expect(h.idp.admin.ssoSessions()).toEqual([]);
    expect(h.idp.admin.users()).toHaveLength(1);
    expect((await login(h)).status).toBe(200);
  });

  it('answers 202 with a token and no refresh token for a user not registered to the application', async () => {
    const dir = dataDir();
    const h = await harness(dir);
    const db = new Database(path.join(dir, 'identity.db'));
    db.prepare('DELETE FROM registrations WHERE application_id = ?').run(h.idp.info.applications.forum.id);
    db.close();
    const res = await login(h, 'forum');
    expect(res.status).toBe(202);
    expect(typeof res.body.token).toBe('string');
    expect(res.body.refreshToken).toBeUndefined();
  });
});
