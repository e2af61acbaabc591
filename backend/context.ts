import type { Clock } from './clock.js';
import type { LoginscopeConfig } from './config.js';
import type { OriginUrls } from './hosts.js';
import type { PageServer } from './pages.js';
import type { TraceBus } from './trace/bus.js';

/** What every part of the backend is built from; made once by startLoginscope after the port is known. */
export interface LoginscopeContext {
  config: LoginscopeConfig;
  clock: Clock;
  bus: TraceBus;
  port: number;
  urls: OriginUrls;
  pages: PageServer;
  /** Per-launch secret the inspector page must present; never logged. */
  inspectorToken: string;
}
