// Syslog: RFC 5424 (structured data) and RFC 3164 (BSD) after a <PRI>, with CEF payloads.
import type { NormalizedFields } from '../../../shared/types';
import { isoTime, setAddress, toPort, type Parsed } from './common';
import { extractService } from './services';
import { dropEmpty, parseText } from './text';

const FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'solaris-cron',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
];
const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

const RFC5424 = /^1 (\S+) (\S+) (\S+) (\S+) (\S+) /;

/** A syslog line starting with `<PRI>`; a reason string when it is malformed. */
export function parseSyslog(line: string, year: number): Parsed | string {
  const close = line.indexOf('>');
  const pri = Number(line.slice(1, close));
  if (close < 2 || close > 4 || !Number.isInteger(pri) || pri > 191) {
    return `syslog: invalid PRI "${line.slice(0, Math.min(close + 1, 6))}" at column 1`;
  }
  const body = line.slice(close + 1);
  const base = { facility: FACILITIES[pri >> 3], severity: SEVERITIES[pri & 7], pri };
  const parsed = RFC5424.test(body) ? parse5424(body) : parse3164(body, year);
  if (typeof parsed === 'string') return parsed;
  // A CEF payload keeps its own severity; the syslog header's goes under syslog.* then.
  for (const [k, v] of Object.entries(base)) {
    if (parsed.fields[k] === undefined) parsed.fields[k] = v;
    else parsed.fields[`syslog.${k}`] = v;
  }
  parsed.norm['log.syslog.facility.name'] = base.facility;
  parsed.norm['log.syslog.severity.name'] = base.severity;
  return parsed;
}

function parse5424(body: string): Parsed | string {
  const m = RFC5424.exec(body)!;
  const [, ts, host, app, procid, msgid] = m;
  let rest = body.slice(m[0].length);
  const sd = readStructuredData(rest);
  if (typeof sd === 'string') return sd;
  rest = rest
    .slice(sd.length)
    .replace(/^ /, '')
    .replace(/^\uFEFF/, '');
  const fields: Record<string, unknown> = {
    hostname: nil(host),
    program: nil(app),
    pid: nil(procid),
    msgid: nil(msgid),
    message: rest,
    ...sd.params,
  };
  const time = ts === '-' ? undefined : isoTime(ts);
  if (ts !== '-' && !time) return `syslog: invalid RFC 5424 timestamp "${ts.slice(0, 40)}"`;
  return finish(fields, rest, time, 'syslog');
}

function nil(v: string): string | undefined {
  return v === '-' ? undefined : v;
}

/** RFC 5424 STRUCTURED-DATA: "-" or one or more [id k="v" ...] elements. */
function readStructuredData(
  s: string,
): { length: number; params: Record<string, string> } | string {
  if (s.startsWith('-')) return { length: 1, params: {} };
  const params: Record<string, string> = {};
  let i = 0;
  while (s[i] === '[') {
    const end = sdElementEnd(s, i);
    if (end < 0) return `syslog: unterminated structured data at column ${i + 1}`;
    const elem = s.slice(i + 1, end);
    const id = elem.split(' ', 1)[0];
    const re = /(\S+?)="((?:[^"\\]|\\.)*)"/g;
    for (let m = re.exec(elem); m; m = re.exec(elem)) {
      params[`${id}.${m[1]}`] = m[2].replace(/\\(["\\\]])/g, '$1');
    }
    i = end + 1;
  }
  if (i === 0) return 'syslog: structured data must be "-" or start with "["';
  return { length: i, params };
}

function sdElementEnd(s: string, from: number): number {
  let quoted = false;
  for (let i = from + 1; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ']' && !quoted) return i;
  }
  return -1;
}

function parse3164(body: string, year: number): Parsed | string {
  const text = parseText(body, { year, lenient: true });
  if (!text) return 'syslog: no RFC 3164 header after PRI';
  let msg = String(text.fields.message ?? '');
  if (text.time && text.fields.hostname === undefined && text.fields.program === undefined) {
    // RFC 3164 4.1.3: any non-alphanumeric character ends the TAG, so "HOST TAG MSG" is valid.
    const m = /^(\S+) ([\w./-]{1,32})(?:\[(\d+)\])?:? ([\s\S]*)$/.exec(msg);
    if (m && !m[4].startsWith('CEF:') && m[2] !== 'CEF') {
      const again = parseText(m[4], { year, lenient: true })!;
      Object.assign(text.norm, again.norm, { 'host.name': m[1] });
      text.norm['event.dataset'] = again.norm['event.dataset'] ?? m[2];
      Object.assign(text.fields, { hostname: m[1], program: m[2], pid: m[3], message: m[4] });
      if (m[3] === undefined) delete text.fields.pid;
      msg = m[4];
    }
  }
  const cef = msg.indexOf('CEF:');
  if (cef < 0) {
    text.format = 'syslog';
    return text;
  }
  // "HOST CEF:0|…": the CEF header leaves no "TAG: " for the 3164 header to find the host by.
  const host = text.fields.hostname ?? /^(\S+) CEF:/.exec(msg)?.[1];
  const parsed = parseCef(msg.slice(cef));
  if (typeof parsed === 'string') return parsed;
  parsed.fields.hostname = host;
  if (text.fields.program !== undefined) parsed.fields.program = text.fields.program;
  parsed.time ??= text.time;
  if (typeof host === 'string' && !parsed.norm['host.name']) parsed.norm['host.name'] = host;
  return parsed;
}

