// Leading timestamps of plain-text logs. Each shape is matched at the start of the line and
// returns the ISO time plus the rest of the line.
import { epochToIso, isoFrom, monthIndex } from './common';

export interface Stamp {
  time?: string;
  rest: string;
  kind: string;
}

type Shape = {
  kind: string;
  re: RegExp;
  iso: (m: RegExpExecArray, year: number) => string | undefined;
};

const num = Number;

const shapes: Shape[] = [
  {
    // RFC 3164 / BSD syslog: "Jan  2 03:04:05" (optionally with a year after the time)
    kind: 'bsd',
    re: /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?: (\d{4}))? /,
    iso: (m, y) =>
      isoFrom(
        m[7] ? num(m[7]) : y,
        monthIndex(m[1]) ?? -1,
        num(m[2]),
        num(m[3]),
        num(m[4]),
        num(m[5]),
        m[6],
      ),
  },
  {
    // ISO 8601 / RFC 3339, also "2015-10-07  8:25:38" and "2006-02-13 15:52:30,388"
    kind: 'iso',
    re: /^(\d{4})-(\d{2})-(\d{2})(?:T| {1,2})(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?(?: UTC| GMT)? /,
    iso: (m) =>
      isoFrom(num(m[1]), num(m[2]) - 1, num(m[3]), num(m[4]), num(m[5]), num(m[6]), m[7], m[8]),
  },
  {
    // MySQL 5.x: "130324  0:04:00"
    kind: 'yymmdd',
    re: /^(\d{2})(\d{2})(\d{2}) {1,2}(\d{1,2}):(\d{2}):(\d{2}) /,
    iso: (m) =>
      isoFrom(2000 + num(m[1]), num(m[2]) - 1, num(m[3]), num(m[4]), num(m[5]), num(m[6])),
  },
  {
    // nginx error log: "2012/04/09 11:53:29"
    kind: 'slash',
    re: /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) /,
    iso: (m) => isoFrom(num(m[1]), num(m[2]) - 1, num(m[3]), num(m[4]), num(m[5]), num(m[6])),
  },
  {
    // PHP / Roundcube: "[22-Jan-2013 22:28:21 +0200]:"
    kind: 'php',
    re: /^\[(\d{2})-([A-Z][a-z]{2})-(\d{4}) (\d{2}):(\d{2}):(\d{2})(?: ([+-]\d{4}|[A-Z][\w/]*))?\]:? /,
    iso: (m) =>
      isoFrom(
        num(m[3]),
        monthIndex(m[2]) ?? -1,
        num(m[1]),
        num(m[4]),
        num(m[5]),
        num(m[6]),
        '',
        m[7] ?? 'Z',
      ),
  },
  {
    // Apache error log / ctime: "[Thu Jul 11 01:21:41 2013]" or "[Sat Jul 20 21:34:49.453232 2013]"
    kind: 'ctime-bracket',
    re: /^\[[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))? (\d{4})\] /,
    iso: (m) =>
      isoFrom(num(m[7]), monthIndex(m[1]) ?? -1, num(m[2]), num(m[3]), num(m[4]), num(m[5]), m[6]),
  },
  {
    // ctime without brackets: "Sat Dec 28 19:03:53 2013"
    kind: 'ctime',
    re: /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) /,
    iso: (m) =>
      isoFrom(num(m[6]), monthIndex(m[1]) ?? -1, num(m[2]), num(m[3]), num(m[4]), num(m[5])),
  },
  {
    // monit: "[PDT Apr 16 21:05:29]" (zone name kept in the raw text; treated as UTC)
    kind: 'monit',
    re: /^\[[A-Z]{2,5} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})\] /,
    iso: (m, y) => isoFrom(y, monthIndex(m[1]) ?? -1, num(m[2]), num(m[3]), num(m[4]), num(m[5])),
  },
  {
    // daemontools TAI64N label: "@400000004c91b044077a9e94"
    kind: 'tai64n',
    re: /^@4([0-9a-f]{15})([0-9a-f]{8}) /,
    iso: (m) => epochToIso(parseInt(m[1], 16) - 10),
  },
  {
    // bare epoch seconds: "1521911799.739898 "
    kind: 'epoch',
    re: /^(1\d{9})(?:\.(\d+))? /,
    iso: (m) => epochToIso(num(m[1]) + (m[2] ? num(`0.${m[2]}`) : 0)),
  },
];

/** Strip a known leading timestamp; `kind` is 'none' when there is none. */
export function stripStamp(line: string, year: number): Stamp {
  for (const s of shapes) {
    const m = s.re.exec(line);
    if (!m) continue;
    const time = s.iso(m, year);
    if (!time) continue;
    return { time, rest: line.slice(m[0].length), kind: s.kind };
  }
  return { rest: line, kind: 'none' };
}
