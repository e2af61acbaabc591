import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Browser, type HttpResponse } from './http.js';

const root = path.resolve(import.meta.dirname, '..', '..');
/** What `npm start` runs: the bundled launcher. */
export const CLI = path.join(root, 'out', 'loginscope.mjs');

/** What the identity-only process reports at `GET /api/identity`: what a FusionAuth client needs. */
export interface IdentityOnlyInfo {
  publicUrl: string;
  apiKey: string;
  tenantId: string;
  issuer: string;
  appPort: number;
  applications: { store: { id: string }; forum: { id: string } };
  config: { identity: { kind: 'fusionauth'; url: string; apiKey: string; applications: { store: { id: string }; forum: { id: string } } } };
}

/** A free loopback port: the apps' port must be known before the identity server registers redirect URIs for it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs `node out/loginscope.mjs …` and resolves with its exit code and output (for start-up failures). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A second Loginscope, as a child process, serving only the identity server (`--identity-only`): what the
 * main Loginscope under test treats as an external FusionAuth. Nothing of it runs in the test's process.
 */
export class IdentityOnlyProcess {
  private readonly http = new Browser();
  private constructor(
    private readonly child: ChildProcess,
    readonly dataDir: string,
    private readonly ownsDataDir: boolean,
    readonly port: number,
    readonly apiUrl: string,
    private readonly token: string,
    readonly info: IdentityOnlyInfo,
  ) {}

  static async start(appPort: number, options: { dataDir?: string } = {}): Promise<IdentityOnlyProcess> {
    const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'loginscope-idp-'));
    const child = spawn(process.execPath, [CLI, '--identity-only', '--port', '0', '--app-port', String(appPort), '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOGINSCOPE_OPEN: 'false' },
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const ready = out.split('\n').find((l) => l.startsWith('Loginscope identity server ready: '));
        if (ready) resolve(ready);
      });
      child.once('exit', (code) => reject(new Error(`identity-only process exited with ${code}: ${err || out}`)));
    });
    const match = /^Loginscope identity server ready: http:\/\/login\.localhost:(\d+) .*settings: (http:\/\/inspector\.localhost:\d+\/api)\/identity\?token=(\S+)\)$/.exec(line);
    if (!match) throw new Error(`unexpected ready line: ${line}`);
    const [, port, apiUrl, token] = match;
    const http = new Browser();
    const info = (await http.fetch(`${apiUrl}/identity`, { headers: { authorization: `Bearer ${token}` } })).json<IdentityOnlyInfo>();
    return new IdentityOnlyProcess(child, dataDir, options.dataDir === undefined, Number(port), apiUrl!, token!, info);
  }

  private call(method: 'GET' | 'POST', p: string, json?: unknown): Promise<HttpResponse> {
    return this.http.fetch(`${this.apiUrl}${p}`, { method, headers: { authorization: `Bearer ${this.token}` }, ...(json !== undefined && { json }) });
  }

  /** Moves the identity server's own clock (its inspector clock API): "a while later" at the identity server. */
  async advance(seconds: number): Promise<void> {
    const res = await this.call('POST', '/clock/advance', { seconds });
    if (res.status !== 200) throw new Error(`advance answered ${res.status}: ${res.text}`);
  }

  state<T = { idp: { refreshTokens: Array<Record<string, unknown>>; ssoSessions: Array<Record<string, unknown>> } }>(): Promise<T> {
    return this.call('GET', '/state').then((r) => r.json<T>());
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** The main Loginscope as a child process (`--web --no-open`), up to its ready line; for what the terminal shows. */
export async function startCli(args: string[]): Promise<{ readyLine: string; stderr: () => string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const readyLine = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const ready = out.split('\n').find((l) => l.startsWith('Loginscope ready: '));
      if (ready) resolve(ready);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready: ${stderr || out}`)));
  });
  return {
    readyLine,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}
