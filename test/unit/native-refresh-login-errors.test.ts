import type { AddressInfo } from 'node:net';
import express from 'express';
import { Agent, MockAgent, request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppServices } from '../../backend/app/app-services.js';
import { createClock } from '../../backend/clock.js';
import { jsonErrorHandler } from '../../backend/errors.js';
import { FusionAuthClient } from '../../backend/fusionauth/client.js';
import { TraceBus } from '../../backend/trace/bus.js';
import { loginRefusal, resultRefusal } from '../../backend/workflows/native-refresh/login-errors.js';
import { nativeLoginRoutes } from '../../backend/workflows/native-refresh/routes.js';

const FUSIONAUTH = 'http://fusionauth.test:9011';
const APPLICATION_ID = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';
const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8' };
const user = { id: '0e7c1b5a-3d2f-4a6e-9b8c-1f0d2e3a4b5c', email: 'demo@example.com', verified: true };

/** What FusionAuth's Login API sends with each status (bodies per its docs; 409 and 410 have none). */
const CASES = [
  { fusionAuth: 203, body: { changePasswordId: 'cp-1', changePasswordReason: 'Administrative' }, status: 403, code: 'password_change_required', message: /must change its password/ },
  { fusionAuth: 212, body: { user, token: 'eyJ.unverified.email', emailVerificationId: 'ev-1' }, status: 403, code: 'email_not_verified', message: /email address is not verified/ },
  { fusionAuth: 213, body: { user, token: 'eyJ.unverified.registration', registrationVerificationId: 'rv-1' }, status: 403, code: 'registration_not_verified', message: /registration for this application is not verified/ },
  { fusionAuth: 242, body: { twoFactorId: 'tf-1', methods: [{ id: 'm1', method: 'authenticator' }] }, status: 403, code: 'two_factor_required', message: /two-factor authentication/ },
  { fusionAuth: 409, body: { actions: [{ actionId: 'a1', name: 'Lock', localizedReason: 'Too many failed login attempts', reasonCode: 'failed_authentication', expiry: 1_767_000_180_000 }] }, status: 403, code: 'login_prevented', message: /^An action on this account prevents it from logging in for now .* FusionAuth's reason: Too many failed login attempts\.$/ },
  { fusionAuth: 410, body: undefined, status: 403, code: 'user_expired', message: /This account has expired/ },
  { fusionAuth: 202, body: { user, token: 'eyJ.not.registered' }, status: 403, code: 'not_registered', message: /not registered for this application/ },
  { fusionAuth: 404, body: undefined, status: 401, code: 'invalid_credentials', message: /do not match an account/ },
  { fusionAuth: 423, body: undefined, status: 423, code: 'locked', message: /locked after too many failed attempts/ },
] as const;

let fusionAuth: MockAgent;
let server: ReturnType<express.Express['listen']>;
let url: string;
const caller = new Agent();

beforeEach(() => {
  fusionAuth = new MockAgent();
  fusionAuth.disableNetConnect();
});
afterEach(() => fusionAuth.close());

beforeAll(async () => {
  // Only what the login route reads before it answers a refusal: the FusionAuth client and the application id.
  const services = {
    get identity() {
      return new FusionAuthClient({ baseUrl: FUSIONAUTH, apiKey: 'the-api-key', actor: 'store-backend', bus: new TraceBus(createClock()), traceOrigin: 'external', dispatcher: fusionAuth });
    },
    applicationId: APPLICATION_ID,
  } as unknown as AppServices;
  const app = express();
  app.use(express.json());
  app.use('/api', nativeLoginRoutes(services));
  app.use(jsonErrorHandler);
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/login`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await caller.close();
});

async function logIn(): Promise<{ status: number; body: { error?: { code: string; message: string } }; setCookie: unknown }> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'demo@example.com', password: 'demo-password' }), dispatcher: caller });
  return { status: res.statusCode, body: (await res.body.json()) as { error?: { code: string; message: string } }, setCookie: res.headers['set-cookie'] };
}

describe('native login: each Login API status FusionAuth can answer gets its own message', () => {
  for (const c of CASES) {
    it(`FusionAuth ${c.fusionAuth} → ${c.status} ${c.code}`, async () => {
      fusionAuth
        .get(FUSIONAUTH)
        .intercept({ path: '/api/login', method: 'POST', body: (b) => JSON.parse(b).applicationId === APPLICATION_ID })
        .reply(c.fusionAuth, c.body === undefined ? '' : JSON.stringify(c.body), { headers: JSON_HEADERS });
      const res = await logIn();
      expect(res.status).toBe(c.status);
      expect(res.body.error?.code).toBe(c.code);
      expect(res.body.error?.message).toMatch(c.message);
      // No session and no refresh-token cookie, even when FusionAuth sent a token along (212, 213, 202).
      expect(res.setCookie).toBeUndefined();
      fusionAuth.assertNoPendingInterceptors();
    });
  }

  it('every message is different', () => {
    const messages = CASES.map((c) => (c.fusionAuth >= 400 ? loginRefusal(c.fusionAuth, c.body) : resultRefusal(c.fusionAuth as 202 | 203 | 212 | 213 | 242))?.message);
    expect(new Set(messages).size).toBe(CASES.length);
  });

  it('a 409 without a reason (an empty body) still says what happened', () => {
    expect(loginRefusal(409)?.message).toMatch(/^An action on this account prevents it from logging in for now \(for example a lock after too many failed attempts, or a suspension\)\.$/);
    expect(loginRefusal(409, { actions: [{ reason: '  ' }] })?.message).toBe(loginRefusal(409)?.message);
  });

  it('a status that is no refusal (401: our API key) is not dressed up as one: it goes on to the error handler', async () => {
    fusionAuth.get(FUSIONAUTH).intercept({ path: '/api/login', method: 'POST' }).reply(401, '');
    const res = await logIn();
    expect(CASES.map((c) => c.code as string)).not.toContain(res.body.error?.code);
    expect(res.body.error?.message).toBe('FusionAuth answered POST /api/login with 401.');
    expect(loginRefusal(401)).toBeUndefined();
    expect(loginRefusal(203)).toBeUndefined(); // a 2xx result, never a thrown error
  });
});