function finish(
  fields: Record<string, unknown>,
  msg: string,
  time: string | undefined,
  format: string,
): Parsed {
  const cef = msg.indexOf('CEF:');
  if (cef >= 0) {
    const parsed = parseCef(msg.slice(cef));
    if (typeof parsed !== 'string') {
      Object.assign(parsed.fields, { hostname: fields.hostname, program: fields.program });
      parsed.time ??= time;
      if (fields.hostname && !parsed.norm['host.name'])
        parsed.norm['host.name'] = fields.hostname as string;
      return parsed;
    }
  }
  const norm: NormalizedFields = {};
  if (typeof fields.hostname === 'string') norm['host.name'] = fields.hostname;
  extractService(msg, norm);
  if (!norm['event.dataset'] && typeof fields.program === 'string')
    norm['event.dataset'] = fields.program;
  return { fields: dropEmpty(fields), norm, time, format };
}

// CEF extension keys that map onto the normalized fields.
const CEF_NORM: Record<string, string> = {
  src: 'source.ip',
  spt: 'source.port',
  dst: 'destination.ip',
  dpt: 'destination.port',
  suser: 'user.name',
  duser: 'user.target.name',
  shost: 'source.domain',
  dhost: 'host.name',
  request: 'url.original',
  requestMethod: 'http.request.method',
  requestClientApplication: 'user_agent.original',
  sproc: 'process.name',
  dproc: 'process.name',
  fname: 'file.name',
  fileHash: 'file.hash',
  act: 'event.action',
  app: 'network.protocol',
  proto: 'network.transport',
};

/** "CEF:Version|Vendor|Product|Version|SignatureID|Name|Severity|Extension". */
export function parseCef(text: string): Parsed | string {
  const header: string[] = [];
  let cur = '';
  let i = 4;
  for (; i < text.length && header.length < 7; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) cur += text[++i];
    else if (c === '|') {
      header.push(cur);
      cur = '';
    } else cur += c;
  }
  if (header.length < 7)
    return `cef: header has ${header.length + 1} of 8 fields (column ${i + 1})`;
  const [version, vendor, product, devVersion, signatureId, name, severity] = header;
  const ext = parseCefExtension(text.slice(i));
  const fields: Record<string, unknown> = {
    cefVersion: version,
    deviceVendor: vendor,
    deviceProduct: product,
    deviceVersion: devVersion,
    signatureId,
    name,
    severity,
    ...ext,
  };
  const norm: NormalizedFields = { 'event.dataset': 'cef', 'rule.name': name };
  for (const [k, v] of Object.entries(ext)) {
    const target = CEF_NORM[k];
    if (!target) continue;
    if (target === 'source.ip' || target === 'destination.ip')
      setAddress(norm, target.startsWith('source') ? 'source' : 'destination', v);
    else if (target.endsWith('.port')) norm[target] = toPort(v);
    else norm[target] = v;
  }
  const time = ext.rt
    ? /^\d{12,13}$/.test(ext.rt)
      ? new Date(Number(ext.rt)).toISOString()
      : isoTime(ext.rt)
    : undefined;
  return { fields, norm, time, format: 'cef' };
}

/** key=value pairs where values may contain spaces; "\=" and "\\" are escapes. */
function parseCefExtension(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const keyRe = /(?:^|\s)([\w.[\]-]+)=/g;
  const keys: { key: string; start: number; valueStart: number }[] = [];
  for (let m = keyRe.exec(s); m; m = keyRe.exec(s)) {
    if (m.index > 0 && s[m.index] !== ' ' && s[m.index - 1] === '\\') continue;
    keys.push({ key: m[1], start: m.index, valueStart: m.index + m[0].length });
  }
  keys.forEach((k, idx) => {
    const end = idx + 1 < keys.length ? keys[idx + 1].start : s.length;
    out[k.key] = s
      .slice(k.valueStart, end)
      .trim()
      .replace(/\\([=\\|])/g, '$1')
      .replace(/\\n/g, '\n');
  });
  return out;
}
