/** Decoding (never verifying) JWTs for display: the inspector shows what a token carries, not whether to trust it. */

export interface DecodedJwt {
  raw: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

const JWT_PATTERN = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

export function base64UrlDecode(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function decodeObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(base64UrlDecode(part));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function decodeJwt(raw: string): DecodedJwt | undefined {
  const [header, payload] = raw.split('.');
  if (header === undefined || payload === undefined) return undefined;
  const h = decodeObject(header);
  const p = decodeObject(payload);
  return h && p ? { raw, header: h, payload: p } : undefined;
}

/** Every distinct JWT that appears in these texts (bodies, cookies, Location headers), decoded. */
export function findJwts(texts: ReadonlyArray<string | undefined>): DecodedJwt[] {
  const seen = new Set<string>();
  const out: DecodedJwt[] = [];
  for (const text of texts) {
    for (const match of text?.match(JWT_PATTERN) ?? []) {
      if (seen.has(match)) continue;
      seen.add(match);
      const decoded = decodeJwt(match);
      if (decoded) out.push(decoded);
    }
  }
  return out;
}

/** JWT time claims (`exp`, `iat`, `nbf`, `auth_time`) are seconds since the epoch. */
export const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time']);
