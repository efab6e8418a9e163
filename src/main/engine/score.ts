// Scoring: turns one rule match (with its intel hits and the model's say) into a score from 0 to
// 100 and the parts that made it. Every part is kept on the alert, so a score explains itself.
import type { Indicator, Level, RuleMatch, ScorePart } from '../../shared/types';

/** Points a rule's level starts from. */
export const LEVEL_BASE: Record<Level, number> = {
  informational: 10,
  low: 25,
  medium: 45,
  high: 65,
  critical: 85,
};

/** Severity bands over the final score (the same thresholds as LEVEL_BASE). */
export function severityOf(score: number): Level {
  if (score >= LEVEL_BASE.critical) return 'critical';
  if (score >= LEVEL_BASE.high) return 'high';
  if (score >= LEVEL_BASE.medium) return 'medium';
  if (score >= LEVEL_BASE.low) return 'low';
  return 'informational';
}

/** One indicator found in an event: which field held it. */
export interface IntelHit {
  indicator: Pick<Indicator, 'type' | 'value' | 'source' | 'confidence'>;
  field: string;
}

/** An indicator adds up to this many points at confidence 100; all of them together, INTEL_MAX. */
export const INTEL_POINTS = 20;
export const INTEL_MAX = 30;
/** A correlation (a burst, a sequence) adds this much over its base rule's level. */
export const CORRELATION_POINTS = 10;
/** Each further rule matching the same event adds this much, up to CONTEXT_MAX. */
export const CONTEXT_POINTS = 5;
export const CONTEXT_MAX = 15;

export interface ScoreInput {
  match: RuleMatch;
  intel?: IntelHit[];
  model?: ScorePart | null;
  /** How many other rules matched the same event(s). */
  otherMatches?: number;
}

export interface Score {
  score: number;
  severity: Level;
  parts: ScorePart[];
}

/** Rule ids of alerts raised by indicators alone start with this. */
export const INDICATOR_RULE_PREFIX = 'intel:';

/**
 * An event no rule matched but that carries indicators still deserves an alert: its level follows
 * the most confident indicator (80+ high, 50+ medium, else low).
 */
export function indicatorMatch(eventId: string, hits: IntelHit[]): RuleMatch {
  const top = hits.reduce((a, b) => (b.indicator.confidence > a.indicator.confidence ? b : a));
  const c = top.indicator.confidence;
  return {
    ruleId: `${INDICATOR_RULE_PREFIX}${top.indicator.source}`,
    ruleTitle: `Threat-intel match: ${top.indicator.type} ${top.indicator.value}`,
    level: c >= 80 ? 'high' : c >= 50 ? 'medium' : 'low',
    tags: ['haechi.intel'],
    selections: [top.field],
    eventIds: [eventId],
  };
}

function rulePart(match: RuleMatch): ScorePart {
  if (match.ruleId.startsWith(INDICATOR_RULE_PREFIX)) {
    return {
      kind: 'intel',
      label: `Known indicator (${match.level} by confidence)`,
      points: LEVEL_BASE[match.level],
      detail: `no rule matched; the event carries ${match.ruleTitle.replace('Threat-intel match: ', '')}`,
    };
  }
  const selections = match.selections.length ? match.selections.join(', ') : 'condition';
  return {
    kind: 'rule',
    label: `Rule “${match.ruleTitle}” (${match.level})`,
    points: LEVEL_BASE[match.level],
    detail: `rule ${match.ruleId}; matched: ${selections}`,
  };
}

function intelParts(hits: IntelHit[]): ScorePart[] {
  const parts: ScorePart[] = [];
  let total = 0;
  const seen = new Set<string>();
  for (const hit of [...hits].sort((a, b) => b.indicator.confidence - a.indicator.confidence)) {
    const key = `${hit.indicator.type}:${hit.indicator.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const wanted = Math.round((INTEL_POINTS * clamp(hit.indicator.confidence, 0, 100)) / 100);
    const points = Math.min(wanted, INTEL_MAX - total);
    total += points;
    parts.push({
      kind: 'intel',
      label: `Indicator ${hit.indicator.value} (${hit.indicator.source})`,
      points,
      detail: `${hit.indicator.type} in ${hit.field}, confidence ${hit.indicator.confidence}`,
    });
  }
  return parts;
}

function correlationPart(match: RuleMatch): ScorePart | null {
  if (!match.correlation) return null;
  const c = match.correlation;
  return {
    kind: 'correlation',
    label: `Correlation ${c.type}: ${c.count} events`,
    points: CORRELATION_POINTS,
    detail: `grouped by ${c.groupKey}`,
  };
}

function contextPart(others: number): ScorePart | null {
  if (others <= 0) return null;
  return {
    kind: 'context',
    label: `${others} more rule${others === 1 ? '' : 's'} matched the same event`,
    points: Math.min(CONTEXT_MAX, others * CONTEXT_POINTS),
  };
}

/** Score one match. The parts' points add up to the score before it is held within 0..100. */
export function scoreMatch(input: ScoreInput): Score {
  const parts: ScorePart[] = [rulePart(input.match), ...intelParts(input.intel ?? [])];
  const correlation = correlationPart(input.match);
  if (correlation) parts.push(correlation);
  const context = contextPart(input.otherMatches ?? 0);
  if (context) parts.push(context);
  if (input.model) parts.push(input.model);
  const sum = parts.reduce((acc, p) => acc + p.points, 0);
  const score = clamp(Math.round(sum), 0, 100);
  return { score, severity: severityOf(score), parts };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
