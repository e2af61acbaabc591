import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../backend/config.js';
import { buildKickstart, buildRealFusionAuthConfig, DEFAULT_APP_PORT, jsonText } from '../../backend/fusionauth/kickstart.js';
import { originUrls, redirectUri } from '../../backend/hosts.js';
import { fillPort } from '../../backend/idp/directory.js';
import { readIdentitySeed } from '../../backend/idp/seed.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const asset = (name: string) => path.join(root, 'assets', 'fusionauth', name);
/** The FusionAuth reference the kickstart follows (../shared beside the repo, as CI has it). */
const reference = path.resolve(root, '..', 'shared', 'reference', 'fusionauth.md');

interface Request {
  method: string;
  url: string;
  tenantId?: string;
  body: Record<string, any>;
}
interface Kickstart {
  variables: Record<string, string>;
  apiKeys: Array<{ key: string; description?: string }>;
  requests: Request[];
}

/** The FusionAuth APIs a kickstart request may target, each documented in fusionauth.md (section named). */
const DOCUMENTED: Array<{ method: string; url: RegExp; prefix: string; section: string }> = [
  { method: 'POST', url: /^\/api\/key\/generate\/#\{\w+\}$/, prefix: '/api/key/generate/', section: '§4.3 signing keys, §7.2' },
  { method: 'PATCH', url: /^\/api\/tenant\/#\{defaultTenantId\}$/, prefix: '/api/tenant/', section: '§5.2 tenant, §7.2' },
  { method: 'POST', url: /^\/api\/application\/#\{\w+\}$/, prefix: '/api/application/', section: '§5.1 application, §7.2' },
  { method: 'POST', url: /^\/api\/user\/registration\/#\{\w+\}$/, prefix: '/api/user/registration/', section: '§7.2' },
];

const committed = JSON.parse(readFileSync(asset('kickstart.json'), 'utf8')) as Kickstart;

describe('assets/fusionauth/kickstart.json', () => {
  it('parses, and is exactly what buildKickstart() makes (regenerate with `npx tsx backend/fusionauth/write-kickstart.ts`)', () => {
    expect(readFileSync(asset('kickstart.json'), 'utf8')).toBe(jsonText(buildKickstart()));
    expect(readFileSync(asset('loginscope.config.json'), 'utf8')).toBe(jsonText(buildRealFusionAuthConfig()));
  });

  it('targets only FusionAuth APIs the reference documents, with kickstart\'s format (§7.1)', () => {
    expect(Object.keys(committed).sort()).toEqual(['apiKeys', 'requests', 'variables']);
    expect(committed.apiKeys).toHaveLength(1);
    expect(committed.apiKeys[0]).not.toHaveProperty('permissions'); // the first key must be unrestricted
    const text = existsSync(reference) ? readFileSync(reference, 'utf8') : undefined;
    for (const request of committed.requests) {
      expect(['POST', 'PUT', 'PATCH']).toContain(request.method);
      const api = DOCUMENTED.find((d) => d.method === request.method && d.url.test(request.url));
      expect(api, `${request.method} ${request.url}`).toBeDefined();
      if (text) expect(text, `${api!.prefix} in the reference (${api!.section})`).toContain(api!.prefix);
      expect(Object.keys(request).every((k) => ['method', 'url', 'tenantId', 'contentType', 'body'].includes(k))).toBe(true);
    }
    // Every #{variable} is defined (or one kickstart provides).
    const used = [...JSON.stringify(committed).matchAll(/#\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const name of used) expect(name in committed.variables || /^(ENV\.|UUID\(\)|FUSIONAUTH_)/.test(name), name).toBe(true);
  });

  it('creates an RSA signing key, and both applications sign with it', () => {
    const [generate] = committed.requests;
    expect(generate).toMatchObject({ method: 'POST', url: '/api/key/generate/#{rsaKeyId}', body: { key: { algorithm: 'RS256', length: 2048 } } });
    const apps = committed.requests.filter((r) => r.url.startsWith('/api/application/'));
    expect(apps).toHaveLength(2);
    for (const r of apps) expect(r.body.application.jwtConfiguration).toMatchObject({ enabled: true, accessTokenKeyId: '#{rsaKeyId}', idTokenKeyId: '#{rsaKeyId}' });
  });

  it('sets up both applications for both workflows, with the redirect URIs our origins produce on the default port', () => {
    const seed = readIdentitySeed();
    const byApp = { store: '#{storeAppId}', forum: '#{forumAppId}' } as const;
    expect(DEFAULT_APP_PORT).toBe(9311);
    for (const app of ['store', 'forum'] as const) {
      const r = committed.requests.find((x) => x.url === `/api/application/${byApp[app]}`)!;
      expect(r.tenantId).toBe('#{defaultTenantId}');
      const { loginConfiguration, jwtConfiguration, oauthConfiguration } = r.body.application;
      expect(loginConfiguration).toEqual({ requireAuthentication: true, generateRefreshTokens: true, allowTokenRefresh: true });
      expect(jwtConfiguration.timeToLiveInSeconds).toBeGreaterThan(0);
      expect(jwtConfiguration.refreshTokenTimeToLiveInMinutes).toBeGreaterThan(0);
      expect(oauthConfiguration.enabledGrants).toEqual(expect.arrayContaining(['implicit', 'refresh_token']));
      expect(oauthConfiguration).toMatchObject({ generateRefreshTokens: true, scopeHandlingPolicy: 'Strict', authorizedURLValidationPolicy: 'ExactMatch' });
      const expected = `${originUrls(9311)[app]}/oauth-redirect`;
      expect(oauthConfiguration.authorizedRedirectURLs).toEqual([expected]);
      expect(oauthConfiguration.authorizedRedirectURLs).toEqual([redirectUri(app, DEFAULT_APP_PORT)]);
      // …and the same URIs the embedded server registers from its seed on that port.
      expect(oauthConfiguration.authorizedRedirectURLs).toEqual(seed.applications.find((a) => a.app === app)!.authorizedRedirectURLs.map((u) => fillPort(u, 9311)));
      expect(committed.variables[byApp[app].slice(2, -1)]).toBe(seed.applications.find((a) => a.app === app)!.id);
    }
  });

  it('registers the demo user to both applications, with the tenant\'s SSO session short for demos', () => {
    const registrations = committed.requests.filter((r) => r.url === '/api/user/registration/#{userId}');
    expect(registrations).toHaveLength(2);
    expect(registrations[0]!.body.user).toMatchObject({ email: 'demo@example.com', password: 'demo-password' });
    expect(registrations.map((r) => r.body.registration.applicationId).sort()).toEqual(['#{forumAppId}', '#{storeAppId}']);
    expect(registrations[1]!.body.user).toBeUndefined();
    const tenant = committed.requests.find((r) => r.method === 'PATCH')!;
    expect(tenant.body.tenant.httpSessionMaxInactiveInterval).toBeLessThanOrEqual(3600);
  });

  it('pairs with loginscope.config.json: same API key and application ids, and a valid config', () => {
    const config = JSON.parse(readFileSync(asset('loginscope.config.json'), 'utf8'));
    const parsed = validateConfig({ ...config, dataDir: '/tmp/x' });
    expect(parsed.identity).toMatchObject({
      kind: 'fusionauth',
      url: 'http://localhost:9011',
      apiKey: committed.variables.apiKey,
      applications: { store: { id: committed.variables.storeAppId }, forum: { id: committed.variables.forumAppId } },
    });
    expect(committed.apiKeys[0]!.key).toBe('#{apiKey}');
    expect(parsed.ttl.sessionIdleSeconds).toBeLessThan(parsed.ttl.refreshTokenMinutes * 60);
  });
});

describe('assets/fusionauth/docker-compose.yml', () => {
  const text = readFileSync(asset('docker-compose.yml'), 'utf8');
  it('pins FusionAuth and PostgreSQL, uses the database search, publishes 9011 and runs the mounted kickstart', () => {
    const images = [...text.matchAll(/image:\s*(\S+)/g)].map((m) => m[1]!);
    expect(images).toHaveLength(2);
    expect(images.some((i) => /^fusionauth\/fusionauth-app:\d+\.\d+\.\d+$/.test(i))).toBe(true);
    expect(images.some((i) => /^postgres:\d+\.\d+/.test(i))).toBe(true);
    expect(text).toMatch(/SEARCH_TYPE: database/);
    expect(text).toMatch(/"127\.0\.0\.1:9011:9011"/);
    const file = /FUSIONAUTH_APP_KICKSTART_FILE: (\S+)/.exec(text)![1];
    expect(text).toContain(`./kickstart.json:${file}:ro`);
  });
});
