import type { AppId } from '../hosts.js';
import type { ApplicationRecord, IdentityStore, TenantRecord } from './store.js';

/** An application with its URL templates filled in for this start's port. */
export type Application = ApplicationRecord;

/** The tenant and its applications, read once at start (they do not change while running). */
export interface Directory {
  tenant: TenantRecord;
  applications: Application[];
  byId(id: string | undefined): Application | undefined;
  byApp(app: AppId): Application;
}

export function fillPort(template: string, port: number): string {
  return template.replaceAll('{port}', String(port));
}

export function loadDirectory(store: IdentityStore, port: number): Directory {
  const tenant = store.tenants()[0];
  if (!tenant) throw new Error('identity.db has no tenant; the seed did not run');
  const applications = store.applications().map((a) => ({
    ...a,
    authorizedRedirectURLs: a.authorizedRedirectURLs.map((u) => fillPort(u, port)),
    logoutURL: fillPort(a.logoutURL, port),
  }));
  return {
    tenant,
    applications,
    byId: (id) => applications.find((a) => a.id === id),
    byApp: (app) => {
      const found = applications.find((a) => a.app === app);
      if (!found) throw new Error(`identity.db has no ${app} application`);
      return found;
    },
  };
}
