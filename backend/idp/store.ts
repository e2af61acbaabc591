import type { Db } from '../db.js';
import type { AppId } from '../hosts.js';
import type { PasswordHash } from './passwords.js';

/** Rows of identity.db as the rest of the identity server sees them. All instants are epoch ms. */
export type Grant = 'implicit' | 'authorization_code' | 'refresh_token' | 'password';

export interface TenantRecord {
  id: string;
  name: string;
}

export interface ApplicationRecord {
  id: string;
  app: AppId;
  tenantId: string;
  name: string;
  clientSecret: string;
  /** Templates with `{port}`. */
  authorizedRedirectURLs: string[];
  logoutURL: string;
  enabledGrants: Grant[];
  generateRefreshTokens: boolean;
}

export interface UserRecord {
  id: string;
  tenantId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  password: PasswordHash;
  insertInstant: number;
  passwordLastUpdateInstant: number;
  lastLoginInstant: number | null;
}

export interface RegistrationRecord {
  id: string;
  userId: string;
  applicationId: string;
  roles: string[];
  insertInstant: number;
  lastLoginInstant: number | null;
}

export interface RefreshTokenRecord {
  id: string;
  token: string;
  applicationId: string;
  userId: string;
  insertInstant: number;
  /** Expiry is computed from this (Fixed: issue time; SlidingWindow: last refresh). */
  startInstant: number;
  /** When the user typed their password; becomes `auth_time` in every token refreshed from this one. */
  authInstant: number;
  grantType: string;
  scopes: string[];
  /** Issued to a PKCE client that did not authenticate; the refresh grant then needs no secret either. */
  publicClient: boolean;
  lastAccessedInstant: number | null;
  lastRotatedInstant: number | null;
  /** Set by "expire now" in the inspector. */
  expiredInstant: number | null;
  revokedInstant: number | null;
  revokedReason: string | null;
}

export interface RotationRecord {
  token: string;
  refreshTokenId: string;
  replacedInstant: number;
}

export interface SsoSessionRecord {
  id: string;
  token: string;
  userId: string;
  startInstant: number;
  lastUsedInstant: number;
  authInstant: number;
  expiredInstant: number | null;
  revokedInstant: number | null;
  revokedReason: string | null;
}

export interface AuthorizationCodeRecord {
  code: string;
  applicationId: string;
  userId: string;
  redirectUri: string;
  scope: string;
  nonce: string | null;
  codeChallenge: string | null;
  ssoSessionId: string | null;
  authInstant: number;
  expiresInstant: number;
}

export interface FailedLoginRecord {
  userId: string;
  count: number;
  firstFailureInstant: number;
  lockedUntil: number | null;
}

type Row = Record<string, unknown>;
const str = (v: unknown) => v as string;
const strOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v));
const num = (v: unknown) => Number(v);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toApplication(r: Row): ApplicationRecord {
  return {
    id: str(r.id),
    app: str(r.app) as AppId,
    tenantId: str(r.tenant_id),
    name: str(r.name),
    clientSecret: str(r.client_secret),
    authorizedRedirectURLs: JSON.parse(str(r.authorized_redirect_urls)) as string[],
    logoutURL: str(r.logout_url),
    enabledGrants: JSON.parse(str(r.enabled_grants)) as Grant[],
    generateRefreshTokens: Boolean(r.generate_refresh_tokens),
  };
}

function toUser(r: Row): UserRecord {
  return {
    id: str(r.id),
    tenantId: str(r.tenant_id),
    email: str(r.email),
    firstName: strOrNull(r.first_name),
    lastName: strOrNull(r.last_name),
    password: { scheme: str(r.password_scheme), factor: num(r.password_factor), salt: str(r.password_salt), hash: str(r.password_hash) },
    insertInstant: num(r.insert_instant),
    passwordLastUpdateInstant: num(r.password_last_update_instant),
    lastLoginInstant: numOrNull(r.last_login_instant),
  };
}

function toRegistration(r: Row): RegistrationRecord {
  return {
    id: str(r.id),
    userId: str(r.user_id),
    applicationId: str(r.application_id),
    roles: JSON.parse(str(r.roles)) as string[],
    insertInstant: num(r.insert_instant),
    lastLoginInstant: numOrNull(r.last_login_instant),
  };
}

