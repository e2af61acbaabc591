import { AsyncLocalStorage } from 'node:async_hooks';

/** Which inbound exchange the current code runs for; lets a session event or an identity-server call name its cause. */
export interface TraceContext {
  exchangeId: number;
}

const storage = new AsyncLocalStorage<TraceContext>();

export function runInExchange<T>(exchangeId: number, fn: () => T): T {
  return storage.run({ exchangeId }, fn);
}

export function currentExchangeId(): number | undefined {
  return storage.getStore()?.exchangeId;
}
