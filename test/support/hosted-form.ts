import type { HttpResponse } from './http.js';

/** What the hosted login page carries in `<script id="login-state">`, as the tests read it. */
export interface LoginState {
  kind: string;
  hidden?: Record<string, string>;
  csrfToken?: string;
  error?: string;
  errorReason?: string;
  loginId?: string;
}

export function pageState(res: HttpResponse): LoginState {
  const m = /<script type="application\/json" id="login-state">(.*?)<\/script>/s.exec(res.text);
  if (!m) throw new Error(`no login state in: ${res.text.slice(0, 200)}`);
  return JSON.parse(m[1]!) as LoginState;
}

/** The hosted form's CSRF token from a rendered login page (its cookie is in the same jar). */
export function formToken(res: HttpResponse): string {
  const token = pageState(res).csrfToken;
  if (!token) throw new Error('the login page carries no csrfToken');
  return token;
}

/** The login form as the server rendered it (no script run): what a no-JS browser would post. */
export interface ServerForm {
  action: string;
  method: string;
  /** What a browser would submit as the form stands: hidden and text fields, ticked checkboxes. */
  fields: Record<string, string>;
  labels: Record<string, string>;
  buttons: string[];
}

const decode = (text: string) => text.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)) out[m[1]!.toLowerCase()] = decode(m[2] ?? '');
  return out;
}

export function serverForm(res: HttpResponse): ServerForm {
  const m = /<form\b([^>]*)>([\s\S]*?)<\/form>/.exec(res.text);
  if (!m) throw new Error(`no server-rendered form in: ${res.text.slice(0, 300)}`);
  const form = attributes(m[1]!);
  const body = m[2]!;
  const fields: Record<string, string> = {};
  for (const [tag] of body.matchAll(/<input\b[^>]*>/g)) {
    const a = attributes(tag.slice('<input'.length, -1));
    if (!a.name) continue;
    if (a.type === 'checkbox' && !('checked' in a)) continue;
    fields[a.name] = a.value ?? '';
  }
  const labels: Record<string, string> = {};
  for (const l of body.matchAll(/<label for="([^"]+)">([^<]*)<\/label>/g)) labels[l[1]!] = decode(l[2]!).trim();
  const buttons = [...body.matchAll(/<button\b[^>]*>([^<]*)<\/button>/g)].map((b) => decode(b[1]!).trim());
  return { action: form.action ?? '', method: (form.method ?? 'get').toLowerCase(), fields, labels, buttons };
}
