import type { Application, Directory } from './directory.js';

/** The authorize parameters FusionAuth's hosted form carries as hidden fields (its `oauthHiddenFields`). */
export const OAUTH_FIELDS = [
  'client_id',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'prompt',
  'redirect_uri',
  'response_mode',
  'response_type',
  'scope',
  'state',
  'tenantId',
] as const;
export type OAuthField = (typeof OAUTH_FIELDS)[number];
export type OAuthParams = Partial<Record<OAuthField, string>>;

export const SUPPORTED_SCOPES = ['openid', 'offline_access', 'profile', 'email'] as const;

export interface OAuthFailure {
  error: string;
  reason: string;
  description: string;
}

export type AuthorizeRequest =
  /** Not safe to redirect (unknown client or redirect URI): an error page, never a redirect. */
  | { kind: 'page'; failure: OAuthFailure }
  /** The redirect URI is trusted: the error goes back to it, in the fragment for the implicit grant. */
  | { kind: 'redirect-error'; application: Application; redirectUri: string; mode: ResponseMode; state?: string; failure: OAuthFailure }
  | {
      kind: 'ok';
      application: Application;
      redirectUri: string;
      mode: ResponseMode;
      flow: 'implicit' | 'code';
      wantsAccessToken: boolean;
      wantsIdToken: boolean;
      scope: string;
      params: OAuthParams;
    };

export type ResponseMode = 'fragment' | 'query';

/** Picks the known OAuth fields out of a query or a form body; repeated or non-string values are dropped. */
export function oauthParams(source: Record<string, unknown>): OAuthParams {
  const out: OAuthParams = {};
  for (const field of OAUTH_FIELDS) {
    const value = source[field];
    if (typeof value === 'string' && value !== '') out[field] = value;
  }
  return out;
}

const fail = (error: string, reason: string, description: string): OAuthFailure => ({ error, reason, description });

/**
 * Validates an authorize request in FusionAuth's order, which decides what may be redirected: redirect URI and
 * client first, then PKCE (code flow), then the redirect URI match; only after that do errors go back to the app.
 */
export function validateAuthorizeRequest(directory: Directory, p: OAuthParams): AuthorizeRequest {
  if (!p.redirect_uri) return { kind: 'page', failure: fail('invalid_request', 'missing_redirect_uri', 'The redirect_uri parameter is required.') };
  if (!p.client_id) return { kind: 'page', failure: fail('invalid_request', 'missing_client_id', 'The client_id parameter is required.') };
  const application = directory.byId(p.client_id);
  if (!application) return { kind: 'page', failure: fail('invalid_client', 'invalid_client_id', `Invalid client_id ${p.client_id}. No application has this client id.`) };

  const types = new Set((p.response_type ?? '').split(' ').filter(Boolean));
  if (types.has('code')) {
    if (p.code_challenge_method !== undefined && p.code_challenge_method !== 'S256') {
      return { kind: 'page', failure: fail('invalid_request', 'invalid_code_challenge_method', 'The code_challenge_method must be S256.') };
    }
    if (!p.code_challenge) {
      return { kind: 'page', failure: fail('invalid_request', 'missing_code_challenge', 'The code_challenge parameter is required (PKCE is required for this application).') };
    }
    if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(p.code_challenge)) {
      return { kind: 'page', failure: fail('invalid_request', 'invalid_code_challenge', 'The code_challenge is not a valid S256 challenge.') };
    }
  }
  if (!application.authorizedRedirectURLs.includes(p.redirect_uri)) {
    return { kind: 'page', failure: fail('invalid_request', 'invalid_redirect_uri', `Invalid redirect_uri ${p.redirect_uri}`) };
  }

  const redirectUri = p.redirect_uri;
  const implicit = types.has('token') || types.has('id_token');
  const mode: ResponseMode = implicit ? 'fragment' : 'query';
  const redirectError = (failure: OAuthFailure, m: ResponseMode = mode): AuthorizeRequest => ({
    kind: 'redirect-error',
    application,
    redirectUri,
    mode: m,
    ...(p.state !== undefined && { state: p.state }),
    failure,
  });

  if (types.size === 0) return redirectError(fail('invalid_request', 'missing_response_type', 'The response_type parameter is required.'));
  const scopes = (p.scope ?? '').split(' ').filter(Boolean);
  const openid = scopes.includes('openid');
  const known = (types.size === 1 && (types.has('code') || types.has('token') || types.has('id_token'))) || (types.size === 2 && types.has('token') && types.has('id_token'));
  if (!known) return redirectError(fail('unsupported_response_type', 'invalid_response_type', `Unsupported response_type ${p.response_type}.`));
  if (implicit && openid && !types.has('id_token')) {
    return redirectError(
      fail('unsupported_response_type', 'invalid_response_type', "Parameter response_type must be set to 'id_token' or 'id_token token' when requesting the implicit grant."),
    );
  }
  if (implicit && !openid && types.has('id_token')) {
    return redirectError(fail('unsupported_response_type', 'invalid_response_type', 'Parameter response_type must be set to token when requesting the implicit grant.'));
  }
  if (p.response_mode !== undefined && p.response_mode !== mode && !(types.has('code') && p.response_mode === 'fragment')) {
    return redirectError(fail('invalid_request', 'invalid_response_mode', `The response_mode ${p.response_mode} is not supported for this response_type.`));
  }
  const responseMode: ResponseMode = p.response_mode === 'fragment' ? 'fragment' : mode;

  const grant = implicit ? 'implicit' : 'authorization_code';
  if (!application.enabledGrants.includes(grant)) {
    const label = implicit ? '[implicit] Implicit' : '[authorization_code] Authorization Code';
    return redirectError(fail('unauthorized_client', 'grant_type_disabled', `The ${label} grant has been disabled for this client.`), responseMode);
  }
  const unknownScope = scopes.find((s) => !(SUPPORTED_SCOPES as readonly string[]).includes(s));
  if (unknownScope) return redirectError(fail('invalid_scope', 'invalid_scope', `The scope ${unknownScope} is not supported.`), responseMode);
  const prompts = (p.prompt ?? '').split(' ').filter(Boolean);
  if (prompts.some((x) => !['none', 'login', 'consent'].includes(x)) || (prompts.includes('none') && prompts.length > 1)) {
    return redirectError(fail('invalid_request', 'invalid_prompt', `Invalid prompt ${p.prompt}.`), responseMode);
  }

  return {
    kind: 'ok',
    application,
    redirectUri,
    mode: responseMode,
    flow: implicit ? 'implicit' : 'code',
    wantsAccessToken: types.has('token'),
    wantsIdToken: types.has('id_token'),
    scope: scopes.join(' '),
    params: p,
  };
}

/** `redirect_uri` plus parameters, in the fragment or the query. */
export function redirectWith(redirectUri: string, mode: ResponseMode, params: Array<[string, string | undefined]>): string {
  const search = new URLSearchParams();
  for (const [k, v] of params) if (v !== undefined && v !== '') search.append(k, v);
  if (mode === 'fragment') return `${redirectUri}#${search.toString()}`;
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${search.toString()}`;
}
