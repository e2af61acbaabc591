import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPasswordSync, PASSWORD_FACTOR, PASSWORD_SCHEME, verifyPassword } from '../../backend/idp/passwords.js';

describe('password hashing (FusionAuth salted-pbkdf2-hmac-sha256)', () => {
  it('uses FusionAuth’s scheme and default factor with a fresh salt each time', () => {
    const a = hashPasswordSync('demo-password');
    const b = hashPasswordSync('demo-password');
    expect(a).toMatchObject({ scheme: PASSWORD_SCHEME, factor: 24_000 });
    expect(PASSWORD_FACTOR).toBe(24_000);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    // A 256-bit PBKDF2-HMAC-SHA256 key over the base64-decoded salt, stored base64: FusionAuth's layout.
    expect(pbkdf2Sync('demo-password', Buffer.from(a.salt, 'base64'), 24_000, 32, 'sha256').toString('base64')).toBe(a.hash);
  });

  it('verifies the right password only', async () => {
    const stored = hashPasswordSync('demo-password', 1000);
    expect(await verifyPassword('demo-password', stored)).toBe(true);
    expect(await verifyPassword('demo-passwordx', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
    expect(await verifyPassword('demo-password', { ...stored, scheme: 'bcrypt' })).toBe(false);
  });
});
