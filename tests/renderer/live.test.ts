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
    localStorage: { getItem: () => null, setItem: () => undefined },
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

  it('while paused, holds arriving alerts and leaves the list as it was until resumed', () => {
    const before = live.useLive.getState();
    live.useLive.getState().setPaused(true);
    live.acceptTick(tick(3_000_000_000, [alert(99_999)]));
    frames.shift()!();
    const after = live.useLive.getState();
    expect(after.alerts).toBe(before.alerts);
    expect(after.held.map((a) => a.id)).toEqual(['A-99999']);
    live.useLive.getState().setPaused(false);
    const resumed = live.useLive.getState();
    expect(resumed.held).toEqual([]);
    expect(resumed.alerts.length).toBe(live.RING_SIZE);
    expect(resumed.alerts.slice(0, 2).map((a) => a.id)).toEqual(['A-99999', 'A-9999']);
  });

  it('shows as "Alerts in the list" exactly the number of rows of the table beside it', async () => {
    const { createElement } = await import('react');
    const { renderToStaticMarkup } = await import('react-dom/server');
    const { LiveView } = await import('../../src/renderer/src/views/LiveView');
    const view = () => {
      // React's static rendering reads a zustand store's initial-state object: copy the live
      // state into it, so the markup is what the window would show now.
      Object.assign(live.useLive.getInitialState(), live.useLive.getState());
      const html = renderToStaticMarkup(createElement(LiveView));
      const kpi = /data-testid="live-received">([^<]*)</.exec(html)?.[1];
      const held = /data-testid="live-held">([^<]*(?:<!-- -->[^<]*)*)</.exec(html)?.[1];
      const rows = html.match(/<tr[^>]* data-key="/g)?.length ?? 0;
      return [kpi, rows, held?.replace(/<!-- -->/g, '')];
    };
    live.useLive.getState().clear();
    // Stored alerts seed the list; they are rows and so they are counted.
    live.useLive.setState({ alerts: [alert(1), alert(2), alert(3)] });
    expect(view()).toEqual(['3', 3, undefined]);
    live.acceptTick(tick(4_000_000_000, [alert(4), alert(5)]));
    frames.shift()!();
    expect(view()).toEqual(['5', 5, undefined]);
    // Paused: the count stays with the table; what arrives is shown apart as held.
    live.useLive.getState().setPaused(true);
    live.acceptTick(tick(4_000_001_000, [alert(6), alert(7)]));
    frames.shift()!();
    expect(view()).toEqual(['5', 5, '+2 held while paused']);
    live.useLive.getState().setPaused(false);
    expect(view()).toEqual(['7', 7, undefined]);
  });
});
