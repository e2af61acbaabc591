import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./mocks/electron.js'));

const { resetElectronMock } = await import('./mocks/electron.js');
const { ATTACKER_PARTITION, BROWSER_PARTITION, createTabs, INSPECTOR_PARTITION, partitionFor } = await import('../../main/tabs.js');
const { TAB_IDS } = await import('../../main/ipc-contract.js');

const homes = { store: 'http://store.localhost:9311/', forum: 'http://forum.localhost:9311/', attacker: 'http://attacker.localhost:9311/' };

type View = { webContents: import('./mocks/electron.js').FakeWebContents; visible: boolean; options: { webPreferences?: Record<string, unknown> } };
const viewOf = (tabs: ReturnType<typeof createTabs>, id: (typeof TAB_IDS)[number]) => tabs.views.get(id) as unknown as View;

describe('partitions', () => {
  it('puts store and forum in one browser partition and the attacker in its own', () => {
    expect(partitionFor('store')).toBe(BROWSER_PARTITION);
    expect(partitionFor('forum')).toBe(BROWSER_PARTITION);
    expect(partitionFor('attacker')).toBe(ATTACKER_PARTITION);
    expect(new Set([BROWSER_PARTITION, ATTACKER_PARTITION, INSPECTOR_PARTITION]).size).toBe(3);
    for (const p of [BROWSER_PARTITION, ATTACKER_PARTITION, INSPECTOR_PARTITION]) expect(p).toMatch(/^persist:/);
  });
});

describe('createTabs', () => {
  beforeEach(resetElectronMock);

  it('makes one view per tab in its partition, loading its start page; only the store shows', () => {
    const tabs = createTabs(homes);
    expect([...tabs.views.keys()]).toEqual([...TAB_IDS]);
    for (const id of TAB_IDS) {
      const view = viewOf(tabs, id);
      expect(view.options.webPreferences!.partition).toBe(partitionFor(id));
      expect(view.webContents.getURL()).toBe(homes[id]);
      expect(view.visible).toBe(id === 'store');
    }
    expect(tabs.active()).toBe('store');
  });

  it('switches tabs: one visible view, and the toolbar hears the new state', () => {
    const tabs = createTabs(homes);
    const heard = vi.fn();
    tabs.onChange(heard);
    tabs.select('attacker');
    expect(tabs.active()).toBe('attacker');
    expect(TAB_IDS.filter((id) => viewOf(tabs, id).visible)).toEqual(['attacker']);
    expect(heard).toHaveBeenLastCalledWith(expect.objectContaining({ active: 'attacker' }));
  });

  it('reports the full URL, fragment included, after an in-page navigation', () => {
    const tabs = createTabs(homes);
    const heard = vi.fn();
    tabs.onChange(heard);
    const url = 'http://store.localhost:9311/oauth-redirect#access_token=eyJ.abc.def&token_type=Bearer';
    viewOf(tabs, 'store').webContents.navigateInPage(url);
    expect(heard).toHaveBeenCalledTimes(1);
    expect(tabs.state().tabs.find((t) => t.id === 'store')!.url).toBe(url);
  });

  it('goes back and reloads in the active tab only', () => {
    const tabs = createTabs(homes);
    const forum = viewOf(tabs, 'forum').webContents;
    tabs.select('forum');
    expect(tabs.state().canGoBack).toBe(false);
    tabs.back();
    expect(forum.navigationHistory.goBack).not.toHaveBeenCalled();
    tabs.open('forum', 'http://forum.localhost:9311/posts');
    expect(tabs.state().canGoBack).toBe(true);
    tabs.back();
    expect(forum.navigationHistory.goBack).toHaveBeenCalledTimes(1);
    tabs.reload();
    expect(forum.reload).toHaveBeenCalledTimes(1);
    expect(viewOf(tabs, 'store').webContents.reload).not.toHaveBeenCalled();
  });

  it('sends every tab home with a fresh history on reset', () => {
    const tabs = createTabs(homes);
    tabs.open('store', 'http://store.localhost:9311/elsewhere');
    tabs.goHome();
    for (const id of TAB_IDS) {
      expect(viewOf(tabs, id).webContents.getURL()).toBe(homes[id]);
      expect(viewOf(tabs, id).webContents.navigationHistory.clear).toHaveBeenCalled();
    }
  });
});
