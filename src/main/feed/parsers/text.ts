// Plain-text service logs: web access logs (combined/common), Apache and nginx error logs, and
// syslog-style files without a PRI (/var/log/auth.log, mail.log, dovecot, MySQL, Roundcube, …).
import type { NormalizedFields } from '../../../shared/types';
import { cleanIp, isoFrom, monthIndex, setAddress, toPort, type Parsed } from './common';
import { extractService } from './services';
import { stripStamp } from './timestamps';

// host ident user [time] "request" status bytes ["referer" "agent"] — optionally a vhost first.
const ACCESS =
  /^(?:(\S+) )?(\S+) (\S+) (\S+) \[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ?([+-]\d{4})?\] (?:(\S+) )?"((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?/;

const REQUEST = /^([A-Z][A-Z_-]{1,19}) (.+?)(?: (HTTP\/\d(?:\.\d)?|RTSP\/\d\.\d))?$/;

export function parseAccess(line: string): Parsed | undefined {
  const m = ACCESS.exec(line);
  if (!m) return undefined;
  let [vhost, client] = [m[1], m[2]];
  // "vhost client - -" and "client - - -" share one shape: the address is whichever is an IP.
  if (vhost && !cleanIp(client) && cleanIp(vhost)) [vhost, client] = [m[12], vhost];
  const time = isoFrom(
    Number(m[7]),
    monthIndex(m[6]) ?? -1,
    Number(m[5]),
    Number(m[8]),
    Number(m[9]),
    Number(m[10]),
    '',
    m[11] ?? 'Z',
  );
  const fields: Record<string, unknown> = {
    client,
    ident: m[3],
    user: m[4],
    request: unescape(m[13]),
    status: m[14],
    bytes: m[15],
  };
  if (vhost) fields.vhost = vhost;
  if (m[16] !== undefined)
    Object.assign(fields, { referer: unescape(m[16]), user_agent: unescape(m[17]) });
  const norm: NormalizedFields = { 'event.dataset': 'access' };
  setAddress(norm, 'source', client);
  if (m[4] !== '-') norm['user.name'] = m[4];
  const req = REQUEST.exec(fields.request as string);
  if (req) {
    Object.assign(fields, { method: req[1], uri: req[2], protocol: req[3] });
    norm['http.request.method'] = req[1];
    norm['url.original'] = req[2];
    splitUri(req[2], fields, norm);
  }
  const status = toPort(m[14]);
  if (status !== undefined) norm['http.response.status_code'] = status;
  if (m[17] && m[17] !== '-') norm['user_agent.original'] = unescape(m[17]);
  if (vhost && vhost !== '-') norm['host.name'] = vhost;
  return { fields, norm, time, format: 'access-log' };
}

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

/**
 * The request target split as IIS/W3C logs and ECS do: `cs-uri-stem` / `url.path` is the path
 * (scheme and host of an absolute-form target removed), `cs-uri-query` / `url.query` what follows
 * the first `?` (without it, and absent when there is no `?`). Values stay as logged (not decoded).
 */
function splitUri(uri: string, fields: Record<string, unknown>, norm: NormalizedFields): void {
  const q = uri.indexOf('?');
  let stem = q < 0 ? uri : uri.slice(0, q);
  const abs = ABSOLUTE.exec(stem);
  if (abs) stem = stem.slice(abs[0].length) || '/';
  fields['cs-uri-stem'] = stem;
  norm['url.path'] = stem;
  if (q >= 0) {
    const query = uri.slice(q + 1);
    fields['cs-uri-query'] = query;
    norm['url.query'] = query;
  }
}

/** Undo the escapes access logs write: Apache `\"` and `\\`, nginx `\xHH`. */
function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(x[0-9A-Fa-f]{2}|["\\])/g, (_, e: string) =>
    e.length === 3 ? String.fromCharCode(parseInt(e.slice(1), 16)) : e,
  );
}

// "[module:level] [pid N:tid M] [client A:P] message" after the Apache error-log time.
const APACHE_HEAD = /^\[(?:([\w-]*):)?(\w+)\] (?:\[pid (\d+)(?::tid \d+)?\] )?/;
// "[level] pid#tid: *conn message" after the nginx error-log time.
const NGINX_HEAD = /^\[(\w+)\] (\d+)#(\d+): (?:\*(\d+) )?/;
// "host program[pid]: " or "program[pid]: " (syslog-style files without a PRI).
const SYSLOG_HEAD = /^(?:([\w.:-]+) )?([\w./-]+(?:\(\d+\))?)(?:\[(\d+)\])?: /;

export interface TextOptions {
  year: number;
  /** When true (a syslog message body), a line without a known time is still accepted. */
  lenient?: boolean;
}

/** A plain-text service log line, or undefined when its structure is not recognised. */
export function parseText(line: string, opts: TextOptions): Parsed | undefined {
  const stamp = stripStamp(line, opts.year);
  const fields: Record<string, unknown> = {};
  const norm: NormalizedFields = {};
  let rest = stamp.rest;
  let format = 'text';

  // Step 1: the header that follows the time tells which family the line is from.
  const apache = stamp.kind === 'ctime-bracket' ? APACHE_HEAD.exec(rest) : null;
  const nginx = stamp.kind === 'slash' ? NGINX_HEAD.exec(rest) : null;
  const sys = !apache && !nginx ? SYSLOG_HEAD.exec(rest) : null;
  if (apache) {
    format = 'apache-error';
    Object.assign(fields, { module: apache[1] ?? '', level: apache[2], pid: apache[3] });
    rest = rest.slice(apache[0].length);
  } else if (nginx) {
    format = 'nginx-error';
    Object.assign(fields, { level: nginx[1], pid: nginx[2], connection: nginx[4] });
    rest = rest.slice(nginx[0].length);
  } else if (sys && (stamp.kind !== 'none' || sys[1])) {
    format = 'syslog-file';
    Object.assign(fields, { hostname: sys[1], program: sys[2], pid: sys[3] });
    if (sys[1]) norm['host.name'] = sys[1];
    rest = rest.slice(sys[0].length);
  } else if (stamp.kind === 'none' && !opts.lenient) {
    return undefined;
  }

  // Step 2: the message itself names the client and user for the services we know.
  fields.message = rest;
  extractService(rest, norm, format);
  const program = typeof fields.program === 'string' ? fields.program : undefined;
  if (program && norm['event.dataset'] === undefined) norm['event.dataset'] = program;
  const port = norm['source.port'];
  if (port !== undefined) fields.client_port = port;
  return { fields: dropEmpty(fields), norm, time: stamp.time, format };
}

export function dropEmpty(fields: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
  return fields;
}
