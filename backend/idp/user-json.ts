import type { Idp } from './idp.js';
import type { UserRecord } from './store.js';

/** FusionAuth's User object (field names as in the official TS client); the password hash never leaves. */
export function userJson(idp: Idp, user: UserRecord) {
  const fullName = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return {
    active: true,
    email: user.email,
    ...(user.firstName && { firstName: user.firstName }),
    ...(user.lastName && { lastName: user.lastName }),
    ...(fullName && { fullName }),
    id: user.id,
    identities: [{ primary: true, type: 'email', value: user.email, verified: true, verifiedReason: 'Import' }],
    insertInstant: user.insertInstant,
    ...(user.lastLoginInstant !== null && { lastLoginInstant: user.lastLoginInstant }),
    lastUpdateInstant: user.passwordLastUpdateInstant,
    passwordChangeRequired: false,
    passwordLastUpdateInstant: user.passwordLastUpdateInstant,
    registrations: idp.store.registrations(user.id).map((r) => ({
      applicationId: r.applicationId,
      id: r.id,
      insertInstant: r.insertInstant,
      ...(r.lastLoginInstant !== null && { lastLoginInstant: r.lastLoginInstant }),
      roles: r.roles,
      usernameStatus: 'ACTIVE',
      verified: true,
    })),
    tenantId: user.tenantId,
    twoFactor: { methods: [] },
    usernameStatus: 'ACTIVE',
    verified: true,
  };
}
