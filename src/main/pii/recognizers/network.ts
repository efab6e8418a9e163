// Addresses on the network: e-mail, IPv4 and IPv6 (validated by node:net), MAC and URL.
import { isIPv4, isIPv6 } from 'node:net';
import tlds from 'tlds';
import { eachMatchAt, isWordCode, type Candidate, type Recognizer } from '../types';

const tldSet = new Set<string>(tlds);

function knownTld(host: string): boolean {
  const tld = host.slice(host.lastIndexOf('.') + 1).toLowerCase();
  return tldSet.has(tld) || /^xn--[a-z0-9-]+$/.test(tld);
}

const localChar = /[A-Za-z0-9._%+'-]/;
const emailAt =
  /@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{1,62}(?![A-Za-z0-9-]|\.[A-Za-z0-9])/y;

/** E-mail addresses, found from each '@': the local part to its left, the domain to its right. */
function emails(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start < 64 && localChar.test(text[start - 1])) start--;
    if (start > 0 && localChar.test(text[start - 1])) continue;
    while (start < at && !/[A-Za-z0-9]/.test(text[start])) start++;
    if (start === at) continue;
    emailAt.lastIndex = at;
    const m = emailAt.exec(text);
    if (!m) continue;
    const end = at + m[0].length;
    if (!knownTld(m[0].slice(1))) continue;
    const reasons = ['pattern: local@domain with a known top-level domain'];
    out.push({ type: 'EMAIL_ADDRESS', start, end, score: 1, reasons });
  }
  return out;
}

const octet = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ipv4Pattern = new RegExp(`${octet}(?:\\.${octet}){3}(?:/(?:3[0-2]|[12]?\\d))?(?!\\w)`, 'g');
const ipv6Whole = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[0-9A-Za-z]+)?(?:\/\d+)?$/;
const tokenChar = /[\w:.%/]/;

function ipv4s(text: string, out: Candidate[]): void {
  if (!text.includes('.')) return;
  eachMatchAt(
    text,
    ipv4Pattern,
    (c) => !isWordCode(c) && c !== 46,
    (m) => {
      const reasons = ['pattern: dotted quad', 'checksum: every octet 0-255'];
      out.push({
        type: 'IP_ADDRESS',
        start: m.index,
        end: m.index + m[0].length,
        score: 0.6,
        reasons,
      });
    },
  );
}

/** Split an IPv6 candidate into address, zone and prefix; trailing dots are sentence ends. */
function ipv6Span(raw: string): { length: number; unspecified: boolean } | undefined {
  const slash = raw.indexOf('/');
  let body = slash >= 0 ? raw.slice(0, slash) : raw;
  const prefix = slash >= 0 ? raw.slice(slash + 1) : '';
  while (body.endsWith('.')) body = body.slice(0, -1);
  const pct = body.indexOf('%');
  const address = pct >= 0 ? body.slice(0, pct) : body;
  if ((address.match(/:/g) ?? []).length < 2 || !isIPv6(address)) return undefined;
  const unspecified = address === '::';
  const keepPrefix =
    prefix !== '' && body.length === (slash >= 0 ? slash : raw.length) && Number(prefix) <= 128;
  return { length: keepPrefix ? raw.length : body.length, unspecified };
}

/** Runs of [\w:.%/] holding at least two colons: each is tried whole as an IPv6 address. */
function colonTokens(text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let done = -1;
  for (let at = text.indexOf(':'); at >= 0; at = text.indexOf(':', at + 1)) {
    if (at < done) continue;
    let start = at;
    let end = at + 1;
    while (start > 0 && tokenChar.test(text[start - 1])) start--;
    while (end < text.length && tokenChar.test(text[end])) end++;
    done = end;
    // A sentence's full stop is not part of the address.
    const token = text.slice(start, end).replace(/\.+$/, '');
    if (token.indexOf(':') !== token.lastIndexOf(':')) out.push([start, token]);
  }
  return out;
}

function ipv6s(text: string, out: Candidate[]): void {
  for (const [start, token] of colonTokens(text)) {
    if (!ipv6Whole.test(token)) continue;
    const span = ipv6Span(token);
    if (!span) continue;
    const reasons = ['pattern: IPv6', 'checksum: valid IPv6 syntax'];
    const score = span.unspecified ? 0.1 : 0.6;
    out.push({ type: 'IP_ADDRESS', start, end: start + span.length, score, reasons });
  }
}

