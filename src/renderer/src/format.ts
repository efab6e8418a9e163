// Formatting for dense tables: UTC times, durations, counts.

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** `2020-10-23 02:36:51` in UTC, from an ISO string or epoch ms; the raw value if unreadable. */
export function fmtTime(t: string | number | undefined): string {
  if (t === undefined || t === '') return '—';
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** Time of day only, with milliseconds: for the live stream. */
export function fmtClock(t: string | number): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export function fmtCount(n: number | undefined): string {
  if (n === undefined) return '—';
  return n.toLocaleString('en-US');
}

export function fmtRate(n: number): string {
  if (n >= 10_000) return `${(n / 1000).toFixed(1)}k`;
  return n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 1 : 0 });
}

export function shortId(id: string | undefined): string {
  if (!id) return '—';
  return id.length > 10 ? id.slice(0, 8) : id;
}

/** Where a rule problem is: `line:column` in the rule, or `events line N` in the test events. */
export function problemWhere(p: { file: string; line?: number; column?: number }): string {
  if (p.file === 'events') return p.line ? `events line ${p.line}` : 'events';
  return `${p.line ?? '?'}:${p.column ?? '?'}`;
}
