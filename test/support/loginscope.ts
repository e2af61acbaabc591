import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClock } from '../../backend/clock.js';
import { validateConfig, type ConfigInput } from '../../backend/config.js';
import { startLoginscope, type Loginscope } from '../../backend/start.js';

export interface TestLoginscope extends Loginscope {
  dataDir: string;
  /** Closes the server and removes its data dir. */
  stop(): Promise<void>;
}

/** A real Loginscope on 127.0.0.1, port 0, in a fresh data dir. */
export async function startTestLoginscope(overrides: Partial<ConfigInput> = {}, dataDir?: string): Promise<TestLoginscope> {
  const dir = dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'loginscope-test-'));
  let app: Loginscope;
  try {
    const config = validateConfig({ port: 0, dataDir: dir, web: true, open: false, ...overrides });
    app = await startLoginscope(config, { clock: createClock() });
  } catch (err) {
    // A start that fails (tests provoke some) leaves no folder behind either.
    if (!dataDir) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    ...app,
    dataDir: dir,
    stop: async () => {
      await app.close();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
