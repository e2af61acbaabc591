import type http from 'node:http';

/** What a started server must undo: connections first, then whatever was opened, in reverse order. */
export interface Closer {
  add(step: () => unknown): void;
  close(): Promise<void>;
}

export function closerFor(server: http.Server): Closer {
  const steps: Array<() => unknown> = [];
  return {
    add: (step) => void steps.push(step),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const step of [...steps].reverse()) await step();
    },
  };
}
