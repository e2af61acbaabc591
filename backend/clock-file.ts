import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from './clock.js';
import { DataFileError } from './data-dir.js';

const FILE = 'clock.json';

/**
 * The clock's offset lives in the data dir, so what expired stays expired across a restart (the databases keep
 * expiry instants; without the offset, real time would be "earlier" again and revive them).
 */
export function loadClockOffset(dataDir: string): number {
  const file = path.join(dataDir, FILE);
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 0;
  }
  let offsetMs: unknown;
  try {
    offsetMs = (JSON.parse(text) as { offsetMs?: unknown }).offsetMs;
  } catch {
    offsetMs = undefined;
  }
  if (typeof offsetMs !== 'number' || !Number.isFinite(offsetMs) || offsetMs < 0) {
    throw new DataFileError(`${file} does not hold a clock offset ({ "offsetMs": <ms ahead of real time> }). Fix it, or delete it to run on real time.`);
  }
  return offsetMs;
}

/** Writes the offset after every advance: a temp file renamed into place, so a crash never leaves half a file. */
export function persistClockOffset(clock: Clock, dataDir: string): () => void {
  const file = path.join(dataDir, FILE);
  return clock.onAdvance(() => {
    writeFileSync(`${file}.tmp`, JSON.stringify({ offsetMs: clock.offset() }), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  });
}
