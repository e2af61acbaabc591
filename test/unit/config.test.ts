import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_FLAGS, ConfigError, defaultDataDir, envName, helpRequested, helpText, loadConfig } from '../../backend/config.js';

const made: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loginscope-config-'));
  made.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

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

describe('errors name where the value came from (issue 19 item 7)', () => {
  it('a flag, an environment variable or the config file', () => {
    const dir = dataDir();
    expect(() => loadConfig(['--data-dir', dir, '--port', 'abc'], {})).toThrow(/^Bad config: port: .* \(from --port\)$/);
    expect(() => loadConfig(['--data-dir', dir], { LOGINSCOPE_PORT: 'abc' })).toThrow(/^Bad config: port: .* \(from environment variable LOGINSCOPE_PORT\)$/);
    const file = path.join(dir, 'loginscope.config.json');
    writeFileSync(file, JSON.stringify({ port: 'x' }));
    expect(() => loadConfig(['--data-dir', dir], {})).toThrow(new RegExp(`^Bad config: port: .* \\(from ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`));
    // The file's value is overridden by a good one from the environment: no error at all.
    expect(loadConfig(['--data-dir', dir], { LOGINSCOPE_PORT: '5000' }).port).toBe(5000);
  });

  it('a missing nested value names the layer that set its parent', () => {
    const dir = dataDir();
    expect(() => loadConfig(['--data-dir', dir], { LOGINSCOPE_IDENTITY__KIND: 'fusionauth', LOGINSCOPE_IDENTITY__URL: 'http://localhost:9011' })).toThrow(
      /^Bad config: identity\.apiKey: .* \(from environment variables LOGINSCOPE_IDENTITY__KIND, LOGINSCOPE_IDENTITY__URL\)$/,
    );
  });

  it('a stray variable is named, with the one that was meant', () => {
    const dir = dataDir();
    expect(() => loadConfig(['--data-dir', dir], { LOGINSCOPE_PROT: '1' })).toThrow(
      'Bad config: prot: not a setting (environment variable LOGINSCOPE_PROT; did you mean LOGINSCOPE_PORT?)',
    );
    expect(() => loadConfig(['--data-dir', dir], { LOGINSCOPE_TTL__SESSION_IDLE: '1' })).toThrow(/did you mean LOGINSCOPE_TTL__SESSION_IDLE_SECONDS\?\)$/);
    expect(() => loadConfig(['--data-dir', dir], { LOGINSCOPE_ZZZZZZZZ: '1' })).toThrow(/^Bad config: zzzzzzzz: not a setting \(environment variable LOGINSCOPE_ZZZZZZZZ\)$/);
  });

  it('a stray key in the file is named with the file', () => {
    const dir = dataDir();
    const file = path.join(dir, 'loginscope.config.json');
    writeFileSync(file, JSON.stringify({ ttl: { sesionIdleSeconds: 5 } }));
    expect(() => loadConfig(['--data-dir', dir], {})).toThrow(`Bad config: ttl.sesionIdleSeconds: not a setting (in ${file}; did you mean "sessionIdleSeconds"?)`);
  });

  it('an unknown flag names the closest one', () => {
    const dir = dataDir();
    expect(() => loadConfig(['--data-dir', dir, '--prot', '1'], {})).toThrow('Command line: unknown option --prot (did you mean --port?)');
    expect(() => loadConfig(['--data-dir', dir, '--no-opne'], {})).toThrow('Command line: unknown option --no-opne (did you mean --no-open?)');
    expect(() => loadConfig(['--data-dir', dir, '--frobnicate'], {})).toThrow('Command line: unknown option --frobnicate (npm start -- --help lists every option)');
    // A flag's value may itself start with dashes.
    expect(loadConfig(['--data-dir', dir, '--workflow=implicit-session'], {}).workflow).toBe('implicit-session');
  });
});

describe('--help (issue 19 item 2)', () => {
  it('lists every flag with its environment variable and default, from the one list', () => {
    const text = helpText({});
    for (const f of CLI_FLAGS) if ('key' in f) expect(text).toContain(`env ${envName(f.key)}; default `);
    expect(text).toContain(`env LOGINSCOPE_DATA_DIR; default ${defaultDataDir()}`);
    expect(text).toContain('env LOGINSCOPE_WORKFLOW; default native-refresh');
    expect(helpRequested(['--web', '--help'])).toBe(true);
    expect(helpRequested(['-h'])).toBe(true);
    expect(helpRequested(['--', '--help'])).toBe(false);
  });
});
