/**
 * The anchors the bench compares our application backend against, one per child process:
 *   bare     Express 5, the same cart handler, no session (the ceiling)
 *   memory   express-session + MemoryStore
 *   sqlite3  express-session + connect-sqlite3 (WAL, like ours)
 * Every anchor answers GET /api/cart from the same AppDatabase class and seed as Loginscope's store backend,
 * with the same session cookie settings (store_session, HttpOnly, SameSite=Lax, path /, no maxAge, resave false,
 * saveUninitialized false). POST /api/login stores the session payload it is given (the bench posts the exact row
 * our own store holds after a real login), regenerating the id as ours does.
 * Prints `anchor ready <port>` on stdout once listening on 127.0.0.1.
 */
import express from 'express';
import session from 'express-session';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppDatabase } from '../../backend/app/app-db.js';
import { createClock } from '../../backend/clock.js';
import '../../backend/sessions/session-data.js';

type Mode = 'bare' | 'memory' | 'sqlite3';
const mode = process.argv[2] as Mode;
if (!['bare', 'memory', 'sqlite3'].includes(mode)) {
  console.error(`usage: anchor-server.ts bare|memory|sqlite3 (got ${String(mode)})`);
  process.exit(2);
}

const dir = mkdtempSync(path.join(os.tmpdir(), `loginscope-bench-anchor-${mode}-`));
const db = new AppDatabase(dir, createClock());
const DEMO_EMAIL = 'demo@example.com';

async function sessionStore(): Promise<session.Store | undefined> {
  if (mode === 'memory') return new session.MemoryStore();
  if (mode === 'sqlite3') {
    // Installed on first bench run into test/bench/anchors (see run.ts), not with the project's own dependencies.
    const anchors = createRequire(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'anchors', 'package.json'));
    const connectSqlite3 = anchors('connect-sqlite3') as typeof import('connect-sqlite3').default;
    const SQLiteStore = connectSqlite3(session);
    return new SQLiteStore({ db: 'sessions.db', dir, concurrentDb: true });
  }
  return undefined;
}

const app = express();
app.disable('x-powered-by');
app.set('trust proxy', false);
const api = express.Router();
api.use(express.json({ limit: '16kb' }));

const store = await sessionStore();
if (store) {
  api.use(
    session({
      name: 'store_session',
      secret: randomBytes(32).toString('base64url'),
      store,
      resave: false,
      saveUninitialized: false,
      unset: 'destroy',
      cookie: { httpOnly: true, sameSite: 'lax', secure: false, path: '/' },
    }),
  );
  api.post('/login', (req, res, next) => {
    const payload = (req.body as { session?: Record<string, unknown> } | undefined)?.session;
    if (!payload || typeof payload !== 'object') return res.status(400).json({ error: { code: 'bad_request', message: 'session payload required' } });
    req.session.regenerate((err) => {
      if (err) return next(err);
      Object.assign(req.session, payload);
      req.session.save((saveErr) => (saveErr ? next(saveErr) : res.json({ user: req.session.user })));
    });
  });
}

api.get('/cart', (req, res) => {
  const email = store ? req.session.user?.email : DEMO_EMAIL;
  if (!email) return res.status(401).json({ error: { code: 'not_logged_in', message: 'Your session has ended. Please log in again.' } });
  const items = db.cart(email);
  res.json({ items, totalCents: items.reduce((sum, i) => sum + i.priceCents * i.quantity, 0) });
});
app.use('/api', api);

const server = app.listen(0, '127.0.0.1', () => {
  console.log(`anchor ready ${(server.address() as AddressInfo).port}`);
});
server.keepAliveTimeout = 5000;

const stop = () => {
  server.closeAllConnections();
  server.close(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
