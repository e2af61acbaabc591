import type { Lane } from './types.js';

/** Lane colours (theme.css `--lane-*`), as literal values so an exported SVG keeps them. */
export const LANE_COLOURS: Record<Lane, string> = {
  browser: '#60a5fa',
  store: '#fbbf24',
  forum: '#34d399',
  idp: '#c084fc',
  attacker: '#f87171',
};

/** Which lane an event's system or origin belongs to. */
export function laneOf(where: string): Lane | undefined {
  if (where === 'login' || where === 'idp' || where === 'external') return 'idp';
  return (['browser', 'store', 'forum', 'attacker'] as const).find((l) => l === where);
}
