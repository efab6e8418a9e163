import { describe, expect, it } from 'vitest';
import { scoreMatch, severityOf } from '../../src/main/engine/score';
import type { RuleMatch, ScorePart } from '../../src/shared/types';

const match: RuleMatch = {
  ruleId: 'r-1',
  ruleTitle: 'SQL Injection Attempt',
  level: 'high',
  tags: ['attack.t1190'],
  selections: ['selection_union', 'selection_probe'],
  eventIds: ['e1'],
};

const indicator = (value: string, confidence: number) => ({
  indicator: { type: 'ipv4' as const, value, source: 'blocklist.txt', confidence },
  field: 'source.ip',
});

describe('scoring', () => {
  it('starts from the rule level and names the rule and the selections that matched', () => {
    expect(scoreMatch({ match })).toEqual({
      score: 65,
      severity: 'high',
      parts: [
        {
          kind: 'rule',
          label: 'Rule “SQL Injection Attempt” (high)',
          points: 65,
          detail: 'rule r-1; matched: selection_union, selection_probe',
        },
      ],
    });
  });

  it('adds intel hits by confidence, once per indicator, at most 30 points together', () => {
    const s = scoreMatch({
      match,
      intel: [
        indicator('203.0.113.5', 80),
        indicator('203.0.113.9', 90),
        indicator('203.0.113.9', 90),
      ],
    });
    expect(s.parts.slice(1)).toEqual([
      {
        kind: 'intel',
        label: 'Indicator 203.0.113.9 (blocklist.txt)',
        points: 18,
        detail: 'ipv4 in source.ip, confidence 90',
      },
      {
        kind: 'intel',
        label: 'Indicator 203.0.113.5 (blocklist.txt)',
        points: 12,
        detail: 'ipv4 in source.ip, confidence 80',
      },
    ]);
    expect(s.score).toBe(95);
    expect(s.severity).toBe('critical');
  });

  it('adds a correlation, other rules on the same event and the model, in that order', () => {
    const model: ScorePart = {
      kind: 'model',
      label: 'Learned from analysts’ verdicts',
      points: -21,
    };
    const s = scoreMatch({
      match: {
        ...match,
        level: 'medium',
        correlation: { type: 'event_count', groupKey: 'c-ip=203.0.113.77', count: 10 },
      },
      otherMatches: 4,
      model,
    });
    expect(s.parts.map((p) => [p.kind, p.points])).toEqual([
      ['rule', 45],
      ['correlation', 10],
      ['context', 15],
      ['model', -21],
    ]);
    expect(s.parts[1].label).toBe('Correlation event_count: 10 events');
    expect(s.parts[2].label).toBe('4 more rules matched the same event');
    expect(s.score).toBe(49);
    expect(s.severity).toBe('medium');
  });

  it('holds the score within 0..100', () => {
    const low = scoreMatch({
      match: { ...match, level: 'informational' },
      model: { kind: 'model', label: 'm', points: -30 },
    });
    expect(low.score).toBe(0);
    expect(low.severity).toBe('informational');
    const high = scoreMatch({
      match: { ...match, level: 'critical' },
      intel: [indicator('198.51.100.1', 100)],
      otherMatches: 3,
    });
    expect(high.score).toBe(100);
  });

  it('maps scores to severity bands', () => {
    expect([0, 24, 25, 44, 45, 64, 65, 84, 85, 100].map(severityOf)).toEqual([
      'informational',
      'informational',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
  });
});
