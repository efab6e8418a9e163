// Windows event shapes, flattened so Sigma field names (EventID, Channel, Image, CommandLine…)
// resolve: the nested `Event.System` / `Event.EventData` shape (EVTX converted to JSON), the flat
// Mordor / Security-Datasets shape, and winlogbeat's `winlog.*`.
import { randomUUID } from 'node:crypto';
import type { HaechiEvent, NormalizedFields } from '../../shared/types';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Text of an XML-ish JSON node: a scalar, or `#text` of an object. */
function textOf(v: unknown): unknown {
  if (isObj(v) && '#text' in v) return v['#text'];
  return v;
}

function attrs(v: unknown): Obj {
  return isObj(v) && isObj(v['#attributes']) ? v['#attributes'] : {};
}

export type WindowsShape = 'nested' | 'flat' | 'winlogbeat';

/** Which Windows shape a parsed JSON record has, or null when it is not a Windows event. */
export function windowsShape(rec: unknown): WindowsShape | null {
  if (!isObj(rec)) return null;
  if (isObj(rec.Event) && isObj(rec.Event.System)) return 'nested';
  if (isObj(rec.winlog) && (rec.winlog.event_id !== undefined || isObj(rec.winlog.event_data)))
    return 'winlogbeat';
  if (
    rec.EventID !== undefined &&
    (typeof rec.Channel === 'string' || typeof rec.SourceName === 'string')
  )
    return 'flat';
  return null;
}

/** EventData / UserData: named values, `Data` arrays of {Name, #text}, nested user data. */
function flattenData(data: unknown, out: Obj, prefix = ''): void {
  if (!isObj(data)) return;
  for (const [k, v] of Object.entries(data)) {
    if (k === '#attributes') continue;
    if (k === 'Data' && Array.isArray(v)) {
      v.forEach((d, i) => {
        const name = attrs(d).Name ?? (isObj(d) ? d.Name : undefined);
        if (typeof name === 'string') out[name] = textOf(d);
        else out[`Data${i + 1}`] = textOf(d);
      });
      continue;
    }
    const val = textOf(v);
    if (isObj(val)) flattenData(val, out, `${prefix}${k}.`);
    else {
      out[`${prefix}${k}`] = val;
      if (prefix && out[k] === undefined) out[k] = val;
      // Defender and others name data "Threat Name"; Sigma rules write ThreatName.
      const bare = k.replace(/ /g, '');
      if (bare !== k && out[bare] === undefined) out[bare] = val;
    }
  }
}

function flattenNested(rec: Obj): Obj {
  const ev = rec.Event as Obj;
  const sys = ev.System as Obj;
  const f: Obj = {};
  for (const [k, v] of Object.entries(sys)) {
    const a = attrs(v);
    const t = textOf(v);
    if (!isObj(t) && t !== null) f[k] = t;
    for (const [ak, av] of Object.entries(a)) f[`${k}_${ak}`] = av;
  }
  if (f.EventID === undefined) f.EventID = textOf(sys.EventID);
  if (typeof f.EventID === 'string' && /^\d+$/.test(f.EventID)) f.EventID = Number(f.EventID);
  f.Provider_Name ??= attrs(sys.Provider).Name;
  flattenData(ev.EventData, f);
  flattenData(ev.UserData, f);
  return f;
}

function flattenWinlogbeat(rec: Obj): Obj {
  const f: Obj = {};
  flattenJson(rec, '', f);
  const w = rec.winlog as Obj;
  if (isObj(w.event_data)) for (const [k, v] of Object.entries(w.event_data)) f[k] ??= v;
  if (isObj(w.user_data)) flattenData(w.user_data, f);
  f.EventID ??=
    typeof w.event_id === 'string' && /^\d+$/.test(w.event_id) ? Number(w.event_id) : w.event_id;
  f.Channel ??= w.channel;
  f.Provider_Name ??= w.provider_name;
  f.Computer ??= w.computer_name;
  return f;
}

/** The flat shape is used as it is (no copy); nested values also get dotted names. */
function flattenFlat(rec: Obj): Obj {
  for (const k in rec) {
    const v = rec[k];
    if (isObj(v)) flattenJson(v, k, rec);
  }
  rec.Provider_Name ??= rec.SourceName;
  rec.Computer ??= rec.Hostname;
  return rec;
}

