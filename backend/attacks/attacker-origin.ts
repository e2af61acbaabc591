import type { Express } from 'express';
import type { LoginscopeContext } from '../context.js';
import { jsonErrorHandler, sendError } from '../errors.js';
import { createOriginApp } from '../origin-app.js';

/** What reached the attacker: exfiltrated by a page script or taken by a scripted attack. */
export interface Loot {
  time: number;
  kind: string;
  value: string;
  from?: string;
}

/** `attacker.localhost`: where stolen data is sent and shown. */
const PIXEL = Buffer.from('R0lGODlhAQABAAAAACwAAAAAAQABAAA=', 'base64');

export function createAttackerOrigin(ctx: LoginscopeContext, loot: Loot[]): Express {
  const app = createOriginApp('attacker', ctx);
  const now = () => ctx.clock.now();
  app.get('/', (_req, res) => {
    const rows = loot
      .map((l) => `<li><b>${escapeHtml(l.kind)}</b> <code>${escapeHtml(l.value.slice(0, 80))}</code>${l.from ? ` from ${escapeHtml(l.from)}` : ''}</li>`)
      .join('');
    res.type('html').send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Attacker</title></head>` +
        `<body style="font-family:system-ui;background:#1a0f14;color:#f6d7df;padding:2rem"><h1>Attacker's loot</h1>` +
        (rows ? `<ul>${rows}</ul>` : '<p>Nothing stolen yet.</p>') +
        `</body></html>`,
    );
  });
  // The injected script's beacon: the victim's browser delivers the URL fragment here.
  app.get('/collect', (req, res) => {
    const fragment = typeof req.query.fragment === 'string' ? req.query.fragment : '';
    const from = typeof req.query.from === 'string' ? req.query.from : undefined;
    const token = new URLSearchParams(fragment).get('access_token');
    if (token) loot.push({ time: now(), kind: 'access token (from the URL fragment)', value: token, ...(from && { from }) });
    res.setHeader('Cache-Control', 'no-store');
    res.type('image/gif').send(PIXEL);
  });
  app.get('/api/loot', (_req, res) => {
    res.json({ loot });
  });
  app.use((_req, res) => sendError(res, 404, 'not_found', 'The attacker has no such page: its loot is at / and /api/loot.'));
  app.use(jsonErrorHandler);
  return app;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
