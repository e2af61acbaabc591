/** Presenter mode hides secret values (cookie values, tokens) but keeps their size, so the screen still shows something is there. */
export function mask(value: string): string {
  return value === '' ? '' : `•••••• (${value.length} chars)`;
}

const JWT = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const JSON_TOKEN = /("(?:[A-Za-z_]*[Tt]oken|jwt|sid|code)"\s*:\s*")([^"]+)(")/g;
const PARAM_TOKEN = /\b((?:access_token|refresh_token|id_token|token|code)=)([^&#\s"]+)/g;

/** Tokens inside free text (bodies, URLs, Location), replaced by a mask; the rest stays readable. */
export function redactText(text: string): string {
  return text
    .replace(JSON_TOKEN, (_m, a: string, v: string, b: string) => `${a}${mask(v)}${b}`)
    .replace(PARAM_TOKEN, (_m, k: string, v: string) => `${k}${mask(v)}`)
    .replace(JWT, (v) => mask(v));
}
