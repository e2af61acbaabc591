// `npm start` (package.json: `exec node scripts/start.mjs`): builds, then runs Loginscope in this same process
// (out/loginscope.mjs), so the process npm started is the server and npm's SIGTERM or SIGINT reaches it. Plain
// JavaScript for any Node: the bundle's entry checks the version before anything else loads.
//
// Why not `npm run -s build && node out/loginscope.mjs`: npm runs a script through `sh -c`; a signal to npm reaches
// that shell, the shell dies (SIGTERM) or waits on (SIGINT), and node is left behind holding the port. `exec` makes
// the shell become this process (dash, Debian's sh, does not do that by itself); the build is a child we stop with
// us. cmd.exe (npm's shell on Windows) has no exec: exec.cmd in the project folder runs the rest of the line, and
// parentWatch below stops us when npm ends that shell (Windows has no signals to forward).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** `npm run -s build` with the npm that runs us (npm_execpath), on this Node; plain `npm` outside npm. */
function buildCommand() {
  const npmCli = process.env.npm_execpath;
  if (npmCli && /\.[cm]?js$/.test(npmCli)) return { command: process.execPath, args: [npmCli, 'run', '-s', 'build'], shell: false };
  return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', args: ['run', '-s', 'build'], shell: process.platform === 'win32' };
}

/** Runs the build; a stop signal meanwhile stops the build and then this process, by that signal. */
function build() {
  const { command, args, shell } = buildCommand();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', shell });
    let stoppedBy;
    const stop = (signal) => {
      stoppedBy ??= signal;
      child.kill(signal);
    };
    for (const signal of STOP_SIGNALS) process.on(signal, stop);
    const done = (code) => {
      for (const signal of STOP_SIGNALS) process.off(signal, stop);
      resolve({ code, stoppedBy });
    };
    child.once('error', (err) => {
      console.error(`npm start: could not run the build (${command}): ${err.message}`);
      done(1);
    });
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Stops this process the way a signal would when the process that started it is gone (the shell npm put between
 * us died of npm's SIGTERM or SIGINT). POSIX re-parents an orphan, so its ppid changes; Windows does not, so the
 * parent's pid is asked directly.
 */
function parentWatch() {
  const parent = process.ppid;
  const gone = () => {
    if (process.ppid !== parent) return true;
    try {
      process.kill(parent, 0);
      return false;
    } catch (err) {
      return err.code !== 'EPERM';
    }
  };
  const timer = setInterval(() => {
    if (!gone()) return;
    clearInterval(timer);
    // A real signal on POSIX (the server's handlers close it cleanly; before they exist it just ends). Windows has
    // no signals to send oneself: call the handlers, or end.
    if (process.platform !== 'win32') process.kill(process.pid, 'SIGTERM');
    else if (process.listenerCount('SIGTERM') > 0) process.emit('SIGTERM', 'SIGTERM');
    else process.exit(0);
  }, 200);
  timer.unref();
}

parentWatch();
// LOGINSCOPE_SKIP_BUILD=1: serve what out/ already holds (the tests, which have built once already).
if (process.env.LOGINSCOPE_SKIP_BUILD !== '1') {
  const { code, stoppedBy } = await build();
  if (stoppedBy) {
    // No handler is left: the signal's default action ends us here, as it would have without the build.
    process.kill(process.pid, stoppedBy);
    process.exit(1);
  }
  if (code !== 0) process.exit(code);
}
await import(pathToFileURL(path.join(root, 'out', 'loginscope.mjs')).href);