function toRefreshToken(r: Row): RefreshTokenRecord {
  return {
    id: str(r.id),
    token: str(r.token),
    applicationId: str(r.application_id),
    userId: str(r.user_id),
    insertInstant: num(r.insert_instant),
    startInstant: num(r.start_instant),
    authInstant: num(r.auth_instant),
    grantType: str(r.grant_type),
    scopes: JSON.parse(str(r.scopes)) as string[],
    publicClient: Boolean(r.public_client),
    lastAccessedInstant: numOrNull(r.last_accessed_instant),
    lastRotatedInstant: numOrNull(r.last_rotated_instant),
    expiredInstant: numOrNull(r.expired_instant),
    revokedInstant: numOrNull(r.revoked_instant),
    revokedReason: strOrNull(r.revoked_reason),
  };
}

function toSso(r: Row): SsoSessionRecord {
  return {
    id: str(r.id),
    token: str(r.token),
    userId: str(r.user_id),
    startInstant: num(r.start_instant),
    lastUsedInstant: num(r.last_used_instant),
    authInstant: num(r.auth_instant),
    expiredInstant: numOrNull(r.expired_instant),
    revokedInstant: numOrNull(r.revoked_instant),
    revokedReason: strOrNull(r.revoked_reason),
  };
}

function toCode(r: Row): AuthorizationCodeRecord {
  return {
    code: str(r.code),
    applicationId: str(r.application_id),
    userId: str(r.user_id),
    redirectUri: str(r.redirect_uri),
    scope: str(r.scope),
    nonce: strOrNull(r.nonce),
    codeChallenge: strOrNull(r.code_challenge),
    ssoSessionId: strOrNull(r.sso_session_id),
    authInstant: num(r.auth_instant),
    expiresInstant: num(r.expires_instant),
  };
}

/** All SQL of the identity server. better-sqlite3 is synchronous, so each method is atomic on its own. */
export class IdentityStore {
  constructor(readonly db: Db) {}

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  // settings
  setting(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as Row | undefined;
    return row ? str(row.value) : undefined;
  }
  setSettingIfAbsent(key: string, value: string): void {
    this.db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(key, value);
  }

