// The time-to-contain panel: percentiles over automatic blocks and WAF rules confirmed in force,
// threats answered automatically, and analyst hours saved at 20 minutes each.
import type { ContainStats } from '../../shared/api/response';
import type { Action } from '../../shared/types';

export const MINUTES_SAVED_PER_THREAT = 20;

/** Nearest-rank percentile of sorted values; null when empty. */
export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

const ENFORCED = new Set(['applied', 'expired', 'rolled-back']);

export function containStats(actions: Iterable<Action>): ContainStats {
  const times: number[] = [];
  const autoAlerts = new Set<string>();
  const manualAlerts = new Set<string>();
  for (const a of actions) {
    if (a.mode === 'dry-run' || a.kind === 'notify' || !ENFORCED.has(a.state)) continue;
    const key = a.alertId ?? a.id;
    if (a.mode === 'auto') {
      autoAlerts.add(key);
      if (a.timeToContainMs !== undefined) times.push(a.timeToContainMs);
    } else manualAlerts.add(key);
  }
  times.sort((x, y) => x - y);
  return {
    n: times.length,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    automatic: autoAlerts.size,
    manual: manualAlerts.size,
    hoursSaved: Math.round(((autoAlerts.size * MINUTES_SAVED_PER_THREAT) / 60) * 100) / 100,
  };
}
