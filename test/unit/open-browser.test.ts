import { describe, expect, it } from 'vitest';
import { openerFor, openInBrowser } from '../../backend/open-browser.js';

/** Real processes stand in for the desktop's opener (issue 19 item 6): node exiting 0, exiting 3 as xdg-open does without a desktop, or no such program. */
const node = (code: number): [string, string[]] => [process.execPath, ['-e', `process.exit(${code})`, '--']];

describe('openInBrowser', () => {
  it('says nothing when the opener succeeds', async () => {
    const lines: string[] = [];
    expect(await openInBrowser('http://inspector.localhost:9311/?token=t', { opener: node(0), log: (l) => lines.push(l) })).toBe(true);
    expect(lines).toEqual([]);
  });

  it('prints the URL to open when the opener exits non-zero (xdg-open without a desktop exits 3)', async () => {
    const lines: string[] = [];
    expect(await openInBrowser('http://inspector.localhost:9311/?token=t', { opener: node(3), log: (l) => lines.push(l) })).toBe(false);
    expect(lines).toEqual([expect.stringMatching(/^Could not open a browser \(.* exited with code 3\)\. Open http:\/\/inspector\.localhost:9311\/\?token=t in your browser\.$/)]);
  });

  it('prints the URL to open when there is no opener at all', async () => {
    const lines: string[] = [];
    expect(await openInBrowser('http://store.localhost:9311/', { opener: ['loginscope-no-such-opener', []], log: (l) => lines.push(l) })).toBe(false);
    expect(lines).toEqual(['Could not open a browser (loginscope-no-such-opener is not installed). Open http://store.localhost:9311/ in your browser.']);
  });

  it('uses each OS opener', () => {
    expect(openerFor('linux')[0]).toBe('xdg-open');
    expect(openerFor('darwin')[0]).toBe('open');
    expect(openerFor('win32')).toEqual(['cmd', ['/c', 'start', '']]);
  });
});
