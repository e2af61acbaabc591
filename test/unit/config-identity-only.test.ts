import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../backend/config.js';

const dir = '/tmp/loginscope-config-identity-only-does-not-exist';

describe('config: --identity-only and --app-port', () => {
  it('reads both flags', () => {
    const config = loadConfig(['--data-dir', dir, '--identity-only', '--port', '9011', '--app-port', '9311'], {});
    expect(config).toMatchObject({ identityOnly: true, port: 9011, appPort: 9311 });
    expect(loadConfig(['--data-dir', dir], {}).identityOnly).toBe(false);
    expect(loadConfig(['--data-dir', dir], { LOGINSCOPE_IDENTITY_ONLY: 'true', LOGINSCOPE_APP_PORT: '9400', LOGINSCOPE_PORT: '0' })).toMatchObject({ identityOnly: true, appPort: 9400 });
  });

  it.each([
    [['--app-port', '9311'], /^Bad config: appPort: is only used with --identity-only/],
    [['--identity-only', '--app-port', 'x'], /^Bad config: appPort: /],
    [['--identity-only', '--port', '0', '--app-port', '0'], /^Bad config: appPort: /],
    [['--identity-only', '--port', '9311'], /^Bad config: appPort: must differ from port 9311/],
    [['--identity-only', '--port', '9011', '--app-port', '9011'], /^Bad config: appPort: must differ from port 9011/],
  ])('refuses %j with one line', (args, message) => {
    expect(() => loadConfig(['--data-dir', dir, ...args], {})).toThrow(message);
  });

  it('refuses identity-only with a FusionAuth configured', () => {
    const env = { LOGINSCOPE_IDENTITY__KIND: 'fusionauth', LOGINSCOPE_IDENTITY__URL: 'http://localhost:9011', LOGINSCOPE_IDENTITY__API_KEY: 'k', LOGINSCOPE_IDENTITY__APPLICATIONS__STORE__ID: 's', LOGINSCOPE_IDENTITY__APPLICATIONS__FORUM__ID: 'f' };
    expect(() => loadConfig(['--data-dir', dir, '--identity-only', '--port', '9011'], env)).toThrow(/^Bad config: identityOnly: serves the embedded identity server, so identity\.kind must be embedded \(it is fusionauth\)$/);
  });
});
