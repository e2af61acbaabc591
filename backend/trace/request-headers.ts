/** The request headers a trace keeps: the few that explain an exchange (what was sent, from where, with which credential). */
const KEPT = ['content-type', 'authorization', 'origin', 'sec-fetch-site', 'sec-fetch-mode'] as const;

export function keptRequestHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
