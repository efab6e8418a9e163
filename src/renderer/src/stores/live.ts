// The live stream: newest alerts in a bounded ring and events per second over the last minutes.
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
  history: EpsPoint[];
  eps: number;
  events: number;
  received: number;
  paused: boolean;
  setPaused(p: boolean): void;
  clear(): void;
}

export const useLive = create<LiveState>()((set) => ({
  alerts: [],
  history: [],
  eps: 0,
  events: 0,
  received: 0,
  paused: false,
  setPaused: (paused) => set({ paused }),
  clear: () => set({ alerts: [], received: 0 }),
}));

// Gathered between frames; bounded so a hidden window (no frames) cannot grow memory.
let pendingAlerts: Alert[] = [];
let pendingReceived = 0;
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
  const received = pendingReceived;
  pendingAlerts = [];
  pendingReceived = 0;
  if (!tick) return;
  useLive.setState((s) => {
    const newest = s.paused ? [] : arrived.slice().reverse();
    const alerts = newest.length ? newest.concat(s.alerts).slice(0, RING_SIZE) : s.alerts;
    return {
      alerts,
      eps: tick.eps,
      events: tick.events,
      received: s.received + received,
      history: addHistory(s.history, tick),
    };
  });
}

/** Feeds one tick in; exported for the tests of the coalescing. */
export function acceptTick(tick: LiveTick): void {
  lastTick = tick;
  pendingReceived += tick.alerts.length;
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
