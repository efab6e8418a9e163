// The live stream: newest alerts in a bounded ring and events per second over the last minutes.
// `alerts` is exactly the list the Live view shows (stored alerts it was seeded with, then every
// streamed one, newest first, at most RING_SIZE); alerts that arrive while paused wait in `held`
// (also at most RING_SIZE) and join the list on resume, so the count and the table never differ.
// Ticks can arrive thousands of times a second; they are gathered in plain arrays and handed to
// React at most once per animation frame, so the window never stalls.
import { create } from 'zustand';
import type { Alert } from '../../../shared/types';
import type { LiveTick } from '../../../shared/api';
import { api } from '../api';

export const RING_SIZE = 1000;
export const HISTORY_SECONDS = 120;
const SEED_SIZE = 200;

export interface EpsPoint {
  second: number;
  eps: number;
}

interface LiveState {
  alerts: Alert[];
  /** Arrived while paused, newest first; not in `alerts` until resumed. */
  held: Alert[];
  history: EpsPoint[];
  eps: number;
  events: number;
  paused: boolean;
  setPaused(p: boolean): void;
  clear(): void;
}

export const useLive = create<LiveState>()((set) => ({
  alerts: [],
  held: [],
  history: [],
  eps: 0,
  events: 0,
  paused: false,
  setPaused: (paused) =>
    set((s) =>
      paused || !s.held.length
        ? { paused }
        : { paused, alerts: s.held.concat(s.alerts).slice(0, RING_SIZE), held: [] },
    ),
  clear: () => set({ alerts: [], held: [] }),
}));

// Gathered between frames; bounded so a hidden window (no frames) cannot grow memory.
let pendingAlerts: Alert[] = [];
let lastTick: LiveTick | null = null;
let frame = 0;

function addHistory(history: EpsPoint[], tick: LiveTick): EpsPoint[] {
  const second = Math.floor(tick.at / 1000);
  const last = history[history.length - 1];
  const next = last && last.second === second ? history.slice(0, -1) : history.slice();
  next.push({ second, eps: tick.eps });
  return next.length > HISTORY_SECONDS ? next.slice(next.length - HISTORY_SECONDS) : next;
}

function flush(): void {
  frame = 0;
  const tick = lastTick;
  const arrived = pendingAlerts;
  pendingAlerts = [];
  if (!tick) return;
  useLive.setState((s) => {
    const newest = arrived.slice().reverse();
    const into = s.paused ? s.held : s.alerts;
    const list = newest.length ? newest.concat(into).slice(0, RING_SIZE) : into;
    return {
      ...(s.paused ? { held: list } : { alerts: list }),
      eps: tick.eps,
      events: tick.events,
      history: addHistory(s.history, tick),
    };
  });
}

/** Feeds one tick in; exported for the tests of the coalescing. */
export function acceptTick(tick: LiveTick): void {
  lastTick = tick;
  if (tick.alerts.length) {
    pendingAlerts.push(...tick.alerts.slice(-RING_SIZE));
    if (pendingAlerts.length > RING_SIZE) pendingAlerts = pendingAlerts.slice(-RING_SIZE);
  }
  if (!frame) frame = requestAnimationFrame(flush);
}

let subscribed = false;

/** Subscribes to the stream and seeds the ring with the newest stored alerts. */
export function subscribeLive(): void {
  if (subscribed) return;
  subscribed = true;
  api.on('live', acceptTick);
  api.listAlerts({ limit: SEED_SIZE }).then(
    (stored) => {
      useLive.setState((s) => {
        const seen = new Set(s.alerts.map((a) => a.id));
        const older = stored.filter((a) => !seen.has(a.id));
        return { alerts: s.alerts.concat(older).slice(0, RING_SIZE) };
      });
    },
    (e: unknown) => console.warn(`[live] could not seed the stream: ${String(e)}`),
  );
}
