import { describe, expect, it } from 'vitest';
import type { Directory } from '../../backend/idp/directory.js';
import { oauthParams, redirectWith, validateAuthorizeRequest, type OAuthParams } from '../../backend/idp/oauth-request.js';

const store = {
  id: '3c219e58-ed0e-4b18-ad48-f4f92793ae32',
  app: 'store' as const,
  tenantId: 't',
  name: 'Store',
  clientSecret: 's',
  authorizedRedirectURLs: ['http://store.localhost:9311/oauth-redirect'],
  logoutURL: 'http://store.localhost:9311/',
  enabledGrants: ['implicit' as const, 'authorization_code' as const],
  generateRefreshTokens: true,
};
const directory: Directory = { tenant: { id: 't', name: 'T' }, applications: [store], byId: (id) => (id === store.id ? store : undefined), byApp: () => store };
const base: OAuthParams = { client_id: store.id, redirect_uri: store.authorizedRedirectURLs[0], response_type: 'token', state: 's' };
const check = (p: OAuthParams) => validateAuthorizeRequest(directory, p);
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('authorize request validation (FusionAuth’s order decides redirect vs error page)', () => {
  it('never redirects for a missing or unknown client or redirect URI', () => {
    expect(check({ ...base, redirect_uri: undefined })).toMatchObject({ kind: 'page', failure: { reason: 'missing_redirect_uri' } });
    expect(check({ ...base, client_id: undefined })).toMatchObject({ kind: 'page', failure: { reason: 'missing_client_id' } });
    expect(check({ ...base, client_id: '00000000-0000-0000-0000-000000000000' })).toMatchObject({ kind: 'page', failure: { reason: 'invalid_client_id' } });
    expect(check({ ...base, redirect_uri: 'http://store.localhost:9311/oauth-redirect/' })).toMatchObject({ kind: 'page', failure: { reason: 'invalid_redirect_uri' } });
    // Even a bad response_type is not redirected when the redirect URI is also wrong.
    expect(check({ ...base, redirect_uri: 'http://evil/', response_type: 'bogus' }).kind).toBe('page');
  });

  it('checks PKCE before the redirect URI for the code flow', () => {
    expect(check({ ...base, response_type: 'code', redirect_uri: 'http://evil/' })).toMatchObject({ kind: 'page', failure: { reason: 'missing_code_challenge' } });
    expect(check({ ...base, response_type: 'code', code_challenge: CHALLENGE, code_challenge_method: 'plain' })).toMatchObject({ failure: { reason: 'invalid_code_challenge_method' } });
    expect(check({ ...base, response_type: 'code', code_challenge: 'short' })).toMatchObject({ failure: { reason: 'invalid_code_challenge' } });
    expect(check({ ...base, response_type: 'code', code_challenge: CHALLENGE, code_challenge_method: 'S256' })).toMatchObject({ kind: 'ok', flow: 'code', mode: 'query' });
  });

  it('refuses `token` with openid and `id_token` without it, in the fragment', () => {
    expect(check({ ...base, scope: 'openid' })).toMatchObject({ kind: 'redirect-error', mode: 'fragment', failure: { error: 'unsupported_response_type' } });
    expect(check({ ...base, response_type: 'id_token token' })).toMatchObject({ kind: 'redirect-error', failure: { error: 'unsupported_response_type' } });
    expect(check({ ...base, response_type: 'id_token token', scope: 'openid' })).toMatchObject({ kind: 'ok', wantsIdToken: true, wantsAccessToken: true });
    expect(check({ ...base, response_type: 'token id_token', scope: 'openid' })).toMatchObject({ kind: 'ok', flow: 'implicit' });
  });

  it('redirects the remaining errors: missing response_type, bad mode, unknown scope or prompt, disabled grant', () => {
    expect(check({ ...base, response_type: undefined })).toMatchObject({ kind: 'redirect-error', mode: 'query', failure: { reason: 'missing_response_type' } });
    expect(check({ ...base, response_mode: 'query' })).toMatchObject({ kind: 'redirect-error', failure: { reason: 'invalid_response_mode' } });
    expect(check({ ...base, scope: 'admin' })).toMatchObject({ kind: 'redirect-error', failure: { error: 'invalid_scope' } });
    expect(check({ ...base, prompt: 'none login' })).toMatchObject({ kind: 'redirect-error', failure: { reason: 'invalid_prompt' } });
    const noImplicit: Directory = { ...directory, byId: () => ({ ...store, enabledGrants: ['authorization_code'] }) };
    expect(validateAuthorizeRequest(noImplicit, base)).toMatchObject({ kind: 'redirect-error', failure: { error: 'unauthorized_client', reason: 'grant_type_disabled' } });
  });

  it('takes only known string fields and builds fragment or query redirects', () => {
    expect(oauthParams({ client_id: 'a', state: ['x', 'y'], extra: 'z', scope: '' })).toEqual({ client_id: 'a' });
    expect(redirectWith('http://a/cb', 'fragment', [['access_token', 't'], ['scope', undefined], ['state', 'a b']])).toBe('http://a/cb#access_token=t&state=a+b');
    expect(redirectWith('http://a/cb?x=1', 'query', [['code', 'c']])).toBe('http://a/cb?x=1&code=c');
  });
});
