import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SegmentStore, Store } from '../../src/main/store';
import { CaseService, EventArchive } from '../../src/main/cases';
import type { Alert, HaechiEvent } from '../../src/shared/types';

const T0 = Date.parse('2026-12-03T09:00:00Z');
const MIN = 60_000;
let dir: string;
let segments: SegmentStore;
let cases: CaseService;
let n = 0;

function event(
  minute: number,
  norm: HaechiEvent['norm'],
  fields: Record<string, unknown> = {},
): HaechiEvent {
  n += 1;
  const time = new Date(T0 + minute * MIN).toISOString();
  return {
    id: `e${n}`,
    time,
    source: 'test',
    format: 'json',
    fields,
    norm,
    raw: '{}',
    receivedAt: T0,
  };
}

function alertFor(e: HaechiEvent, title = 'Rule A'): Alert {
  return {
    id: `a-${e.id}`,
    time: e.time,
    createdAt: T0,
    score: 65,
    severity: 'high',
    title,
    ruleId: 'rule-a',
    tags: [],
    parts: [],
    eventIds: [e.id],
    host: e.norm['host.name'],
    sourceIp: e.norm['source.ip'],
  };
}

function add(e: HaechiEvent, title?: string) {
  const archive = cases.evidence;
  archive.append([e]);
  return cases.addAlert(alertFor(e, title), [e]);
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haechi-cases-'));
  segments = new SegmentStore(dir);
  const store = await Store.memory();
  cases = new CaseService(store, new EventArchive(store, segments), {
    windowMs: 30 * MIN,
    now: () => T0,
  });
});

afterEach(() => {
  segments.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('case grouping', () => {
  it('puts alerts from one source address within the window into one case', () => {
    const a = add(event(0, { 'source.ip': '203.0.113.5', 'host.name': 'web01' }));
    const b = add(event(20, { 'source.ip': '203.0.113.5', 'host.name': 'web02' }), 'Rule B');
    expect(a?.id).toBe('C-1');
    expect(b?.id).toBe('C-1');
    expect(b?.groupKey).toBe('ip:203.0.113.5');
    expect(b?.alertIds).toEqual([a?.alertIds[0], `a-e${n}`]);
    expect(b?.observables).toEqual([
      { type: 'ip', value: '203.0.113.5' },
      { type: 'host', value: 'web01' },
      { type: 'host', value: 'web02' },
    ]);
  });

  it('opens a second case when the next alert falls outside the window', () => {
    add(event(0, { 'source.ip': '203.0.113.5' }));
    const late = add(event(31, { 'source.ip': '203.0.113.5' }));
    expect(late?.id).toBe('C-2');
    expect(cases.listCases({ limit: 10 }).map((c) => [c.id, c.alertIds.length])).toEqual([
      ['C-2', 1],
      ['C-1', 1],
    ]);
  });

  it('widens a case as alerts keep coming, so a steady stream stays one case', () => {
    for (const minute of [0, 25, 50, 75]) add(event(minute, { 'source.ip': '198.51.100.7' }));
    expect(cases.countCases()).toBe(1);
    expect(cases.getCase('C-1')?.alertIds).toHaveLength(4);
  });

  it('groups by host when there is no useful source address', () => {
    const a = add(event(0, { 'host.name': 'WORKSTATION5', 'source.ip': '127.0.0.1' }));
    const b = add(event(10, { 'host.name': 'WORKSTATION5' }));
    const other = add(event(10, { 'host.name': 'WORKSTATION6' }));
    expect([a?.id, b?.id, other?.id]).toEqual(['C-1', 'C-1', 'C-2']);
    expect(a?.groupKey).toBe('host:WORKSTATION5');
  });

  it('does not add to a closed case', () => {
    add(event(0, { 'source.ip': '203.0.113.5' }));
    cases.updateCase({ id: 'C-1', status: 'closed', verdict: 'true-positive' });
    expect(add(event(5, { 'source.ip': '203.0.113.5' }))?.id).toBe('C-2');
  });

  it('keeps the highest severity and score, and lists by status and severity', () => {
    add(event(0, { 'source.ip': '203.0.113.5' }));
    const e = event(1, { 'source.ip': '203.0.113.5' });
    cases.evidence.append([e]);
    cases.addAlert({ ...alertFor(e), score: 90, severity: 'critical' }, [e]);
    add(event(2, { 'source.ip': '198.51.100.1' }));
    expect(cases.getCase('C-1')).toMatchObject({ severity: 'critical', score: 90, status: 'open' });
    cases.updateCase({ id: 'C-2', status: 'in-progress', assignee: 'kim' });
    expect(cases.listCases({ severity: 'critical', limit: 10 }).map((c) => c.id)).toEqual(['C-1']);
    expect(cases.listCases({ status: 'in-progress', limit: 10 }).map((c) => c.id)).toEqual(['C-2']);
    expect(cases.listCases({ status: 'closed', limit: 10 })).toEqual([]);
  });

  it('shows alerts, raw events, notes and a timeline in a case', () => {
    const e = event(
      0,
      { 'source.ip': '203.0.113.5', 'url.original': 'http://evil.example/x' },
      { Hashes: 'MD5=F68AF942FD7CCC0E7BAB1A2335D2AD26,IMPHASH=00' },
    );
    add(e);
    cases.addNote('C-1', 'Checked the firewall: blocked upstream.', 'lee');
    cases.updateCase({ id: 'C-1', status: 'in-progress' }, 'lee');
    const d = cases.getDetail('C-1');
    expect(d?.alerts.map((a) => a.id)).toEqual([`a-${e.id}`]);
    expect(d?.events.map((x) => [x.id, x.fields.Hashes])).toEqual([[e.id, e.fields.Hashes]]);
    expect(d?.notes.map((x) => [x.author, x.text])).toEqual([
      ['lee', 'Checked the firewall: blocked upstream.'],
    ]);
    expect(d?.timeline.map((t) => [t.kind, t.text, t.actor])).toEqual([
      ['created', 'case opened for ip 203.0.113.5', 'engine'],
      ['alert', 'Rule A (score 65)', 'engine'],
      ['note', 'Checked the firewall: blocked upstream.', 'lee'],
      ['status', 'status open → in-progress', 'lee'],
    ]);
    expect(d?.case.observables).toEqual([
      { type: 'ip', value: '203.0.113.5' },
      { type: 'url', value: 'http://evil.example/x' },
      { type: 'domain', value: 'evil.example' },
      { type: 'hash', value: 'f68af942fd7ccc0e7bab1a2335d2ad26' },
    ]);
  });

  it('refuses edits to a case that does not exist, naming it', () => {
    expect(() => cases.addNote('C-404', 'x')).toThrow('case C-404 not found');
    expect(() => cases.updateCase({ id: 'C-404', status: 'closed' })).toThrow(
      'case C-404 not found',
    );
  });
});
