const MAX_BODY = 4000;
const SECRET_FIELDS = new Set(['password', 'clientSecret', 'client_secret', 'code_verifier']);

/** Password-like fields never enter the trace, even though tokens do (showing tokens is the demo's point). */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '••••••' : maskSecrets(v)]),
    );
  }
  return value;
}

/** A short, readable body for the trace: JSON and forms with secrets masked, HTML and assets by size only. */
export function summariseBody(body: unknown, contentType: string | undefined): string | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body === 'object' && !Buffer.isBuffer(body)) {
    if (Object.keys(body as object).length === 0) return undefined;
    return JSON.stringify(maskSecrets(body)).slice(0, MAX_BODY);
  }
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : String(body);
  const type = contentType ?? '';
  if (type.includes('json')) {
    try {
      return JSON.stringify(maskSecrets(JSON.parse(text))).slice(0, MAX_BODY);
    } catch {
      return text.slice(0, MAX_BODY);
    }
  }
  if (type.includes('x-www-form-urlencoded')) {
    const params = new URLSearchParams(text);
    for (const key of params.keys()) if (SECRET_FIELDS.has(key)) params.set(key, '••••••');
    return params.toString().slice(0, MAX_BODY);
  }
  if (type.includes('html')) return `(HTML page, ${Buffer.byteLength(text)} bytes)`;
  return text.slice(0, MAX_BODY);
}
