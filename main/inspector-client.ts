import { net } from 'electron';

/** Main's calls to the inspector API on inspector.localhost, with this launch's token. */
export interface InspectorClient {
  /** Resolves false (after one warning per path and outcome) instead of throwing: the desktop keeps running. */
  post(path: string, body?: unknown): Promise<boolean>;
}

export function inspectorClient(inspectorOrigin: string, token: string): InspectorClient {
  const warned = new Set<string>();
  const warnOnce = (path: string, problem: string) => {
    const key = `${path} ${problem}`;
    if (warned.has(key)) return;
    warned.add(key);
    console.warn(`Loginscope: inspector API ${path}: ${problem}`);
  };
  return {
    async post(path, body = {}) {
      try {
        // net.fetch goes through Chromium's resolver, which answers *.localhost itself (Node's DNS does not).
        const res = await net.fetch(`${inspectorOrigin}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (!res.ok) warnOnce(path, `answered ${res.status}`);
        return res.ok;
      } catch (err) {
        warnOnce(path, (err as Error).message);
        return false;
      }
    },
  };
}