function ips(text: string): Candidate[] {
  const out: Candidate[] = [];
  ipv4s(text, out);
  if (text.includes(':')) ipv6s(text, out);
  return out.filter(
    (c) =>
      !c.reasons.includes('pattern: dotted quad') ||
      isIPv4(text.slice(c.start, c.end).split('/')[0]),
  );
}

// Searched from the first separator (rare) rather than from every hex digit (common).
const macColon =
  /([:-])[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}(?![\w:-]|\.\w)/g;
const macDotted = /\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![\w:-]|\.\w)/g;
const hex = /^[0-9A-Fa-f]+$/;

function macs(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const [pattern, lead] of [
    [macColon, 2],
    [macDotted, 4],
  ] as const) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const start = m.index - lead;
      const before = start > 0 ? text.charCodeAt(start - 1) : 32;
      const startOk = !isWordCode(before) && before !== 58 && before !== 46 && before !== 45;
      const value = text.slice(start, m.index + m[0].length);
      if (
        start < 0 ||
        !hex.test(text.slice(start, m.index)) ||
        !startOk ||
        /^[0:.-]+$/.test(value)
      ) {
        pattern.lastIndex = m.index + 1;
        continue;
      }
      out.push({
        type: 'MAC_ADDRESS',
        start,
        end: start + value.length,
        score: 0.6,
        reasons: ['pattern: six hex octets'],
      });
    }
  }
  return out;
}

const label = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const urlPattern = new RegExp(
  `(?:(?:https?|ftp)://(?:\\[[0-9A-Fa-f:.]+\\]|(?:${label}\\.)*${label})(?::\\d{1,5})?|(?:${label}\\.)+[A-Za-z][A-Za-z0-9-]+)(?:[/?#][^\\s<>"'\\]\\)]*)?`,
  'y',
);

const hostChar = /[A-Za-z0-9.-]/;
const alnum = /[A-Za-z0-9]/;

/** Where a URL may start: before each `scheme://`, and at each dotted host name. */
function urlStarts(text: string): number[] {
  const starts: number[] = [];
  for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', at + 3)) {
    let start = at;
    while (start > 0 && /[A-Za-z]/.test(text[start - 1])) start--;
    if (start < at) starts.push(start);
  }
  let done = -1;
  for (let dot = text.indexOf('.'); dot >= 0; dot = text.indexOf('.', dot + 1)) {
    if (dot < done || !alnum.test(text[dot - 1] ?? '') || !alnum.test(text[dot + 1] ?? ''))
      continue;
    let start = dot;
    while (start > 0 && hostChar.test(text[start - 1])) start--;
    done = dot + 1;
    while (done < text.length && hostChar.test(text[done])) done++;
    if (text.startsWith('://', start - 3) || /[\w@]/.test(text[start - 1] ?? ' ')) continue;
    starts.push(start);
  }
  return starts;
}

function urls(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const start of urlStarts(text)) {
    urlPattern.lastIndex = start;
    const m = urlPattern.exec(text);
    if (m) urlCandidate(text, m, out);
  }
  return out;
}

function urlCandidate(text: string, m: RegExpExecArray, out: Candidate[]): void {
  const value = m[0].replace(/[.,;:!?]+$/, '');
  const schemed = /^[a-z]+:\/\//i.test(value);
  const host = value.replace(/^[a-z]+:\/\//i, '').split(/[/?#:]/)[0];
  if (text[m.index + value.length] === '@' || text[m.index - 1] === '@') return;
  if (!host.startsWith('[') && (!host.includes('.') || !knownTld(host))) return;
  // Without a scheme, long brand top-level domains (.microsoft) are more often words than hosts.
  if (!schemed && host.length - host.lastIndexOf('.') - 1 > 6) return;
  if (!schemed && /^\d+(\.\d+)+$/.test(host)) return;
  const reasons = [
    schemed ? 'pattern: scheme://host' : 'pattern: bare domain with a known top-level domain',
  ];
  out.push({
    type: 'URL',
    start: m.index,
    end: m.index + value.length,
    score: schemed ? 0.6 : 0.5,
    reasons,
  });
}

export const networkRecognizers: Recognizer[] = [
  { name: 'email', types: ['EMAIL_ADDRESS'], find: emails },
  { name: 'ip', types: ['IP_ADDRESS'], find: ips },
  { name: 'mac', types: ['MAC_ADDRESS'], find: macs },
  { name: 'url', types: ['URL'], find: urls },
];
