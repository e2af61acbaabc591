import { Browser } from '../support/http.js';
import { expect, test, useLoginscope } from './support/fixtures.js';

/* The diagram is what the room looks at: it stays in view while the panels beside it scroll. */

const ls = useLoginscope();

for (const [width, height] of [
  [1280, 720],
  [1920, 1080],
] as const) {
  test(`at ${width}×${height} the diagram stays in view with the page scrolled to the trace`, async ({ context }) => {
    // A trace long enough to scroll the page, as after a walk.
    const browser = new Browser();
    for (let i = 0; i < 40; i++) await browser.fetch(`${ls.app.urls.store}/api/me`);
    const inspector = await context.newPage();
    await inspector.setViewportSize({ width, height });
    await inspector.goto(ls.app.inspectorUrl);
    await expect(inspector.getByText('live', { exact: true })).toBeVisible();
    // As far down as the page goes (a tall window may not need to scroll at all): the trace and the diagram both show.
    await inspector.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect(inspector.getByRole('heading', { name: /Trace/ })).toBeInViewport();
    await expect(inspector.getByRole('group', { name: 'Live sequence diagram' })).toBeInViewport();
  });
}
