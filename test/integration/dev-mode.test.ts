import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/http.js';
import { startTestLoginscope, type TestLoginscope } from '../support/loginscope.js';

describe('npm run dev: Vite in middleware mode behind the same origins', () => {
  let app: TestLoginscope;
  beforeAll(async () => {
    app = await startTestLoginscope({ dev: true });
  });
  afterAll(() => app.stop());

  it('serves each page through Vite, with HMR client and TypeScript modules', async () => {
    const browser = new Browser();
    const page = await browser.fetch(`${app.urls.forum}/`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('/@vite/client');
    expect(page.text).toContain('/forum/main.ts');
    expect(page.headers['content-security-policy']).toContain('ws:');
    const module = await browser.fetch(`${app.urls.forum}/forum/main.ts`);
    expect(module.status).toBe(200);
    expect(String(module.headers['content-type'])).toContain('javascript');
    expect((await browser.fetch(`${app.urls.forum}/api/me`)).status).toBe(404);
  });
});
