import express, { type Request, type RequestHandler, type Response } from 'express';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import path from 'node:path';
import { projectRoot, rendererDist } from './paths.js';

/**
 * The Vue pages (one Vite build, one HTML entry each); `login` is the identity server's hosted login page,
 * `chrome` the desktop app's browser toolbar (served on the inspector origin at /chrome).
 */
export type PageName = 'store' | 'forum' | 'inspector' | 'login' | 'chrome';

export interface PageServer {
  /** Built assets (or Vite's dev middleware); mount before the page fallback. */
  assets: RequestHandler;
  /** Answers any GET with the page's HTML, so the SPA can route itself; `transform` may rewrite it per request. */
  page(name: PageName, transform?: (html: string) => string): RequestHandler;
  close(): Promise<void>;
}

function builtPages(): PageServer {
  const dist = rendererDist();
  const html = new Map<PageName, Promise<string>>();
  const load = (name: PageName) => {
    let text = html.get(name);
    if (!text) {
      text = readFile(path.join(dist, name, 'index.html'), 'utf8');
      html.set(name, text);
      text.catch(() => html.delete(name));
    }
    return text;
  };
  return {
    assets: express.static(dist, { index: false, immutable: true, maxAge: '1y', fallthrough: true }),
    page: (name, transform) => async (_req: Request, res: Response) => {
      try {
        res.type('html').setHeader('Cache-Control', 'no-cache');
        const html = await load(name);
        res.send(transform ? transform(html) : html);
      } catch {
        res
          .status(503)
          .type('text')
          .send(`The ${name} page is not built. Run "npm run build" (npm start does it for you).`);
      }
    },
    close: async () => {},
  };
}

/** Dev: Vite in middleware mode with HMR over the same server, one Vite for all three pages. */
async function devPages(server: Server): Promise<PageServer> {
  const { createServer } = await import('vite');
  const root = projectRoot();
  const vite = await createServer({
    configFile: path.join(root, 'vite.config.ts'),
    server: { middlewareMode: true, hmr: { server } },
    appType: 'custom',
  });
  return {
    assets: vite.middlewares,
    page: (name, transform) => async (req: Request, res: Response) => {
      const raw = await readFile(path.join(root, 'renderer', name, 'index.html'), 'utf8');
      const html = await vite.transformIndexHtml(req.originalUrl, raw);
      res.type('html').send(transform ? transform(html) : html);
    },
    close: () => vite.close(),
  };
}

export function createPageServer(options: { dev: boolean; server: Server }): Promise<PageServer> | PageServer {
  return options.dev ? devPages(options.server) : builtPages();
}
