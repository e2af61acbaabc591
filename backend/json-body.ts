import express, { type RequestHandler } from 'express';

/** Deeper JSON is refused before it is parsed: no request of ours needs more than a few levels. */
export const MAX_JSON_DEPTH = 32;

/** The error body-parser passes on when `verify` refuses a body; jsonErrorHandler answers it as 400 invalid_json. */
export class JsonTooDeepError extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';
  constructor() {
    super(`The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
  }
}

/** The deepest nesting of arrays and objects in JSON text, found in one pass (brackets inside strings do not count). */
export function jsonDepth(text: Buffer): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** express.json with a size limit and a depth limit: every JSON route of every origin parses through this. */
export function jsonBody(limit: string): RequestHandler {
  return express.json({
    limit,
    verify: (_req, _res, buf) => {
      if (jsonDepth(buf) > MAX_JSON_DEPTH) throw new JsonTooDeepError();
    },
  });
}
