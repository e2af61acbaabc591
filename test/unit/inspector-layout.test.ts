import { describe, expect, it } from 'vitest';
import { implicitSessionSteps } from '../../backend/workflows/implicit-session/steps.js';
import { nativeRefreshSteps } from '../../backend/workflows/native-refresh/steps.js';
import { laneX, layoutDiagram, LANES, PHASE_TITLES, textWidth, WIDTH, type StepInput } from '../../renderer/inspector/layout.js';

const asInput = (steps: typeof nativeRefreshSteps): StepInput[] => steps.map(({ n, from, to, kind, phase, label, notation }) => ({ n, from, to, kind, phase, label, notation: notation ?? null }));
const catalogues = { 'native-refresh': asInput(nativeRefreshSteps), 'implicit-session': asInput(implicitSessionSteps) };

describe.each(Object.entries(catalogues))('diagram layout of %s', (_id, steps) => {
  const layout = layoutDiagram(steps);

  it('has one row per step, top to bottom in catalogue order', () => {
    expect(layout.steps.map((s) => s.n)).toEqual(steps.map((s) => s.n));
    for (let i = 1; i < layout.steps.length; i++) expect(layout.steps[i]!.top).toBeGreaterThanOrEqual(layout.steps[i - 1]!.top + layout.steps[i - 1]!.height);
    expect(layout.height).toBeGreaterThan(layout.steps.at(-1)!.top + layout.steps.at(-1)!.height - 1);
  });

  it('labels each phase once, in the seed order, and each band covers exactly its steps', () => {
    const phases = [...new Set(steps.map((s) => s.phase))];
    expect(layout.phases.map((p) => p.phase)).toEqual(phases);
    expect(layout.phases.map((p) => p.title)).toEqual(phases.map((p) => PHASE_TITLES[p]));
    for (const [i, step] of steps.entries()) {
      const g = layout.steps[i]!;
      const band = layout.phases.find((p) => p.phase === step.phase)!;
      expect(g.top).toBeGreaterThanOrEqual(band.top);
      expect(g.top + g.height).toBeLessThanOrEqual(band.top + band.height);
    }
  });

  it('draws arrows between the right lanes, with the head at the receiving lane', () => {
    for (const [i, step] of steps.entries()) {
      const g = layout.steps[i]!;
      expect(g.badge.cx).toBe(laneX(step.from));
      const tipX = Number(g.head.split(' ')[0]!.split(',')[0]);
      if (step.from === step.to) {
        expect(g.path).toMatch(/^M[\d.]+,[\d.]+ H[\d.]+ V[\d.]+ H[\d.]+$/);
        expect(Math.abs(tipX - laneX(step.from))).toBeLessThan(20);
      } else {
        expect(Math.abs(tipX - laneX(step.to))).toBeLessThanOrEqual(2);
        expect(g.path.startsWith('M')).toBe(true);
      }
    }
  });

  it('keeps every label and notation inside the drawing', () => {
    for (const [i, step] of steps.entries()) {
      const g = layout.steps[i]!;
      const w = textWidth(step.label);
      const left = g.label.anchor === 'start' ? g.label.x : g.label.x - w;
      expect(left, `step ${step.n} label`).toBeGreaterThanOrEqual(0);
      expect(left + w, `step ${step.n} label`).toBeLessThanOrEqual(WIDTH);
      if (step.notation) expect(g.notation, `step ${step.n} notation`).toBeDefined();
    }
  });
});

describe('lanes', () => {
  it('are Browser, Store, Forum, Identity server, Attacker, left to right inside the width', () => {
    expect(LANES).toEqual(['browser', 'store', 'forum', 'idp', 'attacker']);
    const xs = LANES.map(laneX);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(xs[0]).toBeGreaterThan(40);
    expect(xs.at(-1)).toBeLessThan(WIDTH - 40);
  });

  it('puts an internal step’s label left of its lane when the right has no room', () => {
    const [g] = layoutDiagram([{ n: 1, from: 'attacker', to: 'attacker', kind: 'internal', phase: 'attack', label: 'A long internal label that cannot fit', notation: null }]).steps;
    expect(g!.label.anchor).toBe('end');
    expect(g!.label.x).toBeLessThan(laneX('attacker'));
  });
});
