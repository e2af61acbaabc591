/** Parses a request Cookie header into name → value (first one wins, as servers read it). */
export function parseCookieHeader(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (!(name in out)) out[name] = part.slice(eq + 1).trim();
  }
  return out;
}

/** The name of a Set-Cookie line. */
export function setCookieName(line: string): string {
  return line.slice(0, line.indexOf('=')).trim();
}
