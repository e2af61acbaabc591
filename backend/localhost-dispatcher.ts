import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent } from 'undici';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Node cannot resolve `*.localhost` here (Chromium and Electron can). This lookup answers loopback for them,
 * so server-to-server calls use the real origin names and Host headers, and defers to DNS for everything else.
 */
export function localhostLookup(hostname: string, options: { all?: boolean } | undefined, callback: LookupCallback): void {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  dnsLookup(hostname, options ?? {}, callback as never);
}

/** An undici dispatcher that reaches `*.localhost` over loopback. */
export function localhostAgent(options: { timeoutMs?: number } = {}): Agent {
  const timeout = options.timeoutMs ?? 10_000;
  return new Agent({ connect: { lookup: localhostLookup as never, timeout }, headersTimeout: timeout, bodyTimeout: timeout });
}
