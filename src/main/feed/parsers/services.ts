// What the message of a service log line says: the client address and user behind an
// authentication failure or a refused request (OpenSSH, dovecot, postfix, MySQL, PostgreSQL,
// Apache/nginx, Roundcube, Drupal, monit, fail2ban, …). Written for the message shapes these
// services document, in order from the most specific to the generic "from ADDRESS".
import type { NormalizedFields } from '../../../shared/types';
import { cleanIp, setAddress, toPort } from './common';

interface Extractor {
  dataset: string;
  /** Returns [address, user?, port?] when the message has this shape. */
  find(msg: string): Hit | undefined;
  /**
   * For formats whose user has a place of its own: the user read from that place only. When set,
   * the generic user phrases are never searched (the rest of such a line is client-chosen text).
   */
  user?(msg: string): string | undefined;
}

const ADDR = '\\[?([0-9A-Fa-f:.]*[0-9A-Fa-f])\\]?';

function lastMatch(re: RegExp, msg: string): RegExpExecArray | undefined {
  let last: RegExpExecArray | undefined;
  re.lastIndex = 0;
  for (let m = re.exec(msg); m; m = re.exec(msg)) last = m;
  return last;
}

/** Capture groups (address, user, port) of the first match of `re`, by group number. */
function pick(re: RegExp, msg: string, ai = 1, ui = 0, pi = 0): Hit | undefined {
  const m = re.exec(msg);
  if (!m || !m[ai]) return undefined;
  return [m[ai], ui ? m[ui] : undefined, pi ? m[pi] : undefined];
}

type Hit = [string, string?, string?];

/** "192.0.2.1:51380" → address and port (IPv4 only: an IPv6 address has no unambiguous port). */
function withPort(hit: Hit | undefined): Hit | undefined {
  const m = hit && /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(hit[0]);
  return m ? [m[1], hit[1], m[2]] : hit;
}

function nginxClient(msg: string): Hit | undefined {
  const m =
    lastMatch(/, client: ([^,\s]+), server: /g, msg) ?? lastMatch(/, client: ([^,\s]+)/g, msg);
  return m ? [m[1]] : undefined;
}

/**
 * nginx error log: the user is the phrase that opens the message, right after the
 * "[level] pid#tid: *conn " head (already removed when the line was read as an nginx error log):
 * 'user "x" was not found in …', 'user "x": password mismatch', 'PAM: user 'x' - not authenticated'.
 * A head is only believed before the first '"' — quoted text (request, host, referrer) is the
 * client's.
 */
export function nginxUser(msg: string): string | undefined {
  const head = /\[\w+\] \d+#\d+: (?:\*\d+ )?/.exec(msg);
  const quote = msg.indexOf('"');
  const body =
    head && (quote < 0 || head.index < quote) ? msg.slice(head.index + head[0].length) : msg;
  const m = /^(?:PAM: )?user (?:"((?:[^"\\]|\\.)*)"|'([^']*)')/.exec(body);
  const user = m ? (m[1] ?? m[2]) : undefined;
  return user || undefined;
}

