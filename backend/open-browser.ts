import { spawn, type SpawnOptions } from 'node:child_process';

/** The desktop's "open this URL" command on each OS. */
export function openerFor(platform: NodeJS.Platform): [string, string[]] {
  if (platform === 'darwin') return ['open', []];
  if (platform === 'win32') return ['cmd', ['/c', 'start', '']];
  return ['xdg-open', []];
}

type Spawn = (command: string, args: string[], options: SpawnOptions) => Pick<import('node:child_process').ChildProcess, 'once' | 'unref'>;

/**
 * Opens a URL in the desktop's default browser; failure to open is not failure to run. When the opener is missing,
 * fails or exits non-zero (xdg-open exits 3 without a desktop), says so with the URL to open by hand. Resolves once
 * the opener has finished: true when it opened the URL.
 */
export function openInBrowser(
  url: string,
  { opener = openerFor(process.platform), spawnFn = spawn as Spawn, log = (line: string) => console.log(line) }: { opener?: [string, string[]]; spawnFn?: Spawn; log?: (line: string) => void } = {},
): Promise<boolean> {
  const [command, args] = opener;
  return new Promise((resolve) => {
    let settled = false;
    const done = (opened: boolean, why?: string) => {
      if (settled) return;
      settled = true;
      if (!opened) log(`Could not open a browser (${why}). Open ${url} in your browser.`);
      resolve(opened);
    };
    let child;
    try {
      child = spawnFn(command, [...args, url], { stdio: 'ignore', detached: true });
    } catch (err) {
      return done(false, `${command}: ${(err as Error).message}`);
    }
    child.once('error', (err: NodeJS.ErrnoException) => done(false, err.code === 'ENOENT' ? `${command} is not installed` : `${command}: ${err.message}`));
    child.once('exit', (code: number | null, signal: NodeJS.Signals | null) =>
      done(code === 0, code === null ? `${command} was stopped by ${signal}` : `${command} exited with code ${code}`),
    );
    child.unref();
  });
}
