import { failStart, launch } from './launch.js';

// No top-level await: Electron emits `ready` only after the ESM entry has finished evaluating.
launch(process.argv, process.env).catch((err: Error) => failStart(`Loginscope could not start: ${err.message}`, 1));
