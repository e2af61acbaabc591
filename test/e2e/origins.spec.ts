import { apps, expect, test, useLoginscope, watchConsole } from './support/fixtures.js';

const ls = useLoginscope();

test('a host-only cookie set by the store never reaches the forum', async ({ page }) => {
  await page.goto(`${ls.app.urls.store}/`);
  await page.evaluate(() => {
    document.cookie = 'probe=store-only; path=/';
  });
  const toStore = page.waitForRequest((r) => r.url() === `${ls.app.urls.store}/api/me`);
  await page.reload();
  expect((await (await toStore).allHeaders()).cookie).toContain('probe=store-only');

  const toForum = page.waitForRequest((r) => r.url() === `${ls.app.urls.forum}/`);
  await page.goto(`${ls.app.urls.forum}/`);
  expect((await (await toForum).allHeaders()).cookie).toBeUndefined();
  expect(await page.evaluate(() => document.cookie)).toBe('');
  const probe = (await page.context().cookies()).find((c) => c.name === 'probe')!;
  expect(probe.domain).toBe('store.localhost');
});

for (const name of ['store', 'forum', 'inspector'] as const) {
  test(`the ${name} page loads with no console errors`, async ({ page }) => {
    const problems = watchConsole(page);
    await page.goto(name === 'inspector' ? ls.app.inspectorUrl : `${ls.app.urls[name]}/`);
    if (name === 'inspector') await expect(page.locator('[data-step="1"]')).toBeVisible();
    else await expect(apps.loginForm(page)).toBeVisible();
    expect(problems).toEqual([]);
  });
}
