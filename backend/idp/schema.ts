/** The identity server's own database (identity.db), one migration per entry; see backend/db.ts. Instants are epoch ms. */
export const IDENTITY_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL);
  CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    app TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    -- redirect and logout URLs are templates with {port}; the port is only known at start
    authorized_redirect_urls TEXT NOT NULL,
    logout_url TEXT NOT NULL,
    enabled_grants TEXT NOT NULL,
    generate_refresh_tokens INTEGER NOT NULL
  );
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    first_name TEXT,
    last_name TEXT,
    password_scheme TEXT NOT NULL,
    password_factor INTEGER NOT NULL,
    password_salt TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    insert_instant INTEGER NOT NULL,
    password_last_update_instant INTEGER NOT NULL,
    last_login_instant INTEGER
  );
  CREATE TABLE registrations (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    application_id TEXT NOT NULL REFERENCES applications(id),
    roles TEXT NOT NULL,
    insert_instant INTEGER NOT NULL,
    last_login_instant INTEGER,
    UNIQUE (user_id, application_id)
  );
  CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    algorithm TEXT NOT NULL,
    private_pem TEXT NOT NULL,
    public_pem TEXT NOT NULL,
    insert_instant INTEGER NOT NULL
  );
  CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    application_id TEXT NOT NULL REFERENCES applications(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    insert_instant INTEGER NOT NULL,
    start_instant INTEGER NOT NULL,
    auth_instant INTEGER NOT NULL,
    grant_type TEXT NOT NULL,
    scopes TEXT NOT NULL,
    public_client INTEGER NOT NULL,
    last_accessed_instant INTEGER,
    last_rotated_instant INTEGER,
    expired_instant INTEGER,
    revoked_instant INTEGER,
    revoked_reason TEXT
  );
  CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id);
  -- every value a one-time-use token had before its current one, to tell a replay from an unknown token
  CREATE TABLE refresh_token_rotations (
    token TEXT PRIMARY KEY,
    refresh_token_id TEXT NOT NULL REFERENCES refresh_tokens(id) ON DELETE CASCADE,
    replaced_instant INTEGER NOT NULL
  );
  CREATE INDEX refresh_token_rotations_owner ON refresh_token_rotations(refresh_token_id);
  CREATE TABLE sso_sessions (
    id TEXT PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users(id),
    start_instant INTEGER NOT NULL,
    last_used_instant INTEGER NOT NULL,
    auth_instant INTEGER NOT NULL,
    expired_instant INTEGER,
    revoked_instant INTEGER,
    revoked_reason TEXT
  );
  CREATE TABLE authorization_codes (
    code TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    redirect_uri TEXT NOT NULL,
    scope TEXT NOT NULL,
    nonce TEXT,
    code_challenge TEXT,
    sso_session_id TEXT,
    auth_instant INTEGER NOT NULL,
    expires_instant INTEGER NOT NULL
  );
  CREATE TABLE failed_logins (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    count INTEGER NOT NULL,
    first_failure_instant INTEGER NOT NULL,
    locked_until INTEGER
  );
  `,
  // The password grant (ROPC) is off for every application: no workflow uses it, and RFC 9700 §2.4 says it must not be used.
  `UPDATE applications SET enabled_grants = (SELECT json_group_array(value) FROM json_each(applications.enabled_grants) WHERE value != 'password');`,
];
