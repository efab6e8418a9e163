// Addresses on the network: e-mail, IPv4 and IPv6 (validated by node:net), MAC and URL.
import { isIPv4, isIPv6 } from 'node:net';
import tlds from 'tlds';
import { eachMatch, type Candidate, type Recognizer } from '../types';

const tldSet = new Set<string>(tlds);

function knownTld(host: string): boolean {
  const tld = host.slice(host.lastIndexOf('.') + 1).toLowerCase();
  return tldSet.has(tld) || /^xn--[a-z0-9-]+$/.test(tld);
}

const emailPattern =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+'-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{1,62}(?![A-Za-z0-9-]|\.[A-Za-z0-9])/g;

function emails(text: string): Candidate[] {
  const out: Candidate[] = [];
  eachMatch(text, emailPattern, (m) => {
    const host = m[0].slice(m[0].indexOf('@') + 1);
    if (!knownTld(host)) return;
    const reasons = ['pattern: local@domain with a known top-level domain'];
    out.push({ type: 'EMAIL_ADDRESS', start: m.index, end: m.index + m[0].length, score: 1, reasons });
  });
  return out;
}

const octet = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ipv4Pattern = new RegExp(`(?<![\\w.])${octet}(?:\\.${octet}){3}(?:/(?:3[0-2]|[12]?\\d))?(?!\\w)`, 'g');
const ipv6Candidate = /(?<![\w:.%])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[0-9A-Za-z]+)?(?:\/\d+)?(?![\w:])/g;

function ipv4s(text: string, out: Candidate[]): void {
  eachMatch(text, ipv4Pattern, (m) => {
    const reasons = ['pattern: dotted quad', 'checksum: every octet 0-255'];
    out.push({ type: 'IP_ADDRESS', start: m.index, end: m.index + m[0].length, score: 0.6, reasons });
  });
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
  const keepPrefix = prefix !== '' && body.length === (slash >= 0 ? slash : raw.length) && Number(prefix) <= 128;
  return { length: keepPrefix ? raw.length : body.length, unspecified };
}

function ipv6s(text: string, out: Candidate[]): void {
  eachMatch(text, ipv6Candidate, (m) => {
    const span = ipv6Span(m[0]);
    if (!span) return;
    const reasons = ['pattern: IPv6', 'checksum: valid IPv6 syntax'];
    const score = span.unspecified ? 0.1 : 0.6;
    out.push({ type: 'IP_ADDRESS', start: m.index, end: m.index + span.length, score, reasons });
  });
}

function ips(text: string): Candidate[] {
  const out: Candidate[] = [];
  ipv4s(text, out);
  if (text.includes(':')) ipv6s(text, out);
  return out.filter((c) => !c.reasons.includes('pattern: dotted quad') || isIPv4(text.slice(c.start, c.end).split('/')[0]));
}

const macPattern =
  /(?<![\w:.-])(?:[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w:-]|\.\w)/g;

function macs(text: string): Candidate[] {
  const out: Candidate[] = [];
  eachMatch(text, macPattern, (m) => {
    if (/^[0:.-]+$/.test(m[0])) return;
    const reasons = ['pattern: six hex octets'];
    out.push({ type: 'MAC_ADDRESS', start: m.index, end: m.index + m[0].length, score: 0.6, reasons });
  });
  return out;
}

const label = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const urlPattern = new RegExp(
  `(?<![\\w@.-])(?:(?:https?|ftp)://(?:\\[[0-9A-Fa-f:.]+\\]|(?:${label}\\.)*${label})(?::\\d{1,5})?|(?:${label}\\.)+[A-Za-z][A-Za-z0-9-]+)(?:[/?#][^\\s<>"'\\]\\)]*)?`,
  'g',
);

function urls(text: string): Candidate[] {
  const out: Candidate[] = [];
  eachMatch(text, urlPattern, (m) => {
    const value = m[0].replace(/[.,;:!?]+$/, '');
    const schemed = /^[a-z]+:\/\//i.test(value);
    const host = value.replace(/^[a-z]+:\/\//i, '').split(/[/?#:]/)[0];
    if (text[m.index + value.length] === '@' || text[m.index - 1] === '@') return;
    if (!host.startsWith('[') && (!host.includes('.') || !knownTld(host))) return;
    // Without a scheme, long brand top-level domains (.microsoft) are more often words than hosts.
    if (!schemed && host.length - host.lastIndexOf('.') - 1 > 6) return;
    if (!schemed && /^\d+(\.\d+)+$/.test(host)) return;
    const reasons = [schemed ? 'pattern: scheme://host' : 'pattern: bare domain with a known top-level domain'];
    out.push({ type: 'URL', start: m.index, end: m.index + value.length, score: schemed ? 0.6 : 0.5, reasons });
  });
  return out;
}

export const networkRecognizers: Recognizer[] = [
  { name: 'email', types: ['EMAIL_ADDRESS'], find: emails },
  { name: 'ip', types: ['IP_ADDRESS'], find: ips },
  { name: 'mac', types: ['MAC_ADDRESS'], find: macs },
  { name: 'url', types: ['URL'], find: urls },
];
