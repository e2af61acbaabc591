import { spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_ROLES } from '../../backend/hosts.js';
import { Browser } from '../support/http.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

function rawGet(port: number, host: string, pathName = '/healthz'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathName, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

const cli = path.resolve('out/loginscope.mjs');
const runCli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });

describe('one loopback server, one origin per Host', () => {
  let app: TestLoginscope;
  beforeAll(async () => {
    app = await startTestLoginscope();
  });
  afterAll(() => app.stop());

  it.each(HOST_ROLES)('%s.localhost answers on its own Host', async (role) => {
    const res = await new Browser().fetch(`${app.urls[role]}/healthz`);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true, origin: role });
  });

  it('serves each page on its origin', async () => {
    for (const role of ['store', 'forum', 'inspector'] as const) {
      const res = await new Browser().fetch(`${app.urls[role]}/`);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`/assets/${role}-`);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });

  it.each(['evil.example', 'localhost', '127.0.0.1', 'store.localhost', 'store.localhost:1', 'unknown.localhost'])(
    'refuses Host %s with 421',
    async (host) => {
      const res = await rawGet(app.port, host.replace(/:1$/, `:${app.port === 1 ? 2 : 1}`));
      expect(res.status).toBe(421);
      expect(JSON.parse(res.body).error.code).toBe('unknown_host');
    },
  );

  it('keeps the inspector API behind the launch token', async () => {
    const anonymous = await new Browser().fetch(`${app.urls.inspector}/api/state`);
    expect(anonymous.status).toBe(401);
    const wrong = await new Browser().fetch(`${app.urls.inspector}/api/state`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const ok = await new Browser().fetch(`${app.urls.inspector}/api/state`, { headers: { authorization: `Bearer ${app.inspectorToken}` } });
    expect(ok.status).toBe(200);
  });

  it('serves the inspector API only on the inspector origin', async () => {
    const res = await new Browser().fetch(`${app.urls.store}/api/state`, { headers: { authorization: `Bearer ${app.inspectorToken}` } });
    expect(res.status).not.toBe(200);
  });
});

describe('start-up failures exit 2 with one line', () => {
  it('names the bad field', () => {
    const res = runCli(['--web', '--no-open', '--port', '70000', '--data-dir', path.resolve('test-results/cli-bad')]);
    expect(res.status).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^Bad config: port: /);
  });

  it('names a bad env value', () => {
    const res = runCli(['--web', '--no-open', '--data-dir', path.resolve('test-results/cli-bad')], { LOGINSCOPE_TTL__SESSION_IDLE_SECONDS: '-5' });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/ttl\.sessionIdleSeconds/);
  });

  it('reports a port in use', async () => {
    const blocker = http.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const res = runCli(['--web', '--no-open', '--port', String(port), '--data-dir', path.resolve('test-results/cli-busy')]);
      expect(res.status).toBe(2);
      expect(res.stderr.trim()).toBe(`Port ${port} on 127.0.0.1 is already in use. Stop what holds it, or start with --port 0 to pick a free one.`);
    } finally {
      blocker.close();
    }
  });

  it('prints the ready line and stops cleanly on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [cli, '--web', '--no-open', '--port', '0', '--data-dir', path.resolve('test-results/cli-ready')]);
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /Loginscope ready: (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code} before ready: ${out}`)));
    });
    expect(line).toMatch(/^http:\/\/inspector\.localhost:\d+\/\?token=[\w-]{20,}$/);
    const code = await new Promise<number | null>((resolve) => {
      child.removeAllListeners('exit');
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });
});
