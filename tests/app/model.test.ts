import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { callApi, createHandlers } from '../../src/main/api';
import { DemoGenerator } from '../../src/main/demo';
import { reopen, tempContext } from './helpers';
import type { Alert } from '../../src/shared/types';

const SQLI = '7250dc9e-38da-4df8-93ef-146a397bc051';
const T0 = Date.parse('2026-12-03T09:00:00Z');

/** The first line of a fresh demo generator is a SQL injection from 203.0.113.45. */
function sqliEvent(offsetMs: number) {
  const batch = new DemoGenerator(1, 3_600_000).batch(1, T0 + offsetMs);
  expect(batch.kinds).toEqual(['sqli']);
  return batch.events;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('the verdict model', () => {
  it('lowers the next score after a false positive and raises it after a true positive', async () => {
    const ctx = await tempContext();
    dirs.push(ctx.dataDir);
    const api = createHandlers(ctx);

    const [first] = ctx.pipeline.ingest(sqliEvent(0)).alerts;
    expect(first.ruleId).toBe(SQLI);
    expect(first.score).toBe(65);
    expect(first.parts.map((p) => p.kind)).toEqual(['rule']);

    const judged = (await callApi(api, 'setVerdict', {
      alertId: first.id,
      verdict: 'false-positive',
    })) as Alert;
    expect(judged.verdict).toBe('false-positive');

    const [second] = ctx.pipeline.ingest(sqliEvent(1000)).alerts;
    const model = second.parts.find((p) => p.kind === 'model');
    expect(model).toEqual({
      kind: 'model',
      label: 'Learned from analysts’ verdicts',
      points: -21,
      detail: [
        `rule:${SQLI} 0 TP / 1 FP (-6.9)`,
        'tag:attack.initial-access 0 TP / 1 FP (-1.7)',
        'tag:attack.t1190 0 TP / 1 FP (-1.7)',
        'net:203.0.113.0/24 0 TP / 1 FP (-6.9)',
        'host:portal.city.example 0 TP / 1 FP (-3.5)',
      ].join('; '),
    });
    expect(second.score).toBe(44);
    expect(second.severity).toBe('low');

    // The analyst changes their mind: the false positive is taken back, the true positive counts.
    await callApi(api, 'setVerdict', { alertId: first.id, verdict: 'true-positive' });
    const [third] = ctx.pipeline.ingest(sqliEvent(2000)).alerts;
    expect(third.parts.find((p) => p.kind === 'model')?.points).toBe(21);
    expect(third.score).toBe(86);
    expect(third.severity).toBe('critical');
    expect(ctx.model.countsOf(`rule:${SQLI}`)).toEqual({ tp: 1, fp: 0 });

    // All three joined one case (same source address, within the window); the verdicts are on
    // its timeline.
    expect(new Set([first, second, third].map((a) => a.caseId))).toEqual(new Set(['C-1']));
    const detail = await callApi(api, 'getCase', { id: 'C-1' });
    const verdicts = (detail as { timeline: { kind: string; text: string }[] }).timeline.filter(
      (t) => t.kind === 'verdict',
    );
    expect(verdicts.map((t) => t.text)).toEqual([
      `alert ${first.id}: false-positive`,
      `alert ${first.id}: true-positive`,
    ]);

    // What it learned survives a restart.
    await ctx.response.idle();
    await ctx.close();
    const again = await reopen(ctx.dataDir);
    const [fourth] = again.pipeline.ingest(sqliEvent(3000)).alerts;
    expect(fourth.score).toBe(86);
    await again.close();
  });

  it('counts a benign verdict as half a false positive', async () => {
    const ctx = await tempContext();
    dirs.push(ctx.dataDir);
    const [first] = ctx.pipeline.ingest(sqliEvent(0)).alerts;
    await callApi(createHandlers(ctx), 'setVerdict', { alertId: first.id, verdict: 'benign' });
    const [next] = ctx.pipeline.ingest(sqliEvent(1000)).alerts;
    // 3.0 weighted features × ln(1 / 1.5) × 10 = -12.2
    expect(next.parts.find((p) => p.kind === 'model')?.points).toBe(-12);
    expect(next.score).toBe(53);
    await ctx.cleanup();
  });

  it('leaves other rules from other networks alone except for what they share (the host)', async () => {
    const ctx = await tempContext();
    dirs.push(ctx.dataDir);
    const [first] = ctx.pipeline.ingest(sqliEvent(0)).alerts;
    await callApi(createHandlers(ctx), 'setVerdict', {
      alertId: first.id,
      verdict: 'true-positive',
    });
    // Episodes rotate sqli → traversal: the second line of this generator is a path traversal.
    const gen = new DemoGenerator(1, 10);
    gen.batch(1, T0);
    const traversal = gen.batch(1, T0 + 20);
    expect(traversal.kinds).toEqual(['traversal']);
    const [alert] = ctx.pipeline.ingest(traversal.events).alerts;
    expect(alert.parts.find((p) => p.kind === 'model')).toEqual({
      kind: 'model',
      label: 'Learned from analysts’ verdicts',
      points: 7,
      detail:
        'tag:attack.initial-access 1 TP / 0 FP (+1.7); tag:attack.t1190 1 TP / 0 FP (+1.7); host:portal.city.example 1 TP / 0 FP (+3.5)',
    });
    expect(alert.score).toBe(72);
    await ctx.cleanup();
  });
});
