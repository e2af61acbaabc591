/**
 * What the identity server puts in `<script type="application/json" id="login-state">` for this page
 * (the CSP allows no inline scripts; a JSON blob is data). Keep in step with backend/idp/hosted-page.ts.
 */
export type LoginPageState =
  | {
      kind: 'login';
      applicationName: string;
      action: string;
      hidden: Record<string, string>;
      loginId: string;
      rememberDevice: boolean;
      /** Posted back as the hidden field `csrfToken`; bound to the `fusionauth.csrf` cookie. */
      csrfToken: string;
      error?: string;
    }
  | { kind: 'error'; title: string; message: string; error: string; errorReason: string }
  | { kind: 'logged-out'; message: string };

export function readLoginState(): LoginPageState {
  const blob = document.getElementById('login-state')?.textContent;
  if (!blob) {
    return { kind: 'error', title: 'Nothing to log in to', message: 'Open this page from an application’s “Log in with FusionAuth” button.', error: 'invalid_request', errorReason: 'missing_state' };
  }
  return JSON.parse(blob) as LoginPageState;
}
