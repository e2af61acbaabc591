/**
 * Pure geometry of the sequence diagram: where the lanes, phase bands, arrows, numbers and labels go.
 * Drawn in a fixed 640-unit-wide viewBox that the page scales to its width (sidebar or full tab).
 */
import type { Lane, Phase, StepKind } from './types.js';

export const WIDTH = 640;
export const HEADER_HEIGHT = 54;
export const LANES: readonly Lane[] = ['browser', 'store', 'forum', 'idp', 'attacker'];
export const LANE_TITLES: Record<Lane, [string, string?]> = {
  browser: ['Browser'],
  store: ['Store', 'backend'],
  forum: ['Forum', 'backend'],
  idp: ['Identity', 'server'],
  attacker: ['Attacker'],
};
export const PHASE_TITLES: Record<Phase, string> = {
  initialise: 'Initialise',
  login: 'Log in',
  use: 'Use the app',
  expiry: 'A while later: expiry',
  forum: 'The forum (second app)',
  attack: 'Attacks',
};

const FIRST_LANE_X = 64;
const LANE_GAP = 128;
const PHASE_ROW = 30;
const STEP_ROW = 48;
const BADGE_R = 11;
const HEAD = 9;
const LABEL_CHAR = 6.7;
const NOTATION_CHAR = 6.6;
const EDGE = 4;

export interface StepInput {
  n: number;
  from: Lane;
  to: Lane;
  kind: StepKind;
  phase: Phase;
  label: string;
  notation: string | null;
}

export interface TextPlace {
  x: number;
  y: number;
  anchor: 'start' | 'end';
}

export interface StepGeometry {
  n: number;
  kind: StepKind;
  /** Top of the row, for the hit area and the highlight. */
  top: number;
  height: number;
  lineY: number;
  /** The arrow's shaft (or the self-loop) as an SVG path. */
  path: string;
  head: string;
  badge: { cx: number; cy: number; r: number };
  label: TextPlace;
  notation: TextPlace | undefined;
}

export interface PhaseBand {
  phase: Phase;
  title: string;
  top: number;
  height: number;
}

export interface DiagramLayout {
  width: number;
  height: number;
  lanes: Array<{ lane: Lane; x: number; title: [string, string?] }>;
  phases: PhaseBand[];
  steps: StepGeometry[];
}

export function laneX(lane: Lane): number {
  return FIRST_LANE_X + LANES.indexOf(lane) * LANE_GAP;
}

/** Estimated text width; good enough to keep labels inside the viewBox without measuring the DOM. */
export function textWidth(text: string, charWidth = LABEL_CHAR): number {
  return text.length * charWidth;
}

/** Left-aligned at `x` if it fits, else pulled back so it ends at the right edge (never past the left one). */
function placeStart(x: number, width: number): number {
  return Math.max(EDGE, Math.min(x, WIDTH - EDGE - width));
}

function arrowHead(tipX: number, y: number, dir: 1 | -1): string {
  const back = tipX - dir * HEAD;
  return `${tipX},${y} ${back},${y - 5} ${back},${y + 5}`;
}

function arrow(step: StepInput, top: number): StepGeometry {
  const lineY = top + 24;
  const x1 = laneX(step.from);
  const x2 = laneX(step.to);
  const dir: 1 | -1 = x2 >= x1 ? 1 : -1;
  const start = x1 + dir * (BADGE_R + 2);
  const tip = x2 - dir * 2;
  const left = Math.min(x1, x2);
  const labelStart = dir === 1 ? left + BADGE_R + 8 : left + 10;
  return {
    n: step.n,
    kind: step.kind,
    top,
    height: STEP_ROW,
    lineY,
    path: `M${start},${lineY} L${tip - dir * HEAD},${lineY}`,
    head: arrowHead(tip, lineY, dir),
    badge: { cx: x1, cy: lineY, r: BADGE_R },
    label: { x: placeStart(labelStart, textWidth(step.label)), y: lineY - 8, anchor: 'start' },
    notation: step.notation ? { x: placeStart(labelStart, textWidth(step.notation, NOTATION_CHAR)), y: lineY + 17, anchor: 'start' } : undefined,
  };
}

/** An internal step: a small loop back to its own lane, labelled beside it (left of the lane if the right has no room). */
function selfLoop(step: StepInput, top: number): StepGeometry {
  const lineY = top + 20;
  const x = laneX(step.from);
  const loopStart = x + BADGE_R + 2;
  const loopWidth = 26;
  const loopDrop = 14;
  const right = x + BADGE_R + loopWidth + 10;
  const labelWidth = textWidth(step.label);
  const fitsRight = right + labelWidth <= WIDTH - EDGE;
  const label: TextPlace = fitsRight ? { x: right, y: lineY + 11, anchor: 'start' } : { x: x - BADGE_R - 8, y: lineY + 11, anchor: 'end' };
  const tipX = loopStart;
  return {
    n: step.n,
    kind: step.kind,
    top,
    height: STEP_ROW,
    lineY,
    path: `M${loopStart},${lineY - 4} H${loopStart + loopWidth} V${lineY + loopDrop} H${tipX + HEAD}`,
    head: arrowHead(tipX, lineY + loopDrop, -1),
    badge: { cx: x, cy: lineY, r: BADGE_R },
    label,
    notation: step.notation ? { ...label, y: lineY + 26 } : undefined,
  };
}

/** Rows in catalogue order; a phase title row wherever the phase changes. */
export function layoutDiagram(steps: readonly StepInput[]): DiagramLayout {
  const phases: PhaseBand[] = [];
  const geometry: StepGeometry[] = [];
  let y = 0;
  for (const step of steps) {
    const band = phases.at(-1);
    if (!band || band.phase !== step.phase) {
      phases.push({ phase: step.phase, title: PHASE_TITLES[step.phase], top: y, height: PHASE_ROW });
      y += PHASE_ROW;
    }
    geometry.push(step.kind === 'internal' || step.from === step.to ? selfLoop(step, y) : arrow(step, y));
    y += STEP_ROW;
    phases.at(-1)!.height += STEP_ROW;
  }
  return {
    width: WIDTH,
    height: y + 8,
    lanes: LANES.map((lane) => ({ lane, x: laneX(lane), title: LANE_TITLES[lane] })),
    phases,
    steps: geometry,
  };
}
