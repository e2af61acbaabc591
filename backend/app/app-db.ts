import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../clock.js';
import type { CartItem, Post, Product } from './api-contract.js';
import type { Statement } from 'better-sqlite3';
import { openDatabase, type Db } from '../db.js';
import { seedDir } from '../paths.js';

const MIGRATIONS = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE sessions (
     app TEXT NOT NULL,
     sid TEXT NOT NULL,
     data TEXT NOT NULL,
     user_email TEXT,
     created_at INTEGER NOT NULL,
     touched_at INTEGER NOT NULL,
     idle_expires_at INTEGER NOT NULL,
     absolute_expires_at INTEGER NOT NULL,
     ended_at INTEGER,
     end_reason TEXT,
     PRIMARY KEY (app, sid)
   );
   CREATE INDEX sessions_live ON sessions (app, ended_at, idle_expires_at);
   CREATE TABLE products (id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, price_cents INTEGER NOT NULL, image_emoji TEXT NOT NULL);
   CREATE TABLE cart_items (user_email TEXT NOT NULL, product_id TEXT NOT NULL REFERENCES products(id), quantity INTEGER NOT NULL, PRIMARY KEY (user_email, product_id));
   CREATE TABLE posts (id TEXT PRIMARY KEY, title TEXT NOT NULL, author TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL, replies INTEGER NOT NULL);`,
];


interface SeedFile {
  products: Product[];
  carts: Record<string, Array<{ productId: string; quantity: number }>>;
  posts: Array<Omit<Post, 'createdAt'> & { minutesAgo: number }>;
}

/** The application backends' database: sessions of both apps (told apart by `app`), products, carts and posts. */
export class AppDatabase {
  readonly db: Db;

  constructor(dataDir: string, clock: Clock) {
    this.db = openDatabase(path.join(dataDir, 'app.db'), MIGRATIONS);
    this.seed(clock);
  }

  /** First start only: seed rows from assets/seed/app.json. */
  private seed(clock: Clock): void {
    const seeded = this.db.prepare(`SELECT value FROM meta WHERE key = 'seeded'`).get();
    if (seeded) return;
    const data = JSON.parse(readFileSync(path.join(seedDir(), 'app.json'), 'utf8')) as SeedFile;
    const now = clock.now();
    this.db.transaction(() => {
      const product = this.db.prepare('INSERT INTO products (id, name, description, price_cents, image_emoji) VALUES (?, ?, ?, ?, ?)');
      for (const p of data.products) product.run(p.id, p.name, p.description, p.priceCents, p.imageEmoji);
      const item = this.db.prepare('INSERT INTO cart_items (user_email, product_id, quantity) VALUES (?, ?, ?)');
      for (const [email, items] of Object.entries(data.carts)) for (const i of items) item.run(email, i.productId, i.quantity);
      const post = this.db.prepare('INSERT INTO posts (id, title, author, body, created_at, replies) VALUES (?, ?, ?, ?, ?, ?)');
      for (const p of data.posts) post.run(p.id, p.title, p.author, p.body, now - p.minutesAgo * 60_000, p.replies);
      this.db.prepare(`INSERT INTO meta (key, value) VALUES ('seeded', '1')`).run();
    })();
  }

  /** The secret that signs session cookies; made once and kept, so sessions survive a restart. */
  sessionSecret(): string {
    const row = this.db.prepare(`SELECT value FROM meta WHERE key = 'session_secret'`).get() as { value: string } | undefined;
    if (row) return row.value;
    const secret = randomBytes(32).toString('base64url');
    this.db.prepare(`INSERT INTO meta (key, value) VALUES ('session_secret', ?)`).run(secret);
    return secret;
  }

  products(): Product[] {
    return this.db
      .prepare('SELECT id, name, description, price_cents AS priceCents, image_emoji AS imageEmoji FROM products ORDER BY rowid')
      .all() as Product[];
  }

  /** Prepared once: GET /api/cart runs this on every request (preparing it each time was ~7% of that route's CPU). */
  private cartQuery?: Statement<[string], CartItem>;

  cart(email: string): CartItem[] {
    this.cartQuery ??= this.db.prepare<[string], CartItem>(
      `SELECT c.product_id AS productId, p.name, p.price_cents AS priceCents, c.quantity, p.image_emoji AS imageEmoji
       FROM cart_items c JOIN products p ON p.id = c.product_id WHERE c.user_email = ? ORDER BY p.rowid`,
    );
    return this.cartQuery.all(email.toLowerCase());
  }

  posts(): Post[] {
    return this.db
      .prepare('SELECT id, title, author, body, created_at AS createdAt, replies FROM posts ORDER BY created_at DESC')
      .all() as Post[];
  }

  close(): void {
    this.db.close();
  }
}
