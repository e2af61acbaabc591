import { spawn } from 'node:child_process';
import { ConfigError, helpRequested, helpText, loadConfig } from './config.js';
import { DataFileError } from './data-dir.js';
import { desktopCommand, findElectronBinary, superviseDesktop } from './electron-binary.js';
import { IdentityConnectionError } from './fusionauth/connection-check.js';
import { startIdentityOnly } from './identity-only.js';
import { openInBrowser } from './open-browser.js';
import { projectRoot } from './paths.js';
import { PortInUseError, startLoginscope } from './start.js';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  if (helpRequested(argv)) {
    console.log(helpText());
    process.exit(0);
  }
  let config;
  try {
    config = loadConfig(argv);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }

  if (config.identityOnly) return identityOnly(config);

  if (!config.web) {
    const electron = findElectronBinary();
    if (electron.path) {
      const { command, args, options } = desktopCommand(electron.path, projectRoot(), argv, process.env);
      // Stopping the launcher stops the app (which closes its backend).
      superviseDesktop(spawn(command, args, options), process, (code) => process.exit(code));
      return;
    }
    console.log(`Running in web mode: ${electron.reason}.`);
  }

  let app;
  try {
    app = await startLoginscope(config);
  } catch (err) {
    if (err instanceof PortInUseError || err instanceof IdentityConnectionError || err instanceof DataFileError) fail(err.message);
    throw err;
  }
  for (const notice of app.notices) console.log(notice);
  for (const problem of app.identityCheck?.problems ?? []) console.error(`FusionAuth check: ${problem.message}`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('Error while stopping:', (err as Error).message);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log(`Loginscope ready: ${app.inspectorUrl}`);
  if (config.open) {
    void openInBrowser(app.inspectorUrl);
    void openInBrowser(app.urls.store);
  }
}

/** `--identity-only`: serve just the identity server, for another Loginscope to use as its "real FusionAuth". */
async function identityOnly(config: ReturnType<typeof loadConfig>): Promise<void> {
  let server;
  try {
    server = await startIdentityOnly(config);
  } catch (err) {
    if (err instanceof PortInUseError || err instanceof DataFileError) fail(err.message);
    throw err;
  }
  const stop = () =>
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`Loginscope identity server ready: ${server.publicUrl} (redirect URIs for apps on port ${server.appPort}; settings: ${server.apiUrl}/identity?token=${server.inspectorToken})`);
}

await main(process.argv.slice(2));
