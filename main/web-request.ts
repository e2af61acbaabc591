import type { OnHeadersReceivedListenerDetails, Session } from 'electron';
import type { ObservedExchange } from './ipc-contract.js';

/** Chromium keeps one onHeadersReceived listener per session; a second would silently replace the first. */
const owners = new WeakSet<Session>();

function header(headers: Record<string, string[]> | undefined, name: string): string[] {
  if (!headers) return [];
  return Object.entries(headers).flatMap(([key, values]) => (key.toLowerCase() === name ? values : []));
}

export function toObservedExchange(details: OnHeadersReceivedListenerDetails, partition: string): ObservedExchange {
  const location = header(details.responseHeaders, 'location')[0];
  return {
    source: 'electron',
    partition,
    time: Math.round(details.timestamp),
    method: details.method,
    url: details.url,
    status: details.statusCode,
    resourceType: details.resourceType,
    ...(details.initiatorOrigin && { initiator: details.initiatorOrigin }),
    setCookies: header(details.responseHeaders, 'set-cookie'),
    ...(location && { location }),
  };
}

export interface ExternalIdentityObserver {
  session: Session;
  partition: string;
  /** Origin of the configured external FusionAuth, the one server the loopback trace cannot see. */
  identityOrigin: string;
  report(exchange: ObservedExchange): void;
}

/** The single owner of this session's onHeadersReceived: reports responses from the external FusionAuth, changes nothing. */
export function observeExternalIdentity({ session, partition, identityOrigin, report }: ExternalIdentityObserver): void {
  if (owners.has(session)) throw new Error(`webRequest.onHeadersReceived of ${partition} already has an owner.`);
  owners.add(session);
  // Only that host's responses come through main (not every loopback page and API call). A match pattern without a
  // port matches every port, so the whole origin (scheme, host and port) is compared here, as for navigation.
  const { protocol, hostname } = new URL(identityOrigin);
  session.webRequest.onHeadersReceived({ urls: [`${protocol}//${hostname}/*`] }, (details, callback) => {
    try {
      if (new URL(details.url).origin === identityOrigin) report(toObservedExchange(details, partition));
    } catch (err) {
      // Observing must never break browsing: a throw here would be an uncaught exception in main.
      console.warn(`Loginscope: could not report a FusionAuth response: ${(err as Error).message}`);
    } finally {
      callback({});
    }
  });
}