  // tenant and applications
  insertTenantIfAbsent(t: TenantRecord): void {
    this.db.prepare('INSERT OR IGNORE INTO tenants (id, name) VALUES (?, ?)').run(t.id, t.name);
  }
  tenants(): TenantRecord[] {
    return (this.db.prepare('SELECT id, name FROM tenants ORDER BY rowid').all() as Row[]).map((r) => ({ id: str(r.id), name: str(r.name) }));
  }
  insertApplicationIfAbsent(a: ApplicationRecord): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO applications (id, app, tenant_id, name, client_secret, authorized_redirect_urls, logout_url, enabled_grants, generate_refresh_tokens)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(a.id, a.app, a.tenantId, a.name, a.clientSecret, JSON.stringify(a.authorizedRedirectURLs), a.logoutURL, JSON.stringify(a.enabledGrants), a.generateRefreshTokens ? 1 : 0);
  }
  applications(): ApplicationRecord[] {
    return (this.db.prepare('SELECT * FROM applications ORDER BY rowid').all() as Row[]).map(toApplication);
  }

  // users and registrations
  insertUser(u: UserRecord): void {
    this.db
      .prepare(
        `INSERT INTO users (id, tenant_id, email, first_name, last_name, password_scheme, password_factor, password_salt, password_hash, insert_instant, password_last_update_instant, last_login_instant)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(u.id, u.tenantId, u.email, u.firstName, u.lastName, u.password.scheme, u.password.factor, u.password.salt, u.password.hash, u.insertInstant, u.passwordLastUpdateInstant, u.lastLoginInstant);
  }
  userById(id: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
    return row && toUser(row);
  }
  userByEmail(email: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE email = ?').get(email) as Row | undefined;
    return row && toUser(row);
  }
  users(): UserRecord[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY email').all() as Row[]).map(toUser);
  }
  recordLogin(userId: string, applicationId: string | undefined, now: number): void {
    this.db.prepare('UPDATE users SET last_login_instant = ? WHERE id = ?').run(now, userId);
    if (applicationId) this.db.prepare('UPDATE registrations SET last_login_instant = ? WHERE user_id = ? AND application_id = ?').run(now, userId, applicationId);
  }
  insertRegistrationIfAbsent(r: RegistrationRecord): void {
    this.db
      .prepare('INSERT OR IGNORE INTO registrations (id, user_id, application_id, roles, insert_instant, last_login_instant) VALUES (?, ?, ?, ?, ?, ?)')
      .run(r.id, r.userId, r.applicationId, JSON.stringify(r.roles), r.insertInstant, r.lastLoginInstant);
  }
  registrations(userId: string): RegistrationRecord[] {
    return (this.db.prepare('SELECT * FROM registrations WHERE user_id = ? ORDER BY rowid').all(userId) as Row[]).map(toRegistration);
  }

  // signing keys
  signingKey(): { kid: string; privatePem: string; publicPem: string } | undefined {
    const row = this.db.prepare("SELECT kid, private_pem, public_pem FROM signing_keys WHERE algorithm = 'RS256' ORDER BY insert_instant LIMIT 1").get() as Row | undefined;
    return row && { kid: str(row.kid), privatePem: str(row.private_pem), publicPem: str(row.public_pem) };
  }
  insertSigningKey(k: { kid: string; privatePem: string; publicPem: string; insertInstant: number }): void {
    this.db
      .prepare("INSERT INTO signing_keys (kid, algorithm, private_pem, public_pem, insert_instant) VALUES (?, 'RS256', ?, ?, ?)")
      .run(k.kid, k.privatePem, k.publicPem, k.insertInstant);
  }

  // refresh tokens
  insertRefreshToken(t: RefreshTokenRecord): void {
    this.db
      .prepare(
        `INSERT INTO refresh_tokens (id, token, application_id, user_id, insert_instant, start_instant, auth_instant, grant_type, scopes, public_client,
           last_accessed_instant, last_rotated_instant, expired_instant, revoked_instant, revoked_reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        t.id, t.token, t.applicationId, t.userId, t.insertInstant, t.startInstant, t.authInstant, t.grantType, JSON.stringify(t.scopes),
        t.publicClient ? 1 : 0, t.lastAccessedInstant, t.lastRotatedInstant, t.expiredInstant, t.revokedInstant, t.revokedReason,
      );
  }
  refreshTokenById(id: string): RefreshTokenRecord | undefined {
    const row = this.db.prepare('SELECT * FROM refresh_tokens WHERE id = ?').get(id) as Row | undefined;
    return row && toRefreshToken(row);
  }
  refreshTokenByValue(token: string): RefreshTokenRecord | undefined {
    const row = this.db.prepare('SELECT * FROM refresh_tokens WHERE token = ?').get(token) as Row | undefined;
    return row && toRefreshToken(row);
  }
  rotationByValue(token: string): RotationRecord | undefined {
    const row = this.db.prepare('SELECT * FROM refresh_token_rotations WHERE token = ?').get(token) as Row | undefined;
    return row && { token: str(row.token), refreshTokenId: str(row.refresh_token_id), replacedInstant: num(row.replaced_instant) };
  }
  rotations(refreshTokenId: string): RotationRecord[] {
    return (this.db.prepare('SELECT * FROM refresh_token_rotations WHERE refresh_token_id = ? ORDER BY replaced_instant, rowid').all(refreshTokenId) as Row[]).map((row) => ({
      token: str(row.token),
      refreshTokenId: str(row.refresh_token_id),
      replacedInstant: num(row.replaced_instant),
    }));
  }
  refreshTokens(filter: { userId?: string; applicationId?: string } = {}): RefreshTokenRecord[] {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.userId) (where.push('user_id = ?'), args.push(filter.userId));
    if (filter.applicationId) (where.push('application_id = ?'), args.push(filter.applicationId));
    const sql = `SELECT * FROM refresh_tokens ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY insert_instant, rowid`;
    return (this.db.prepare(sql).all(...args) as Row[]).map(toRefreshToken);
  }
  /** Rotation: the old value joins the chain, the row keeps its id. */
  rotateRefreshToken(id: string, oldValue: string, newValue: string, now: number): void {
    this.db.prepare('INSERT INTO refresh_token_rotations (token, refresh_token_id, replaced_instant) VALUES (?, ?, ?)').run(oldValue, id, now);
    this.db.prepare('UPDATE refresh_tokens SET token = ?, last_rotated_instant = ? WHERE id = ?').run(newValue, now, id);
  }
  touchRefreshToken(id: string, now: number, slide: boolean): void {
    this.db
      .prepare(`UPDATE refresh_tokens SET last_accessed_instant = ?${slide ? ', start_instant = ?' : ''} WHERE id = ?`)
      .run(...(slide ? [now, now, id] : [now, id]));
  }
  revokeRefreshToken(id: string, now: number, reason: string): boolean {
    return this.db.prepare('UPDATE refresh_tokens SET revoked_instant = ?, revoked_reason = ? WHERE id = ? AND revoked_instant IS NULL').run(now, reason, id).changes > 0;
  }
  expireRefreshToken(id: string, now: number): void {
    this.db.prepare('UPDATE refresh_tokens SET expired_instant = ? WHERE id = ?').run(now, id);
  }

  // SSO sessions
  insertSsoSession(s: SsoSessionRecord): void {
    this.db
      .prepare(
        'INSERT INTO sso_sessions (id, token, user_id, start_instant, last_used_instant, auth_instant, expired_instant, revoked_instant, revoked_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(s.id, s.token, s.userId, s.startInstant, s.lastUsedInstant, s.authInstant, s.expiredInstant, s.revokedInstant, s.revokedReason);
  }
  ssoSessionByToken(token: string): SsoSessionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM sso_sessions WHERE token = ?').get(token) as Row | undefined;
    return row && toSso(row);
  }
  ssoSessions(): SsoSessionRecord[] {
    return (this.db.prepare('SELECT * FROM sso_sessions ORDER BY start_instant, rowid').all() as Row[]).map(toSso);
  }
  touchSsoSession(id: string, now: number): void {
    this.db.prepare('UPDATE sso_sessions SET last_used_instant = ? WHERE id = ?').run(now, id);
  }
  revokeSsoSession(id: string, now: number, reason: string): void {
    this.db.prepare('UPDATE sso_sessions SET revoked_instant = ?, revoked_reason = ? WHERE id = ? AND revoked_instant IS NULL').run(now, reason, id);
  }
  expireSsoSession(id: string, now: number): void {
    this.db.prepare('UPDATE sso_sessions SET expired_instant = ? WHERE id = ?').run(now, id);
  }

  // authorization codes: single use, so taking one deletes it
  insertCode(c: AuthorizationCodeRecord): void {
    this.db
      .prepare(
        'INSERT INTO authorization_codes (code, application_id, user_id, redirect_uri, scope, nonce, code_challenge, sso_session_id, auth_instant, expires_instant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(c.code, c.applicationId, c.userId, c.redirectUri, c.scope, c.nonce, c.codeChallenge, c.ssoSessionId, c.authInstant, c.expiresInstant);
  }
  takeCode(code: string): AuthorizationCodeRecord | undefined {
    return this.transaction(() => {
      const row = this.db.prepare('SELECT * FROM authorization_codes WHERE code = ?').get(code) as Row | undefined;
      if (row) this.db.prepare('DELETE FROM authorization_codes WHERE code = ?').run(code);
      return row && toCode(row);
    });
  }

  // failed logins
  failedLogin(userId: string): FailedLoginRecord | undefined {
    const row = this.db.prepare('SELECT * FROM failed_logins WHERE user_id = ?').get(userId) as Row | undefined;
    return row && { userId: str(row.user_id), count: num(row.count), firstFailureInstant: num(row.first_failure_instant), lockedUntil: numOrNull(row.locked_until) };
  }
  saveFailedLogin(f: FailedLoginRecord): void {
    this.db
      .prepare('INSERT OR REPLACE INTO failed_logins (user_id, count, first_failure_instant, locked_until) VALUES (?, ?, ?, ?)')
      .run(f.userId, f.count, f.firstFailureInstant, f.lockedUntil);
  }
  clearFailedLogins(userId: string): void {
    this.db.prepare('DELETE FROM failed_logins WHERE user_id = ?').run(userId);
  }

  /** Inspector reset: runtime state goes, users, applications and keys stay. */
  resetRuntimeState(): void {
    this.transaction(() => {
      this.db.exec('DELETE FROM refresh_token_rotations; DELETE FROM refresh_tokens; DELETE FROM sso_sessions; DELETE FROM authorization_codes; DELETE FROM failed_logins;');
    });
  }
}
