// JSON records: Suricata EVE, Zeek JSON, ECS/winlogbeat, Windows event shapes and plain JSON.
// Original fields are flattened with dots (`http.hostname`), so rules see them by name.
import type { NormalizedFields } from '../../../shared/types';
import { isoTime, setAddress, toPort, type Parsed } from './common';
import { windowsEvent, windowsShape } from '../windows';

export type Obj = Record<string, unknown>;

export function flatten(obj: Obj, prefix = '', out: Obj = {}, depth = 0): Obj {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v) && depth < 8)
      flatten(v as Obj, key, out, depth + 1);
    else out[key] = v;
  }
  return out;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined;
}

function pickFirst(f: Obj, keys: string[]): unknown {
  for (const k of keys) if (f[k] !== undefined && f[k] !== null && f[k] !== '') return f[k];
  return undefined;
}

function suricata(f: Obj): Parsed {
  const norm: NormalizedFields = { 'event.dataset': `suricata.${String(f.event_type)}` };
  setAddress(norm, 'source', f.src_ip);
  setAddress(norm, 'destination', f.dest_ip);
  norm['source.port'] = toPort(f.src_port);
  norm['destination.port'] = toPort(f.dest_port);
  const host = str(f['http.hostname']);
  const url = str(f['http.url']);
  if (url) norm['url.original'] = host && url.startsWith('/') ? `http://${host}${url}` : url;
  norm['http.request.method'] = str(f['http.http_method']);
  norm['http.response.status_code'] = toPort(f['http.status']);
  norm['user_agent.original'] = str(f['http.http_user_agent']);
  norm['rule.name'] = str(f['alert.signature']);
  norm['network.transport'] = str(f.proto)?.toLowerCase();
  norm['dns.question.name'] = str(f['dns.rrname']);
  norm['tls.client.server_name'] = str(f['tls.sni']);
  norm['file.hash.md5'] = str(f['fileinfo.md5']);
  norm['file.hash.sha256'] = str(f['fileinfo.sha256']);
  return { fields: f, norm, time: isoTime(f.timestamp), format: 'suricata-eve' };
}

function zeek(f: Obj): Parsed {
  const norm: NormalizedFields = { 'event.dataset': `zeek.${str(f._path) ?? 'log'}` };
  setAddress(norm, 'source', f['id.orig_h']);
  setAddress(norm, 'destination', f['id.resp_h']);
  norm['source.port'] = toPort(f['id.orig_p']);
  norm['destination.port'] = toPort(f['id.resp_p']);
  const host = str(f.host);
  const uri = str(f.uri);
  if (uri) norm['url.original'] = host && uri.startsWith('/') ? `http://${host}${uri}` : uri;
  norm['http.request.method'] = str(f.method);
  norm['http.response.status_code'] = toPort(f.status_code);
  norm['user_agent.original'] = str(f.user_agent);
  norm['user.name'] = str(pickFirst(f, ['username', 'user']));
  norm['dns.question.name'] = str(f.query);
  norm['tls.client.server_name'] = str(f.server_name);
  norm['file.hash.md5'] = str(f.md5);
  norm['file.hash.sha1'] = str(f.sha1);
  norm['file.hash.sha256'] = str(f.sha256);
  return { fields: f, norm, time: isoTime(f.ts), format: 'zeek' };
}

// Common names for the normalized fields in ECS, Windows, and ad-hoc JSON logs.
const GENERIC: [string, string[]][] = [
  [
    'source.ip',
    [
      'source.ip',
      'src_ip',
      'srcip',
      'src',
      'client_ip',
      'clientip',
      'remote_addr',
      'SourceIp',
      'SourceAddress',
      'IpAddress',
      'client.ip',
    ],
  ],
  [
    'destination.ip',
    [
      'destination.ip',
      'dest_ip',
      'dst_ip',
      'dstip',
      'dst',
      'DestinationIp',
      'DestAddress',
      'server.ip',
    ],
  ],
  [
    'source.port',
    ['source.port', 'src_port', 'srcport', 'spt', 'SourcePort', 'IpPort', 'client.port'],
  ],
  [
    'destination.port',
    ['destination.port', 'dest_port', 'dst_port', 'dpt', 'DestinationPort', 'server.port'],
  ],
  [
    'user.name',
    [
      'user.name',
      'TargetUserName',
      'SubjectUserName',
      'User',
      'user',
      'username',
      'userName',
      'AccountName',
    ],
  ],
  [
    'host.name',
    ['host.name', 'Computer', 'Hostname', 'hostname', 'host', 'agent.hostname', 'ComputerName'],
  ],
  ['url.original', ['url.original', 'url.full', 'url', 'uri', 'request_uri', 'RequestUrl']],
  ['http.request.method', ['http.request.method', 'method', 'request_method', 'http_method']],
  [
    'http.response.status_code',
    ['http.response.status_code', 'status', 'status_code', 'response_code'],
  ],
  [
    'user_agent.original',
    ['user_agent.original', 'user_agent', 'http_user_agent', 'useragent', 'UserAgent'],
  ],
  ['process.executable', ['process.executable', 'Image', 'NewProcessName', 'ProcessName']],
  ['process.command_line', ['process.command_line', 'CommandLine', 'ProcessCommandLine']],
  ['process.parent.executable', ['process.parent.executable', 'ParentImage', 'ParentProcessName']],
  ['file.hash', ['Hashes', 'file.hash.sha256', 'sha256', 'md5', 'sha1']],
  ['dns.question.name', ['dns.question.name', 'QueryName', 'query']],
];
const TIME_KEYS = [
  '@timestamp',
  'timestamp',
  'time',
  'ts',
  'UtcTime',
  'TimeCreated',
  'System.TimeCreated.SystemTime',
  'TimeCreated.SystemTime',
  'EventTime',
  'date',
];

function generic(f: Obj, format: string): Parsed {
  const norm: NormalizedFields = {};
  for (const [target, keys] of GENERIC) {
    const v = pickFirst(f, keys);
    if (v === undefined || (typeof v === 'object' && v !== null)) continue;
    if (target === 'source.ip' || target === 'destination.ip')
      setAddress(norm, target.startsWith('source') ? 'source' : 'destination', String(v));
    else if (target.endsWith('.port') || target.endsWith('status_code')) norm[target] = toPort(v);
    else norm[target] = String(v);
  }
  const time = isoTime(pickFirst(f, TIME_KEYS));
  return { fields: f, norm, time, format };
}

/** A parsed JSON value → fields and norm, choosing the family by its keys. */
export function parseJsonObject(value: unknown): Parsed | string {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return 'json: record is not an object';
  const obj = value as Obj;
  const shape = windowsShape(obj);
  if (shape) {
    // Windows shapes (nested EVTX JSON, flat, winlogbeat) are flattened by windows.ts.
    const ev = windowsEvent(obj, shape, { source: '', raw: '', id: '' });
    const format = shape === 'winlogbeat' ? 'winlogbeat' : 'windows';
    return { fields: ev.fields, norm: ev.norm, time: ev.time, format };
  }
  const f = flatten(obj);
  if (typeof f.event_type === 'string' && ('src_ip' in f || 'flow_id' in f || 'timestamp' in f))
    return suricata(f);
  if ('id.orig_h' in f || ('_path' in f && 'ts' in f)) return zeek(f);
  return generic(f, 'json');
}

export function parseJsonLine(line: string): Parsed | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return `json: ${(err as Error).message}`;
  }
  return parseJsonObject(value);
}
