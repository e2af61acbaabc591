import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../backend/config.js';

const dataDir = () => mkdtempSync(path.join(os.tmpdir(), 'loginscope-config-'));

describe('loadConfig', () => {
  it('applies defaults', () => {
    const dir = dataDir();
    const config = loadConfig(['--data-dir', dir], {});
    expect(config.port).toBe(9311);
    expect(config.dataDir).toBe(dir);
    expect(config.identity.kind).toBe('embedded');
    expect(config.workflow).toBe('native-refresh');
  });

  it('layers file < env < flags', () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, 'loginscope.config.json'), JSON.stringify({ port: 1000, workflow: 'implicit-session', ttl: { sessionIdleSeconds: 30 } }));
    const fromFile = loadConfig(['--data-dir', dir], {});
    expect(fromFile.port).toBe(1000);
    expect(fromFile.ttl.sessionIdleSeconds).toBe(30);
    expect(fromFile.ttl.refreshTokenMinutes).toBe(60);
    const fromEnv = loadConfig(['--data-dir', dir], { LOGINSCOPE_PORT: '2000', LOGINSCOPE_TTL__SESSION_IDLE_SECONDS: '45' });
    expect(fromEnv.port).toBe(2000);
    expect(fromEnv.ttl.sessionIdleSeconds).toBe(45);
    expect(fromEnv.workflow).toBe('implicit-session');
    const fromFlags = loadConfig(['--data-dir', dir, '--port', '3000', '--no-open'], { LOGINSCOPE_PORT: '2000' });
    expect(fromFlags.port).toBe(3000);
    expect(fromFlags.open).toBe(false);
  });

  it('takes a real FusionAuth from the file', () => {
    const dir = dataDir();
    const file = path.join(dir, 'fa.json');
    writeFileSync(
      file,
      JSON.stringify({ identity: { kind: 'fusionauth', url: 'http://localhost:9011', apiKey: 'k', applications: { store: { id: 's' }, forum: { id: 'f' } } } }),
    );
    const config = loadConfig(['--data-dir', dir, '--config', file], {});
    expect(config.identity).toMatchObject({ kind: 'fusionauth', url: 'http://localhost:9011' });
  });

  it.each([
    [['--port', 'abc'], /port/],
    [['--port', '-1'], /port/],
    [['--workflow', 'nope'], /workflow/],
    [['--bogus'], /Command line/],
  ])('rejects %j naming the field', (args, pattern) => {
    expect(() => loadConfig(['--data-dir', dataDir(), ...args], {})).toThrow(ConfigError);
    expect(() => loadConfig(['--data-dir', dataDir(), ...args], {})).toThrow(pattern);
  });

  it('rejects a FusionAuth without an API key, naming it', () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, 'loginscope.config.json'), JSON.stringify({ identity: { kind: 'fusionauth', url: 'http://x:9011', applications: { store: { id: 's' }, forum: { id: 'f' } } } }));
    expect(() => loadConfig(['--data-dir', dir], {})).toThrow(/identity\.apiKey/);
  });

  it('rejects a config file that is not JSON', () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, 'loginscope.config.json'), '{ nope');
    expect(() => loadConfig(['--data-dir', dir], {})).toThrow(/not valid JSON/);
  });
});

describe('environment', () => {
  it('keeps all-digit text settings as text, and ignores the launcher switches', () => {
    const dir = dataDir();
    const config = loadConfig(['--data-dir', dir], {
      LOGINSCOPE_DISABLE_SINGLE_INSTANCE: '1',
      LOGINSCOPE_IDENTITY__KIND: 'fusionauth',
      LOGINSCOPE_IDENTITY__URL: 'http://localhost:9011',
      LOGINSCOPE_IDENTITY__API_KEY: '1234567890',
      LOGINSCOPE_IDENTITY__APPLICATIONS__STORE__ID: '1',
      LOGINSCOPE_IDENTITY__APPLICATIONS__FORUM__ID: '2',
    });
    expect(config.identity).toMatchObject({ kind: 'fusionauth', apiKey: '1234567890', applications: { store: { id: '1' }, forum: { id: '2' } } });
  });
});
