import { pbkdf2, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/** FusionAuth's default scheme and work factor (`salted-pbkdf2-hmac-sha256`, 24,000 iterations, 256-bit key). */
export const PASSWORD_SCHEME = 'salted-pbkdf2-hmac-sha256';
export const PASSWORD_FACTOR = 24_000;
const KEY_BYTES = 32;

export interface PasswordHash {
  scheme: string;
  factor: number;
  salt: string;
  hash: string;
}

async function derive(password: string, salt: string, factor: number): Promise<Buffer> {
  return pbkdf2Async(password, Buffer.from(salt, 'base64'), factor, KEY_BYTES, 'sha256');
}

/** For the seed only: it runs once, at first start, inside the synchronous start-up. */
export function hashPasswordSync(password: string, factor = PASSWORD_FACTOR): PasswordHash {
  const salt = randomBytes(32).toString('base64');
  const hash = pbkdf2Sync(password, Buffer.from(salt, 'base64'), factor, KEY_BYTES, 'sha256').toString('base64');
  return { scheme: PASSWORD_SCHEME, factor, salt, hash };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  if (stored.scheme !== PASSWORD_SCHEME) return false;
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(password, stored.salt, stored.factor);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Spends the same work on an unknown login id as on a real one, so response time does not tell
 * an attacker which emails exist.
 */
export async function burnPasswordWork(password: string): Promise<void> {
  await derive(password, 'AAAA', PASSWORD_FACTOR);
}
