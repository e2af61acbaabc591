import { createHash, randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTHeaderParameters, type JWTPayload } from 'jose';
import type { Application } from './directory.js';
import type { Idp } from './idp.js';
import { SIGNING_ALG } from './keys.js';
import type { RegistrationRecord, UserRecord } from './store.js';

export type AuthenticationType = 'PASSWORD' | 'REFRESH_TOKEN' | 'JWT_SSO';

export interface AccessTokenRequest {
  user: UserRecord;
  /** Omitted when the Login API was called without an applicationId. */
  application?: Application;
  authenticationType: AuthenticationType;
  /** When the user typed their password (ms); `auth_time` stays this across refreshes. */
  authInstant: number;
  /** The refresh token issued with (or used for) this token. */
  refreshTokenId?: string;
  /** OAuth grants only: the granted scope and the grant, `gty` in the header as FusionAuth documents it. */
  scope?: string;
  grant?: string;
  /** May only shorten the configured TTL. */
  ttlSeconds?: number;
  /** Epoch seconds: the token ends then instead (the Issue API keeps the source token's expiration). */
  expiresAtSeconds?: number;
}

export interface IssuedToken {
  token: string;
  jti: string;
  /** Epoch ms, FusionAuth's `tokenExpirationInstant`. */
  expiresInstant: number;
  ttlSeconds: number;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

export function registrationFor(idp: Idp, userId: string, applicationId: string | undefined): RegistrationRecord | undefined {
  return applicationId ? idp.store.registrations(userId).find((r) => r.applicationId === applicationId) : undefined;
}

/**
 * Email claims in an access token: under `Compatibility` always; under `Strict` (FusionAuth's default for new
 * applications) never, the token names its user by `sub` only; without an application (Login API with no
 * applicationId) no application policy applies, and FusionAuth keeps them.
 */
function accessTokenHasEmail(idp: Idp, application: Application | undefined): boolean {
  return idp.scopeHandling === 'Compatibility' || application === undefined;
}

/**
 * An access token as FusionAuth's Login API and OAuth endpoints issue it. `applicationId` and `roles` only
 * when the user is registered; email claims as the scope handling policy says.
 */
export async function signAccessToken(idp: Idp, req: AccessTokenRequest): Promise<IssuedToken> {
  const keys = await idp.keys;
  const now = idp.now();
  const byConfig = Math.min(req.ttlSeconds ?? Infinity, idp.ctx.config.ttl.accessTokenSeconds);
  const ttlSeconds = req.expiresAtSeconds !== undefined ? Math.max(0, req.expiresAtSeconds - seconds(now)) : byConfig;
  const jti = randomUUID();
  const registration = registrationFor(idp, req.user.id, req.application?.id);
  const claims: JWTPayload = {
    authenticationType: req.authenticationType,
    ...(accessTokenHasEmail(idp, req.application) && { email: req.user.email, email_verified: true }),
    ...(req.application && { aud: req.application.id }),
    ...(registration && { applicationId: registration.applicationId, roles: registration.roles }),
    ...(req.scope !== undefined && { scope: req.scope }),
    ...(req.refreshTokenId && { sid: req.refreshTokenId }),
    auth_time: seconds(req.authInstant),
    tid: idp.directory.tenant.id,
  };
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALG, typ: 'JWT', kid: keys.kid, ...(req.grant && { gty: [req.grant] }) })
    .setIssuer(idp.issuer)
    .setSubject(req.user.id)
    .setIssuedAt(seconds(now))
    .setExpirationTime(seconds(now) + ttlSeconds)
    .setJti(jti)
    .sign(keys.privateKey);
  idp.emit('idp.token.issued', {
    kind: 'access',
    jti,
    userId: req.user.id,
    email: req.user.email,
    ...(req.application && { app: req.application.app, applicationId: req.application.id }),
    ...(req.refreshTokenId && { refreshTokenId: req.refreshTokenId }),
    ...(req.grant && { grant: req.grant }),
    authenticationType: req.authenticationType,
  });
  return { token, jti, expiresInstant: (seconds(now) + ttlSeconds) * 1000, ttlSeconds };
}

