import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { APPS } from '../hosts.js';
import { seedDir } from '../paths.js';
import { UUID_PATTERN } from './fusionauth-wire.js';
import { hashPasswordSync } from './passwords.js';
import type { IdentityStore } from './store.js';

/** FusionAuth ids are any 8-4-4-4-12 hex string (its kickstart examples use non-RFC ids such as 0000…1111). */
const uuid = z.string().regex(UUID_PATTERN, 'must be a UUID');
const seedSchema = z
  .object({
    tenant: z.object({ id: uuid, name: z.string().min(1) }).strict(),
    applications: z
      .array(
        z
          .object({
            app: z.enum(APPS),
            id: uuid,
            name: z.string().min(1),
            clientSecret: z.string().min(16),
            authorizedRedirectURLs: z.array(z.string().min(1)).min(1),
            logoutURL: z.string().min(1),
            enabledGrants: z.array(z.enum(['implicit', 'authorization_code', 'refresh_token', 'password'])),
            generateRefreshTokens: z.boolean(),
          })
          .strict(),
      )
      .length(APPS.length),
    users: z.array(
      z
        .object({
          id: uuid,
          email: z.email(),
          password: z.string().min(8),
          firstName: z.string(),
          lastName: z.string(),
          registrations: z.array(z.object({ app: z.enum(APPS), roles: z.array(z.string()) }).strict()),
        })
        .strict(),
    ),
  })
  .strict();

export type IdentitySeed = z.output<typeof seedSchema>;

export function readIdentitySeed(file = path.join(seedDir(), 'identity.json')): IdentitySeed {
  const parsed = seedSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Bad identity seed ${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Applies the seed: inserts what is missing and changes nothing that exists, so it is safe on every start.
 * A user's password is hashed only when the user is new (the hash is slow on purpose).
 */
export function applyIdentitySeed(store: IdentityStore, seed: IdentitySeed, now: number): void {
  store.insertTenantIfAbsent(seed.tenant);
  for (const a of seed.applications) store.insertApplicationIfAbsent({ ...a, tenantId: seed.tenant.id });
  const appIds = new Map(store.applications().map((a) => [a.app, a.id]));
  for (const u of seed.users) {
    if (!store.userById(u.id)) {
      store.insertUser({
        id: u.id,
        tenantId: seed.tenant.id,
        email: u.email,
        firstName: u.firstName,
        lastName: u.lastName,
        password: hashPasswordSync(u.password),
        insertInstant: now,
        passwordLastUpdateInstant: now,
        lastLoginInstant: null,
      });
    }
    for (const r of u.registrations) {
      const applicationId = appIds.get(r.app);
      if (!applicationId) throw new Error(`Identity seed registers ${u.email} to unknown application ${r.app}`);
      store.insertRegistrationIfAbsent({ id: randomUUID(), userId: u.id, applicationId, roles: r.roles, insertInstant: now, lastLoginInstant: null });
    }
  }
}