// Apache error log: "[client A:P] [AHnnnnn: ][Digest: ]message" (or "[remote …]" for the peer).
const APACHE_MESSAGE = /\[(?:client|remote) (?:\[[^\]]*\]|[^\]\s]+)(?::\d+)?\] (.*)$/;
// What mod_auth_basic, mod_auth_digest, mod_authz_core and mod_authz_owner write at the start.
const APACHE_USER =
  /^(?:AH\d{5}: )?(?:(?:Digest|Basic): )?(?:user (\S+?):? (?:not found|authentication failure|password mismatch|authorization failure)|user `([^']*)' in realm|Authorization of user (\S+) to access)/;

/**
 * Apache error log: the user is named only by the phrase that opens the message after the first
 * "[client …]" — never by text further on (the URL, the referer), which the client chose.
 */
export function apacheUser(msg: string): string | undefined {
  const body = APACHE_MESSAGE.exec(msg);
  const m = body ? APACHE_USER.exec(body[1]) : null;
  const user = m ? (m[1] ?? m[2] ?? m[3]) : undefined;
  return user || undefined;
}

const extractors: Extractor[] = [
  // nginx error log: the real client is the last ", client: X, server:" (user text comes first).
  { dataset: 'nginx', find: nginxClient, user: nginxUser },
  {
    dataset: 'apache',
    find: (m) => withPort(pick(/\[(?:client|remote) ([^\]\s]+)\]/, m)),
    user: apacheUser,
  },
  { dataset: 'dovecot', find: (m) => pick(new RegExp(`(?:^|[\\s,(])rip=${ADDR}`), m) },
  {
    dataset: 'dovecot',
    find: (m) =>
      pick(
        /\b(?:pam|sql|passwd-file|ldap|auth|checkpassword|static|bsdauth)\(([^,()]*),([0-9A-Fa-f:.]+)[,)]/,
        m,
        2,
        1,
      ),
  },
  { dataset: 'mysql', find: (m) => pick(/Access denied for user '([^']*)'@'([^']*)'/, m, 2, 1) },
  {
    dataset: 'postgresql',
    find: (m) =>
      pick(/connection (?:received|authorized): host=\[?([^\s\]]+)\]?(?: port=(\d+))?/, m, 1, 0, 2),
  },
  { dataset: 'pam', find: (m) => pick(/(?:^|[\s;])rhost=(\S+)(?:.*?\suser=(\S+))?/, m, 1, 2) },
  // postfix/smtpd: "unknown[203.0.113.5]: SASL LOGIN authentication failed", "connect from h[ip]".
  {
    dataset: 'postfix',
    find: (m) =>
      pick(/\b[\w.-]+\[([0-9A-Fa-f:.]+)\](?::\d+)?:? (?:SASL|lost|disconnect)/, m) ??
      pick(/(?:connect from|RCPT from|reject: \w+ from) [\w.-]+\[([0-9A-Fa-f:.]+)\]/, m),
  },
  {
    // Roundcube: the real address ends the sentence (". AUTHENTICATE", "(X-Real-IP", " in session").
    dataset: 'roundcube',
    find: (m) =>
      pick(
        /(?:Login failed|FAILED login|Failed login) for (.*?) from ([0-9A-Fa-f:.]*[0-9A-Fa-f])(?:\.? AUTHENTICATE|\(| in session|\.?$)/,
        m,
        2,
        1,
      ),
  },
  { dataset: 'drupal', find: (m) => pick(/^https?:\/\/[^|]*\|\d+\|[^|]*\|([^|]+)\|/, m) },
  {
    // OpenSSH: "Connection closed by authenticating user root 192.0.2.1 port 22 [preauth]".
    dataset: 'sshd',
    find: (m) =>
      pick(
        /(?:Connection (?:closed|reset) by|Disconnected from|Timeout before authentication for)(?: (?:authenticating|invalid) user (\S+))? ([0-9A-Fa-f:.]*[0-9A-Fa-f]) port (\d+)/,
        m,
        2,
        1,
        3,
      ),
  },
  {
    dataset: 'sshd',
    find: (m) =>
      pick(
        /(?:for|user) (?:invalid user )?(\S*) from ([0-9A-Fa-f:.]+)(?: port (\d+))?/,
        m,
        2,
        1,
        3,
      ),
  },
  {
    dataset: 'monit',
    find: (m) => pick(new RegExp(`[Cc]lient '?${ADDR}'?[: ](?:.*user '([^']*)')?`), m, 1, 2),
  },
  { dataset: 'openwebmail', find: (m) => pick(/^- \[\d+\] \(([0-9A-Fa-f:.]+)\) (\S+)/, m, 1, 2) },
  { dataset: 'fail2ban', find: (m) => pick(/\] Ban ([0-9A-Fa-f:.]+)/, m) },
  { dataset: 'generic', find: (m) => pick(/\bfrom (?:host )?\[?([0-9A-Fa-f:.]*\d)\]?/, m) },
  {
    dataset: 'generic',
    find: (m) => pick(/\b(?:client|src|srcip|remote|ip)[=: ]\s*\[?([0-9A-Fa-f:.]*\d)\]?/, m),
  },
];

const USER_PATTERNS: RegExp[] = [
  /\buser=<([^>]*)>/,
  /\buser (\S+?):? (?:not found|authentication failure|password mismatch|authorization failure)/,
  /\bLogin failed for (\S+) from/i,
  /\b(?:FAILED|Failed) login for (\S+) from/,
  /\buser "([^"]*)"/,
  /\bsasl_username=(\S+)/,
  /password authentication failed for user "([^"]*)"/,
  /\bInvalid user (\S+)/,
];

/** The line's own format ('apache-error', 'nginx-error'), when the reader already knows it. */
const FORMAT_DATASET: Record<string, string> = { 'apache-error': 'apache', 'nginx-error': 'nginx' };

/** The extractors to try: the one for the line's known format alone, otherwise all in order. */
function candidates(format?: string): Extractor[] {
  const dataset = format ? FORMAT_DATASET[format] : undefined;
  return dataset ? extractors.filter((ex) => ex.dataset === dataset) : extractors;
}

/**
 * Fill `source.ip`/`source.address`/`user.name`/`event.dataset` from a service message. With a
 * known `format` (Apache or nginx error log) only that format's client and user places are read.
 */
export function extractService(msg: string, norm: NormalizedFields, format?: string): boolean {
  const list = candidates(format);
  for (const ex of list) {
    const hit = ex.find(msg);
    if (!hit || !hit[0]) continue;
    const addr = hit[0].replace(/[.,;:]+$/, '');
    if (!cleanIp(addr) && !/^[\w.-]+$/.test(addr)) continue;
    if (ex.dataset === 'generic' && !cleanIp(addr)) continue;
    setAddress(norm, 'source', addr);
    const port = toPort(hit[2]);
    if (port !== undefined) norm['source.port'] = port;
    const user = ex.user ? ex.user(msg) : (hit[1] ?? userFrom(msg));
    if (user) norm['user.name'] = user;
    if (!norm['event.dataset']) norm['event.dataset'] = ex.dataset;
    return true;
  }
  const own = list.length === 1 ? list[0].user : undefined;
  const user = own ? own(msg) : userFrom(msg);
  if (user) norm['user.name'] = user;
  return false;
}

function userFrom(msg: string): string | undefined {
  for (const re of USER_PATTERNS) {
    const m = re.exec(msg);
    if (m && m[1]) return m[1];
  }
  return undefined;
}
