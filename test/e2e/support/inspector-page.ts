import type { BrowserContext, Locator, Page } from '@playwright/test';
import type { InspectorState as FullState, TraceEvent } from '../../../renderer/inspector/types.js';
import type { InspectorClient } from '../../support/inspector.js';
import type { TestLoginscope } from '../../support/loginscope.js';
import { expect, watchConsole } from './fixtures.js';

/**
 * The inspector page as a presenter uses it (issue 12's demo-truth tests): opened from the launch link, its diagram,
 * panels and top bar driven by role, label and the data attributes the outside contract names.
 */
export type State = FullState & { attacks: Array<{ id: string; title: string; needs: string; missing?: string; fix?: string }> };
export type Step = State['steps'][number];
export type TraceEntry = TraceEvent & { steps: number[] };

interface Ls {
  app: TestLoginscope;
  inspector: InspectorClient;
}

export async function openInspector(ls: Ls, context: BrowserContext): Promise<{ inspector: Page; problems: string[] }> {
  const inspector = await context.newPage();
  await inspector.setViewportSize({ width: 1280, height: 1200 });
  const problems = watchConsole(inspector);
  await inspector.goto(ls.app.inspectorUrl);
  await expect(inspector).toHaveURL(`${ls.app.urls.inspector}/`);
  await expect(inspector.getByText('live', { exact: true })).toBeVisible();
  return { inspector, problems };
}

/** An app page of the same browser (a tab of the context), its console watched. */
export async function openApp(ls: Ls, context: BrowserContext, app: 'store' | 'forum'): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto(`${ls.app.urls[app]}/`);
  return { page, problems };
}

export const diagram = (inspector: Page) => inspector.getByRole('group', { name: 'Live sequence diagram' });
/** One arrow by what it shows: the seed's number, or A1… for an added attack's arrow. */
export const arrow = (inspector: Page, tag: number | string) => diagram(inspector).locator(`[data-step="${tag}"]`);

export async function expectSeen(inspector: Page, tags: Array<number | string>) {
  for (const tag of tags) await expect(arrow(inspector, tag), `step ${tag} lit`).toHaveAttribute('data-seen', 'true');
}

export async function expectUnseen(inspector: Page, tags: Array<number | string>) {
  for (const tag of tags) await expect(arrow(inspector, tag), `step ${tag} dim`).not.toHaveAttribute('data-seen', 'true');
}

export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export async function state(ls: Ls): Promise<State> {
  return ls.inspector.state<State>();
}

export function step(s: State, tag: number | string): Step {
  const found = s.steps.find((x) => x.tag === String(tag));
  if (!found) throw new Error(`no step ${tag} in ${s.workflow}`);
  return found;
}

/** Each step's count, by tag: what a later action changed is the difference. */
export async function counts(ls: Ls): Promise<Record<string, number>> {
  return Object.fromEntries((await state(ls)).steps.map((s) => [s.tag, s.count]));
}

export async function trace(ls: Ls): Promise<TraceEntry[]> {
  return (await ls.inspector.get('/trace')).json<{ events: TraceEntry[] }>().events;
}

export const isExchange = (e: TraceEvent): e is Extract<TraceEntry, { type: 'exchange' }> => e.type === 'exchange';

export const cookiePanel = (inspector: Page) => inspector.getByTestId('cookie-panel');
export const cookieRow = (inspector: Page, origin: string, name: string): Locator =>
  cookiePanel(inspector).locator(`[data-testid="cookie-row"][data-origin="${origin}"][data-name="${name}"]`);

/** The browser's real cookies for our origins, as `origin/name` (the form the cookie panel's rows give). */
export async function realJar(ls: Ls, context: BrowserContext): Promise<string[]> {
  const roles = ['store', 'forum', 'login', 'attacker'] as const;
  const byHost = new Map(roles.map((r) => [new URL(ls.app.urls[r]).hostname, r]));
  return (await context.cookies())
    .filter((c) => byHost.has(c.domain))
    .map((c) => `${byHost.get(c.domain)}/${c.name}`)
    .sort();
}

/** The rows the cookie panel shows as still in the browser (struck-through deletions left out), in the same form. */
export async function panelJar(inspector: Page): Promise<string[]> {
  return cookiePanel(inspector)
    .locator('[data-testid="cookie-row"]:not([data-deleted="true"])')
    .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-origin')}/${r.getAttribute('data-name')}`).sort());
}

/** The inspector's Reset: it asks first, says what it does, then starts over. */
export async function resetFromInspector(inspector: Page): Promise<void> {
  await inspector.getByRole('button', { name: 'Reset', exact: true }).click();
  const dialog = inspector.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('ends every server-side session, refresh token and SSO session');
  await expect(dialog).toContainText('clear their cookies and storage and reload');
  await dialog.getByRole('button', { name: 'Reset the demo' }).click();
  await expect(inspector.getByRole('alertdialog')).toHaveCount(0);
}

/** The inspector's workflow picker: pick by title, confirm the switch. */
export async function switchFromInspector(ls: Ls, inspector: Page, id: string): Promise<void> {
  const { workflows } = await state(ls);
  const target = workflows.find((w) => w.id === id)!;
  await inspector.getByLabel('Workflow', { exact: true }).selectOption({ label: target.title });
  const dialog = inspector.getByRole('alertdialog');
  await expect(dialog).toContainText(target.title);
  await dialog.getByRole('button', { name: 'Switch workflow' }).click();
  await expect.poll(async () => (await state(ls)).workflow).toBe(id);
  await expect(inspector.getByRole('alertdialog')).toHaveCount(0);
}

export const attackItem = (inspector: Page, id: string) => inspector.getByTestId('attack-panel').locator(`[data-testid="attack"][data-attack="${id}"]`);
export const attackOutcome = (inspector: Page) => inspector.getByTestId('attack-outcome');
