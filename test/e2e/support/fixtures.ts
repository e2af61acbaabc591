import { test as base, expect, type Page } from '@playwright/test';
import { InspectorClient } from '../../support/inspector.js';
import { startTestLoginscope, type TestLoginscope } from '../../support/loginscope.js';
import type { ConfigInput } from '../../../backend/config.js';

// Chromium logs every 4xx fetch as "Failed to load resource"; 401 and 404 are the seeds' answers, not faults.
const EXPECTED_STATUS_LOG = /^Failed to load resource: the server responded with a status of 40[14]/;

/** Collects console errors and uncaught exceptions of a page; the test asserts the list is empty. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !EXPECTED_STATUS_LOG.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  return problems;
}

/** A real Loginscope per test file (port 0, temp data dir), and its inspector API. */
export function useLoginscope(overrides: Partial<ConfigInput> = {}) {
  const handle: { app: TestLoginscope; inspector: InspectorClient } = {} as never;
  base.beforeAll(async () => {
    handle.app = await startTestLoginscope(overrides);
    handle.inspector = new InspectorClient(handle.app);
  });
  base.afterAll(async () => {
    await handle.app?.stop();
  });
  return handle;
}

/** The store/forum page objects: driven by role and label, as the outside contract names them. */
export const apps = {
  async logInWithForm(page: Page, email = 'demo@example.com', password = 'demo-password') {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
  },
  cart: (page: Page) => page.getByRole('heading', { name: 'Your cart' }),
  posts: (page: Page) => page.getByRole('heading', { name: 'Forum posts' }),
  cartButton: (page: Page) => page.getByRole('button', { name: /^Cart/ }),
  loginForm: (page: Page) => page.getByRole('button', { name: 'Log in', exact: true }),
};

export { base as test, expect };
