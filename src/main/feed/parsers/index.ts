// The parser registry: auto-detects the format of each line (or uses the chosen one) and turns it
// into a HaechiEvent, or into a reason when the line does not parse.
import { FORMATS, type FormatName } from '../../../shared/formats';
import type { HaechiEvent } from '../../../shared/types';
import { makeEvent, type ParseContext, type ParseOutcome, type Parsed } from './common';
import { parseJsonLine } from './json';
import { parseCef, parseSyslog } from './syslog';
import { parseAccess, parseText } from './text';
import { applyZeekDirective, newZeekHeader, parseZeekRow, type ZeekHeader } from './zeek';
import { parseJsonObject } from './json';

export type { ParseContext, ParseOutcome } from './common';

export { FORMATS, type FormatName };

export function isFormat(name: string): name is FormatName {
  return (FORMATS as readonly string[]).includes(name);
}

/**
 * The one maximum line length, in UTF-8 bytes without the line ending, for every format (JSON,
 * syslog, CEF, Zeek, access and error logs, text) and every reader (`haechi parse`, file import,
 * tailed files). A longer line is rejected with `lineTooLong`'s reason at its position; reading
 * goes on with the next line.
 */
export const MAX_LINE_BYTES = 256 * 1024;

/** The reason given for a line over MAX_LINE_BYTES. */
export function lineTooLong(bytes: number): string {
  return `line of ${bytes} bytes is longer than the maximum of ${MAX_LINE_BYTES} bytes`;
}

/** UTF-8 length of `line` when it may exceed the maximum (a UTF-16 unit is 1 to 3 bytes). */
function overLimit(line: string): number | undefined {
  if (line.length * 3 <= MAX_LINE_BYTES) return undefined;
  const bytes = Buffer.byteLength(line, 'utf8');
  return bytes > MAX_LINE_BYTES ? bytes : undefined;
}

type LogSource = NonNullable<HaechiEvent['logsource']>;
const LINUX_SERVICES: Record<string, string> = {
  sshd: 'sshd',
  sudo: 'sudo',
  cron: 'cron',
  CRON: 'cron',
  vsftpd: 'vsftpd',
  clamd: 'clamav',
  guacd: 'guacamole',
};

/** The Sigma log source of a parsed line, so rules for it are routed to it. */
function logsourceOf(format: string, f: Record<string, unknown>): LogSource | undefined {
  if (format === 'access-log') return { category: 'webserver' };
  if (format === 'zeek' && typeof f._path === 'string')
    return { product: 'zeek', service: f._path };
  if (format !== 'syslog' && format !== 'syslog-file') return undefined;
  const program = typeof f.program === 'string' ? f.program.replace(/\(\d+\)$/, '') : '';
  const service = LINUX_SERVICES[program];
  if (service) return { product: 'linux', service };
  if (f.facility === 'auth' || f.facility === 'authpriv')
    return { product: 'linux', service: 'auth' };
  return { product: 'linux', service: 'syslog' };
}

/** Parses the lines of one stream; keeps per-stream state such as a Zeek `#fields` header. */
export class ParserSession {
  private zeek: ZeekHeader = newZeekHeader();
  private readonly year: number;

  constructor(
    readonly format: FormatName = 'auto',
    opts: { year?: number } = {},
  ) {
    this.year = opts.year ?? new Date().getUTCFullYear();
  }

  parse(line: string, ctx: ParseContext): ParseOutcome {
    const bytes = overLimit(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (bytes !== undefined) return { ok: false, reason: lineTooLong(bytes) };
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text.trim() === '') return { ok: 'skip' };
    if (text.startsWith('#')) return this.directive(text);
    const parsed = this.format === 'auto' ? this.auto(text) : this.forced(text);
    if (typeof parsed === 'string') return { ok: false, reason: parsed };
    const event = makeEvent(line, parsed, parsed.format ?? this.format, ctx);
    const logsource = logsourceOf(event.format, event.fields);
    if (logsource) event.logsource = logsource;
    return { ok: true, event };
  }

  /** Parse an already-decoded JSON record (a JSON array or document read whole). */
  parseObject(value: unknown, raw: string, ctx: ParseContext): ParseOutcome {
    const parsed = parseJsonObject(value);
    if (typeof parsed === 'string') return { ok: false, reason: parsed };
    return { ok: true, event: makeEvent(raw, parsed, parsed.format ?? 'json', ctx) };
  }

  private directive(text: string): ParseOutcome {
    if (this.format === 'auto' || this.format === 'zeek') applyZeekDirective(text, this.zeek);
    return { ok: 'skip' };
  }

  private zeekRow(text: string): Parsed | string {
    const row = parseZeekRow(text, this.zeek);
    if (typeof row === 'string') return row;
    const parsed = parseJsonObject(row);
    if (typeof parsed !== 'string') parsed.format = 'zeek';
    return parsed;
  }

  private auto(text: string): Parsed | string {
    const c = text.charCodeAt(0);
    if (c === 123 /* { */) return parseJsonLine(text);
    if (c === 60 /* < */ && /^<\d{1,3}>/.test(text)) return parseSyslog(text, this.year);
    if (text.startsWith('CEF:')) return parseCef(text);
    if (this.zeek.fields && text.includes(this.zeek.separator)) return this.zeekRow(text);
    const access = parseAccess(text);
    if (access) return access;
    const plain = parseText(text, { year: this.year });
    if (plain) return plain;
    return 'unrecognized line: not JSON, syslog, CEF, Zeek, an access log or a timestamped service log';
  }

  private forced(text: string): Parsed | string {
    switch (this.format) {
      case 'json':
      case 'suricata-eve':
        return parseJsonLine(text);
      case 'zeek':
        return text.startsWith('{') ? parseJsonLine(text) : this.zeekRow(text);
      case 'syslog':
        return /^<\d{1,3}>/.test(text)
          ? parseSyslog(text, this.year)
          : 'syslog: line does not start with <PRI>';
      case 'cef': {
        const at = text.indexOf('CEF:');
        return at < 0 ? 'cef: no "CEF:" in line' : parseCef(text.slice(at));
      }
      case 'access-log':
        return parseAccess(text) ?? 'access-log: line is not in combined/common log format';
      default: {
        const p = parseText(text, { year: this.year });
        if (!p) return `${this.format}: no known timestamp or header at column 1`;
        if (this.format !== 'text' && p.format !== this.format)
          return `${this.format}: line is ${p.format}`;
        return p;
      }
    }
  }
}
