const MAX_BODY = 4000;
const SECRET_FIELDS = new Set(['password', 'clientSecret', 'client_secret', 'code_verifier']);
/** Past this depth or this many values a body is cut: the trace shows a summary, never the whole of a hostile body. */
const MASK_MAX_DEPTH = 32;
const MASK_MAX_NODES = 2000;
const CUT = '…';

/**
 * Password-like fields never enter the trace, even though tokens do (showing tokens is the demo's point).
 * Bounded in depth and size: a body nested thousands deep must not exhaust the stack (it used to end the process).
 */
export function maskSecrets(value: unknown): unknown {
  let budget = MASK_MAX_NODES;
  const walk = (v: unknown, depth: number): unknown => {
    if (!v || typeof v !== 'object') return v;
    if (depth >= MASK_MAX_DEPTH || budget <= 0) return CUT;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const item of v) {
        if (--budget < 0) {
          out.push(CUT);
          break;
        }
        out.push(walk(item, depth + 1));
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
      if (--budget < 0) {
        out[CUT] = CUT;
        break;
      }
      // defineProperty: a key named __proto__ is data here, never the prototype.
      Object.defineProperty(out, k, { value: SECRET_FIELDS.has(k) ? '••••••' : walk(item, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return walk(value, 0);
}

/** JSON text of a value, cut to the trace's size. */
function jsonSummary(value: unknown): string {
  return JSON.stringify(maskSecrets(value)).slice(0, MAX_BODY);
}

/** A short, readable body for the trace: JSON and forms with secrets masked, HTML and assets by size only. */
export function summariseBody(body: unknown, contentType: string | undefined): string | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body === 'object' && !Buffer.isBuffer(body)) {
    if (Object.keys(body as object).length === 0) return undefined;
    return jsonSummary(body);
  }
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : String(body);
  const type = contentType ?? '';
  if (type.includes('json')) {
    try {
      return jsonSummary(JSON.parse(text));
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
