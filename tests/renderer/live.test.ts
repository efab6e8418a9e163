// The Live view's store: ticks are gathered between animation frames and handed over once per
// frame, the ring keeps the newest alerts only, and a burst never grows memory past the ring.
import { beforeAll, describe, expect, it } from 'vitest';
import type { LiveTick } from '../../src/shared/api';
import type { Alert } from '../../src/shared/types';

type LiveModule = typeof import('../../src/renderer/src/stores/live');
let live: LiveModule;
const frames: (() => void)[] = [];

function alert(n: number): Alert {
  return {
    id: `A-${n}`,
    time: new Date(n).toISOString(),
    createdAt: n,
    score: 50,
    severity: 'medium',
    title: `alert ${n}`,
    ruleId: 'r',
    tags: [],
    parts: [],
    eventIds: [],
  };
}

function tick(at: number, alerts: Alert[]): LiveTick {
  return { at, eps: 5000, events: at, alerts };
}

beforeAll(async () => {
  // Electron's bridge stands in for the API; frames run only when the test says so.
  const bridge = { on: () => () => undefined, listAlerts: async () => [] };
  Object.assign(globalThis, {
    window: { haechi: bridge },
    requestAnimationFrame: (cb: () => void) => frames.push(cb),
  });
  live = await import('../../src/renderer/src/stores/live');
});

describe('the live stream store', () => {
  it('hands 10,000 ticks to the view in one frame, newest first, capped at the ring size', () => {
    let n = 0;
    for (let i = 0; i < 10_000; i++) live.acceptTick(tick(1_000_000 + i, [alert(n++)]));
    expect(live.useLive.getState().alerts).toEqual([]);
    expect(frames.length).toBe(1);

    frames.shift()!();
    const state = live.useLive.getState();
    expect(state.alerts.length).toBe(live.RING_SIZE);
    expect(state.alerts[0].id).toBe('A-9999');
    expect(state.alerts[live.RING_SIZE - 1].id).toBe(`A-${10_000 - live.RING_SIZE}`);
    expect(state.received).toBe(10_000);
    expect(state.eps).toBe(5000);
  });

  it('keeps one events-per-second point per second, for the last two minutes', () => {
    for (let s = 0; s < 200; s++) {
      live.acceptTick(tick(2_000_000_000 + s * 1000, []));
      live.acceptTick(tick(2_000_000_000 + s * 1000 + 500, []));
      frames.shift()!();
    }
    const history = live.useLive.getState().history;
    expect(history.length).toBe(live.HISTORY_SECONDS);
    expect(history[history.length - 1].second).toBe(2_000_000 + 199);
    expect(history[0].second).toBe(2_000_000 + 200 - live.HISTORY_SECONDS);
  });

  it('while paused, counts arriving alerts but leaves the list as it was', () => {
    const before = live.useLive.getState();
    live.useLive.getState().setPaused(true);
    live.acceptTick(tick(3_000_000_000, [alert(99_999)]));
    frames.shift()!();
    const after = live.useLive.getState();
    expect(after.alerts).toBe(before.alerts);
    expect(after.received).toBe(before.received + 1);
  });
});
