/**
 * The embedded server's signing key has an id (a UUID, what applications name) and a separate kid (what tokens
 * and the JWKS carry), as FusionAuth's keys do; the official client reads it through the Key API.
 */
import { FusionAuthClient } from '@fusionauth/typescript-client';
import { decodeProtectedHeader } from 'jose';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdForKid } from '../../backend/idp/keys.js';
import { localhostLookup } from '../../backend/localhost-dispatcher.js';
import { Browser } from '../support/http.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

interface Identity {
  publicUrl: string;
  apiKey: string;
  applications: { store: { id: string }; forum: { id: string } };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// The official client uses Node's http module, which cannot resolve *.localhost here (as in idp-conformance).
const originalAgent = http.globalAgent;
beforeAll(() => {
  http.globalAgent = new http.Agent({ lookup: localhostLookup as never });
});
afterAll(() => {
  http.globalAgent = originalAgent;
});

describe('key id and kid', () => {
  it('the id is a name-based UUID of the kid: stable, version 5, never the kid itself', () => {
    const kid = 'q21xprY2utMAfR3oywglb0YT71E';
    expect(keyIdForKid(kid)).toBe(keyIdForKid(kid));
    expect(keyIdForKid(kid)).toMatch(UUID);
    expect(keyIdForKid(kid)[14]).toBe('5');
    expect(keyIdForKid(kid)).not.toBe(keyIdForKid(`${kid}x`));
    // A database from before kept a UUID as the kid: its id still differs.
    const oldKid = randomUUID();
    expect(keyIdForKid(oldKid)).not.toBe(oldKid);
  });
});

describe('GET /api/key on the embedded server', () => {
  let app: TestLoginscope;
  let identity: Identity;
  let client: FusionAuthClient;
  const browser = new Browser();
  beforeAll(async () => {
    app = await startTestLoginscope();
    identity = (await browser.fetch(`${app.urls.inspector}/api/identity`, { headers: { authorization: `Bearer ${app.inspectorToken}` } })).json<Identity>();
    client = new FusionAuthClient(identity.apiKey, identity.publicUrl);
  });
  afterAll(() => app.stop());

  const applicationKeyId = async (): Promise<string> => {
    const res = await client.retrieveApplication(identity.applications.store.id);
    return res.response.application!.jwtConfiguration!.accessTokenKeyId!;
  };

  it('answers the key the applications name, with a kid that differs from its id and is the one the JWKS and tokens carry', async () => {
    const keyId = await applicationKeyId();
    expect(keyId).toMatch(UUID);
    const res = await client.retrieveKey(keyId);
    expect(res.statusCode).toBe(200);
    const key = res.response.key!;
    expect(key).toMatchObject({ id: keyId, algorithm: 'RS256', type: 'RSA', length: 2048, hasPrivateKey: true });
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(key.kid).not.toBe(keyId);
    expect(key.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(key).not.toHaveProperty('privateKey');

    const jwks = await client.retrieveJsonWebKeySet();
    expect(jwks.response.keys?.map((k) => k.kid)).toEqual([key.kid]);
    const login = await client.login({ loginId: 'demo@example.com', password: 'demo-password', applicationId: identity.applications.store.id });
    expect(decodeProtectedHeader(login.response.token!).kid).toBe(key.kid);

    const all = await client.retrieveKeys();
    expect(all.response.keys?.map((k) => k.id)).toEqual([keyId]);
  });

  it('API key only: 401 without it or with a Bearer prefix; 404 with no body for an unknown or malformed id', async () => {
    const keyId = await applicationKeyId();
    const url = `${identity.publicUrl}/api/key/${keyId}`;
    expect((await browser.fetch(url)).status).toBe(401);
    expect((await browser.fetch(url, { headers: { authorization: `Bearer ${identity.apiKey}` } })).status).toBe(401);
    expect((await browser.fetch(`${identity.publicUrl}/api/key`)).status).toBe(401);
    for (const id of [randomUUID(), 'nope']) {
      const res = await browser.fetch(`${identity.publicUrl}/api/key/${id}`, { headers: { authorization: identity.apiKey } });
      expect(res.status).toBe(404);
      expect(res.text).toBe('');
    }
  });

  it('the connection check passes against it on demand (the key found by id, its kid in the JWKS)', async () => {
    const res = await browser.fetch(`${app.urls.inspector}/api/identity/check`, { method: 'POST', headers: { authorization: `Bearer ${app.inspectorToken}` } });
    expect(res.json()).toMatchObject({ ok: true, problems: [] });
  });
});
