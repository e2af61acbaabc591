import type { ExchangeEvent } from '../trace/types.js';
import type { EventMatch, ExchangeMatch, WithinMatch } from './types.js';

type ExchangeFields = Omit<ExchangeMatch['exchange'], 'part'>;

/** The request half of an exchange. */
export const request = (fields: ExchangeFields, within?: WithinMatch): ExchangeMatch => ({
  exchange: { part: 'request', ...fields },
  ...(within && { within }),
});

/** The response half of an exchange. */
export const response = (fields: ExchangeFields, within?: WithinMatch): ExchangeMatch => ({
  exchange: { part: 'response', ...fields },
  ...(within && { within }),
});

export const event = (type: EventMatch['event'], rest: Omit<EventMatch, 'event'> = {}): EventMatch => ({ event: type, ...rest });

/** Calls from an application backend reach the embedded server ('login') or a configured FusionAuth ('external'). */
export const IDENTITY_ORIGINS: ReadonlyArray<'login' | 'external'> = ['login', 'external'];

/** Prefix of the `caused` entry a call to the identity server leaves on the exchange that made it. */
export const CALLED_IDENTITY = 'exchange:';

/** The app's files: 200, or 304 when the browser revalidated its cached copy (the same step, from the cache). */
export const PAGE_STATUSES: readonly number[] = [200, 304];

/** How a page-load answer reads: a revalidated load is labelled as the browser's cache. */
export const pageLabel = (fresh: string) => (e: ExchangeEvent) => (e.status === 304 ? '304 — from the browser’s cache' : fresh);
