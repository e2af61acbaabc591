import { createApp } from 'vue';
import LoginPage from './LoginPage.vue';
import { readLoginState, type LoginPageState } from './login-state.js';
import '../shared/base.css';

/**
 * The server sends the form itself (backend/idp/hosted-page.ts), so it works before and without this script. Mounting
 * replaces it: carry over what the user already typed or ticked, and where the cursor was.
 */
function typedIntoServerForm(root: HTMLElement | null) {
  const form = root?.querySelector('form');
  if (!form) return undefined;
  const field = (name: string) => form.querySelector<HTMLInputElement>(`input[name="${name}"]`);
  const focused = document.activeElement instanceof HTMLInputElement && form.contains(document.activeElement) ? document.activeElement.name : undefined;
  return { loginId: field('loginId')?.value, password: field('password')?.value ?? '', rememberDevice: field('rememberDevice')?.checked, focused };
}

const root = document.getElementById('app');
const typed = typedIntoServerForm(root);
let state: LoginPageState = readLoginState();
if (typed && state.kind === 'login') {
  state = { ...state, loginId: typed.loginId ?? state.loginId, rememberDevice: typed.rememberDevice ?? state.rememberDevice };
}
createApp(LoginPage, { state }).mount('#app');
if (typed && root) {
  const field = (name: string) => root.querySelector<HTMLInputElement>(`input[name="${name}"]`);
  const password = field('password');
  if (password && typed.password) password.value = typed.password;
  if (typed.focused) field(typed.focused)?.focus();
}
