// Windows event shapes and event files: flattening so Sigma field names resolve, per-record errors.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEventText, skipReason } from '../../../src/main/feed/eventfile';
import { windowsEvent, windowsShape } from '../../../src/main/feed/windows';
import { DATA, hasData } from './helpers';

const FIX = join(import.meta.dirname, '../../fixtures/sigma/events');

describe('Windows event shapes', () => {
  it('flattens the nested Event.System / Event.EventData shape', () => {
    const rec = {
      Event: {
        System: {
          Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon', Guid: '{5770}' } },
          EventID: { '#text': '1', '#attributes': { Qualifiers: '0' } },
          TimeCreated: { '#attributes': { SystemTime: '2025-01-02T03:04:05.678901Z' } },
          Channel: 'Microsoft-Windows-Sysmon/Operational',
          Computer: 'ws1',
        },
        EventData: {
          Data: [
            { '#attributes': { Name: 'Image' }, '#text': 'C:\\Windows\\System32\\cmd.exe' },
            { '#attributes': { Name: 'CommandLine' }, '#text': 'cmd /c whoami' },
          ],
        },
      },
    };
    expect(windowsShape(rec)).toBe('nested');
    const ev = windowsEvent(rec, 'nested', { source: 's', raw: '{}' });
    expect(ev.fields).toMatchObject({
      EventID: 1,
      EventID_Qualifiers: '0',
      Provider_Name: 'Microsoft-Windows-Sysmon',
      Provider_Guid: '{5770}',
      TimeCreated_SystemTime: '2025-01-02T03:04:05.678901Z',
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Computer: 'ws1',
      Image: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: 'cmd /c whoami',
    });
    expect(ev.time).toBe('2025-01-02T03:04:05.678Z');
    expect(ev.format).toBe('windows');
    expect(ev.norm).toMatchObject({
      'host.name': 'ws1',
      'process.executable': 'C:\\Windows\\System32\\cmd.exe',
      'process.command_line': 'cmd /c whoami',
    });
  });

  it('gives EventData names with spaces their Sigma form too', () => {
    const rec = {
      Event: { System: { EventID: 1119, Channel: 'x' }, EventData: { 'Threat Name': 'EICAR' } },
    };
    expect(windowsEvent(rec, 'nested', { source: 's', raw: '' }).fields).toMatchObject({
      'Threat Name': 'EICAR',
      ThreatName: 'EICAR',
    });
  });

  it('reads the flat Security-Datasets shape and the winlogbeat shape from event files', () => {
    const flat = [
      ...readEventText(readFileSync(join(FIX, 'sysmon.ndjson'), 'utf8'), { file: 'sysmon.ndjson' }),
    ];
    expect(flat.map((r) => r.record)).toEqual([1, 2, 3]);
    expect(flat[0].event?.fields).toMatchObject({
      EventID: 1,
      Provider_Name: 'Microsoft-Windows-Sysmon',
      Computer: 'WS1',
    });
    expect(flat[0].event?.norm).toMatchObject({ 'user.name': 'CORP\\alice', 'host.name': 'WS1' });
    expect(flat[0].event?.position).toEqual({ file: 'sysmon.ndjson', record: 1 });
    const line2 = readFileSync(join(FIX, 'sysmon.ndjson'), 'utf8').split('\n')[1];
    expect(flat[1].error).toBe(
      `record 2: Unexpected token "o" at line 2, column ${line2.indexOf('oops') + 1}`,
    );
    expect(flat[2].event?.fields.Image).toBe('C:\\Windows\\notepad.exe');

    const [beat] = [
      ...readEventText(readFileSync(join(FIX, 'winlogbeat.json'), 'utf8'), { file: 'w.json' }),
    ];
    expect(beat.event?.fields).toMatchObject({
      EventID: 4688,
      Channel: 'Security',
      Computer: 'ws2.corp.local',
      NewProcessName: 'C:\\Windows\\System32\\whoami.exe',
      'winlog.event_data.CommandLine': 'whoami',
      CommandLine: 'whoami',
    });
  });

  it('reads pretty-printed objects one after another, and generic JSON with dotted names', () => {
    const text = '{\n  "a": {"b": 1}\n}\n{\n  "a": {"b": 2},\n  "c": [1]\n}\n{\n  "bad": \n}\n';
    const recs = [...readEventText(text, { file: 'x.json' })];
    expect(recs.map((r) => r.record)).toEqual([1, 2, 3]);
    expect(recs[0].event?.fields).toMatchObject({ 'a.b': 1 });
    expect(recs[1].event?.fields).toMatchObject({ 'a.b': 2, c: [1] });
    expect(recs[1].event?.format).toBe('json');
    expect(recs[2].error).toBe('record 3: Unexpected token "}" at line 10, column 1');
  });

  it('reads a JSON array as one record per element', () => {
    const recs = [...readEventText('[{"a":1}, 5, {"a":2}]', { file: 'x.json' })];
    expect(recs.map((r) => r.error ?? r.event?.fields.a)).toEqual([
      1,
      'record 2: expected a JSON object, got number',
      2,
    ]);
  });

  it('names why a file is skipped', () => {
    expect(skipReason('a.evtx')).toBe(
      'binary EVTX is not read; convert it to JSON first (e.g. evtx_dump -o json)',
    );
    expect(skipReason('info.yml')).toBe('YAML metadata, not events');
    expect(skipReason('a.ndjson')).toBeNull();
  });
});

describe.skipIf(!hasData)('Windows shapes in ../shared/data (skipped when absent)', () => {
  it('flattens every sigma_regression event so EventID, Channel and Provider_Name resolve', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith('.json') && e.name !== 'expected_matches.json')
          files.push(join(d, e.name));
      }
    };
    walk(join(DATA, 'sigma_regression'));
    let events = 0;
    for (const f of files) {
      for (const r of readEventText(readFileSync(f, 'utf8'), { file: f })) {
        expect(r.error).toBeUndefined();
        expect(r.event?.format).toBe('windows');
        expect(typeof r.event?.fields.EventID).toBe('number');
        expect(typeof r.event?.fields.Channel).toBe('string');
        expect(typeof r.event?.fields.Provider_Name).toBe('string');
        events++;
      }
    }
    expect(files.length).toBe(172);
    expect(events).toBe(207);
  });
});