/** Generic JSON flatten: nested objects become dotted names; top-level objects stay too. */
export function flattenJson(v: unknown, prefix: string, out: Obj, depth = 0): void {
  if (!isObj(v) || depth > 16) {
    if (prefix) out[prefix] = v;
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (isObj(x)) {
      if (!prefix) out[name] = x;
      flattenJson(x, name, out, depth + 1);
    } else out[name] = x;
  }
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null || typeof v === 'object' ? undefined : String(v);
}

/** A value as text unless it is absent, empty or "-". */
function text(v: unknown): string | undefined {
  const s = str(v);
  return s !== undefined && s !== '' && s !== '-' ? s : undefined;
}

/** Sets n[k] to the first of up to three values that has text (none: leaves n[k] unset). */
function setText(n: NormalizedFields, k: string, a: unknown, b?: unknown, c?: unknown): void {
  const s = text(a) ?? text(b) ?? text(c);
  if (s !== undefined) n[k] = s;
}

/** ECS names for the fields other parts of Haechi read (host, user, process, addresses). */
export function windowsNorm(f: Obj, time: string): NormalizedFields {
  const n: NormalizedFields = { '@timestamp': time, 'event.dataset': 'windows' };
  // No closure or argument list per call: this runs for every Windows event.
  setText(n, 'host.name', f.Computer, f.Hostname);
  setText(n, 'user.name', f.User, f.TargetUserName, f.SubjectUserName);
  setText(n, 'process.executable', f.Image, f.NewProcessName, f.ProcessName);
  setText(n, 'process.command_line', f.CommandLine);
  setText(n, 'source.ip', f.SourceIp, f.IpAddress, f.SourceAddress);
  setText(n, 'destination.ip', f.DestinationIp, f.DestAddress);
  const sp = Number(f.SourcePort ?? f.IpPort);
  if (Number.isFinite(sp) && sp > 0) n['source.port'] = sp;
  const dp = Number(f.DestinationPort ?? f.DestPort);
  if (Number.isFinite(dp) && dp > 0) n['destination.port'] = dp;
  n['event.code'] = str(f.EventID);
  return n;
}

const TIME_FIELDS = ['TimeCreated_SystemTime', '@timestamp', 'TimeCreated', 'UtcTime', 'EventTime'];

/** YYYY-MM-DDTHH:MM:SS.mmmZ: a 0 stands for any digit, other characters for themselves. */
const ISO_MILLIS_Z = '0000-00-00T00:00:00.000Z';

/** True for exactly that form (checked by character, without a regex: this runs per event). */
function isIsoMillisZ(c: string): boolean {
  if (c.length !== 24) return false;
  for (let i = 0; i < 24; i++) {
    const p = ISO_MILLIS_Z.charCodeAt(i);
    const ch = c.charCodeAt(i);
    if (p === 48 ? ch < 48 || ch > 57 : ch !== p) return false;
  }
  return true;
}

function eventTime(f: Obj, fallback: number): string {
  for (const k of TIME_FIELDS) {
    const c = f[k];
    if (typeof c !== 'string') continue;
    if (isIsoMillisZ(c) && !Number.isNaN(Date.parse(c))) return c;
    const iso = /^\d{4}-\d\d-\d\d \d/.test(c)
      ? c.replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(c) ? '' : 'Z')
      : c;
    const t = Date.parse(iso);
    if (!Number.isNaN(t)) return new Date(t).toISOString();
  }
  return new Date(fallback).toISOString();
}

export interface ToEventOptions {
  source: string;
  raw: string;
  position?: HaechiEvent['position'];
  receivedAt?: number;
  id?: string;
}

/** Builds a HaechiEvent from a parsed Windows record (any of the three shapes). */
export function windowsEvent(rec: unknown, shape: WindowsShape, opts: ToEventOptions): HaechiEvent {
  const o = rec as Obj;
  const fields =
    shape === 'nested'
      ? flattenNested(o)
      : shape === 'winlogbeat'
        ? flattenWinlogbeat(o)
        : flattenFlat(o);
  const receivedAt = opts.receivedAt ?? Date.now();
  const time = eventTime(fields, receivedAt);
  return {
    id: opts.id ?? randomUUID(),
    time,
    source: opts.source,
    format: 'windows',
    fields,
    norm: windowsNorm(fields, time),
    raw: opts.raw,
    position: opts.position,
    receivedAt,
  };
}
