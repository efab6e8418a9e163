// The verdict model: learns from analysts' verdicts and adjusts scores, with its reasons.
//
// Each alert is described by features: its rule, its tags, its source address's /24 (or /64 for
// IPv6) and its host. Per feature the model keeps how many true-positive and how many
// false-positive verdicts it has seen (benign counts half a false positive). A feature's evidence
// is the log-odds ln((tp + 1) / (fp + 1)), weighted by kind; the adjustment is
// round(POINTS_PER_NAT * sum), clamped to ±MAX_ADJUST. Verdicts retrain it at once: the counts
// are written through the store and the next score uses them.
import type { Store } from '../../store';
import type { ScorePart, Verdict } from '../../../shared/types';

export interface ModelContext {
  ruleId: string;
  tags: string[];
  sourceIp?: string;
  host?: string;
}

export const KIND_WEIGHT: Record<string, number> = { rule: 1, net: 1, host: 0.5, tag: 0.25 };
export const POINTS_PER_NAT = 10;
export const MAX_ADJUST = 30;

/** How much one verdict counts towards (tp, fp). */
const VERDICT_WEIGHT: Record<Verdict, [number, number]> = {
  'true-positive': [1, 0],
  'false-positive': [0, 1],
  benign: [0, 0.5],
};

const SCHEMA = [
  `CREATE TABLE model_features (key TEXT PRIMARY KEY, tp REAL NOT NULL, fp REAL NOT NULL)`,
];

/** The network an address belongs to: a.b.c.0/24 for IPv4, the first four groups for IPv6. */
export function networkOf(ip: string): string | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (ip.includes(':')) {
    const groups = ip.split(':').slice(0, 4);
    if (groups.length === 4 && groups.every((g) => g !== '')) return `${groups.join(':')}::/64`;
  }
  return undefined;
}

export function featuresOf(ctx: ModelContext): string[] {
  const out = [`rule:${ctx.ruleId}`];
  for (const tag of ctx.tags) out.push(`tag:${tag.toLowerCase()}`);
  const net = ctx.sourceIp ? networkOf(ctx.sourceIp) : undefined;
  if (net) out.push(`net:${net}`);
  if (ctx.host) out.push(`host:${ctx.host.toLowerCase()}`);
  return [...new Set(out)];
}

export class VerdictModel {
  private readonly counts = new Map<string, { tp: number; fp: number }>();

  constructor(private readonly store: Store) {
    store.migrate('model', SCHEMA);
    for (const row of store.all<{ key: string; tp: number; fp: number }>(
      'SELECT * FROM model_features',
    )) {
      this.counts.set(row.key, { tp: row.tp, fp: row.fp });
    }
  }

  /** The score part for this context, or null when no verdict touched any of its features. */
  adjust(ctx: ModelContext): ScorePart | null {
    let sum = 0;
    const reasons: string[] = [];
    for (const key of featuresOf(ctx)) {
      const c = this.counts.get(key);
      if (!c || c.tp + c.fp === 0) continue;
      const weight = KIND_WEIGHT[key.slice(0, key.indexOf(':'))] ?? 0;
      const evidence = weight * Math.log((c.tp + 1) / (c.fp + 1));
      sum += evidence;
      reasons.push(`${key} ${c.tp} TP / ${c.fp} FP (${signed(evidence * POINTS_PER_NAT, 1)})`);
    }
    if (reasons.length === 0) return null;
    const points = clamp(Math.round(sum * POINTS_PER_NAT), -MAX_ADJUST, MAX_ADJUST);
    return {
      kind: 'model',
      label: 'Learned from analysts’ verdicts',
      points,
      detail: reasons.join('; '),
    };
  }

  /**
   * Learn one verdict. When the alert already had a verdict, that one is taken back first, so
   * changing one's mind does not count twice.
   */
  learn(ctx: ModelContext, verdict: Verdict, previous?: Verdict): void {
    if (previous === verdict) return;
    const [tp, fp] = VERDICT_WEIGHT[verdict];
    const [oldTp, oldFp] = previous ? VERDICT_WEIGHT[previous] : [0, 0];
    const next = featuresOf(ctx).map((key) => {
      const c = this.counts.get(key) ?? { tp: 0, fp: 0 };
      return { key, tp: Math.max(0, c.tp + tp - oldTp), fp: Math.max(0, c.fp + fp - oldFp) };
    });
    this.store.transaction(() => {
      for (const n of next) {
        this.store.run('INSERT OR REPLACE INTO model_features (key, tp, fp) VALUES (?, ?, ?)', [
          n.key,
          n.tp,
          n.fp,
        ]);
      }
    });
    for (const n of next) this.counts.set(n.key, { tp: n.tp, fp: n.fp });
  }

  /** The learned counts for one feature (for tests and the UI). */
  countsOf(key: string): { tp: number; fp: number } | undefined {
    return this.counts.get(key);
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

function signed(n: number, digits: number): string {
  const s = n.toFixed(digits);
  return n >= 0 ? `+${s}` : s;
}
