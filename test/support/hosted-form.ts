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