/** `at_hash`: the left half of SHA-256 of the access token, base64url (OIDC core 3.2.2.9). */
function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export interface IdTokenRequest {
  user: UserRecord;
  application: Application;
  authInstant: number;
  scope: string;
  nonce?: string | undefined;
  ssoSessionId?: string | undefined;
  accessToken?: string;
}

/** The OIDC id token: `aud` = client id, `nonce` echoed, `sid` = SSO session id; no roles since FusionAuth 1.24. */
export async function signIdToken(idp: Idp, req: IdTokenRequest): Promise<string> {
  const keys = await idp.keys;
  const now = idp.now();
  const scopes = new Set(req.scope.split(' '));
  const jti = randomUUID();
  const name = [req.user.firstName, req.user.lastName].filter(Boolean).join(' ');
  const claims: JWTPayload = {
    authenticationType: 'PASSWORD',
    auth_time: seconds(req.authInstant),
    tid: idp.directory.tenant.id,
    scope: req.scope,
    ...(req.nonce && { nonce: req.nonce }),
    ...(req.ssoSessionId && { sid: req.ssoSessionId }),
    ...(req.accessToken && { at_hash: atHash(req.accessToken) }),
    // Compatibility puts the email claims in every id token; Strict only with the `email` scope.
    ...((scopes.has('email') || idp.scopeHandling === 'Compatibility') && { email: req.user.email, email_verified: true }),
    ...(scopes.has('profile') && {
      ...(req.user.firstName && { given_name: req.user.firstName }),
      ...(req.user.lastName && { family_name: req.user.lastName }),
      ...(name && { name }),
      preferred_username: req.user.email,
    }),
  };
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALG, typ: 'JWT', kid: keys.kid })
    .setIssuer(idp.issuer)
    .setSubject(req.user.id)
    .setAudience(req.application.id)
    .setIssuedAt(seconds(now))
    .setExpirationTime(seconds(now) + idp.ctx.config.ttl.accessTokenSeconds)
    .setJti(jti)
    .sign(keys.privateKey);
  idp.emit('idp.token.issued', { kind: 'id', jti, userId: req.user.id, app: req.application.app, applicationId: req.application.id });
  return token;
}

/**
 * Checks one of our own tokens: our key, RS256 only (so `alg: none` and HMAC forgeries fail), our issuer,
 * not expired by the one clock. Returns the claims and header, or undefined for any failure (callers answer 401).
 */
export async function verifyOwnJwt(idp: Idp, jwt: string): Promise<{ payload: JWTPayload; header: JWTHeaderParameters } | undefined> {
  const keys = await idp.keys;
  try {
    const { payload, protectedHeader } = await jwtVerify(jwt, keys.publicKey, {
      algorithms: [SIGNING_ALG],
      issuer: idp.issuer,
      currentDate: new Date(idp.now()),
    });
    return { payload, header: protectedHeader };
  } catch (err) {
    if (err instanceof joseErrors.JOSEError) return undefined;
    throw err;
  }
}

export async function verifyOwnToken(idp: Idp, jwt: string): Promise<JWTPayload | undefined> {
  return (await verifyOwnJwt(idp, jwt))?.payload;
}

/**
 * Which of our tokens this is, from what FusionAuth itself puts in them: access tokens from an OAuth grant carry
 * `gty` in their header; id tokens carry `at_hash` (issued with an access token) or `nonce`, which access tokens never do.
 * An id token with neither (`response_type=id_token` without a nonce) counts as an access token.
 */
export function tokenKind(payload: JWTPayload, header: JWTHeaderParameters): 'access_token' | 'id_token' {
  if (Array.isArray(header.gty)) return 'access_token';
  return 'at_hash' in payload || 'nonce' in payload ? 'id_token' : 'access_token';
}
