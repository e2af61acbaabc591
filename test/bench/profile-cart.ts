/**
 * Profiling aid (not part of `npm run bench`): runs the built CLI under --cpu-prof, logs in once, hammers GET /api/cart
 * (or creates sessions by refresh with `refresh`), stops the process and leaves the .cpuprofile in the given folder.
 *   npx tsx test/bench/profile-cart.ts <out-dir> [cart|refresh] [seconds]
 */
import autocannon from 'autocannon';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Browser } from '../support/http.js';
import { cpuMs, spawnUntil, stopChild } from './lib.js';
import { DEMO, urlsOf } from './walk.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const [outDir = '.', what = 'cart', seconds = '5'] = process.argv.slice(2);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'loginscope-prof-'));
const spawned = await spawnUntil(
  process.execPath,
  [...(process.env.NODE_FLAGS ? process.env.NODE_FLAGS.split(' ') : []), ...(outDir === 'none' ? [] : ['--cpu-prof', '--cpu-prof-dir', path.resolve(outDir)]), process.env.CLI ?? path.join(root, 'out/loginscope.mjs'), '--web', '--no-open', '--port', '0', '--data-dir', dataDir],
  /^Loginscope ready: http:\/\/inspector\.localhost:(\d+)\//,
  { cwd: root },
);
const port = Number(spawned.match[1]);
const browser = new Browser();
const store = urlsOf(port).store;
await browser.fetch(`${store}/api/login`, { json: DEMO });
const cookies = await browser.cookies(store);
const cookie =
  what === 'refresh' ? `store_refresh_token=${cookies.find((c) => c.key === 'store_refresh_token')!.value}` : await browser.jar.getCookieString(`${store}/api/cart`);
const cpu0 = cpuMs(spawned.child.pid!);
const r = await autocannon({ url: `http://127.0.0.1:${port}/api/cart`, connections: 50, duration: Number(seconds), headers: { host: `store.localhost:${port}`, cookie } });
const cpuUs = ((cpuMs(spawned.child.pid!) - cpu0) * 1000) / r.requests.total;
console.log(`${what}: ${cpuUs.toFixed(0)} µs CPU/req, ${r.requests.average} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, 2xx ${r['2xx']}, non2xx ${r.non2xx}`);
await stopChild(spawned.child);
