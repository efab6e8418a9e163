// The demo feed's traffic: nginx access-log lines for a city portal, normal visitors mixed with
// four kinds of attack (SQL injection, path traversal, a password-guessing burst from one address,
// a vulnerability scanner). Deterministic for a seed, so tests can count what it produces.

export const PORTAL_HOST = 'portal.city.example';

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
];

const PAGES: [method: string, path: string, status: number][] = [
  ['GET', '/', 200],
  ['GET', '/news', 200],
  ['GET', '/news/2026/winter-road-works', 200],
  ['GET', '/services/permits', 200],
  ['GET', '/services/waste-collection?district=7', 200],
  ['GET', '/api/bus/arrivals?stop=1042', 200],
  ['GET', '/api/bus/arrivals?stop=2210', 200],
  ['GET', '/static/app.js', 200],
  ['GET', '/static/portal.css', 200],
  ['GET', '/search?q=library+opening+hours', 200],
  ['GET', '/search?q=parking+permit', 200],
  ['POST', '/login', 302],
  ['GET', '/account/requests', 200],
  ['GET', '/favicon.ico', 404],
];

const SQLI = [
  '/search?q=1%27%20UNION%20SELECT%20username,password%20FROM%20users--',
  '/services/permits?id=7%20OR%201=1--',
  '/news?id=3%27%20AND%20SLEEP(5)--',
  '/search?q=%27%20union%20select%20table_name%20from%20information_schema.tables--',
];

const TRAVERSAL = [
  '/download?file=../../../../etc/passwd',
  '/download?file=..%2f..%2f..%2f..%2fetc%2fshadow',
  '/static/..%2f..%2f..%2fwindows/win.ini',
  '/download?file=....//....//....//etc/hosts',
];

const SCANNER_AGENTS = [
  'sqlmap/1.8.2#stable (https://sqlmap.org)',
  'Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000003)',
  'Nuclei - Open-source project (github.com/projectdiscovery/nuclei)',
];
const SCANNER_PATHS = [
  '/.env',
  '/wp-admin/',
  '/phpmyadmin/',
  '/.git/config',
  '/server-status',
  '/admin.php',
];

/** Attacker addresses (documentation ranges, RFC 5737). Visitors come from 10.20.0.0/16. */
export const ATTACKERS = {
  sqli: ['203.0.113.45', '203.0.113.46'],
  traversal: ['198.51.100.23'],
  bruteforce: ['203.0.113.77', '198.51.100.150'],
  scanner: ['198.51.100.99'],
};

export type AttackKind = keyof typeof ATTACKERS | 'normal';

export interface DemoLine {
  line: string;
  kind: AttackKind;
}

/** How many failed logins one password-guessing burst sends (the rule fires at 10). */
export const BURST_SIZE = 15;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function stamp(ms: number): string {
  const d = new Date(ms);
  const mon = MONTHS[d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${mon}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function accessLine(
  ip: string,
  ms: number,
  method: string,
  path: string,
  status: number,
  ua: string,
): string {
  const bytes = status === 200 ? 1200 + ((path.length * 97) % 9000) : 153;
  return `${PORTAL_HOST} ${ip} - - [${stamp(ms)}] "${method} ${path} HTTP/1.1" ${status} ${bytes} "-" "${ua}"`;
}

/** Generates the portal's traffic: call `next(ms)` per line; attacks come on a fixed schedule. */
export class PortalTraffic {
  private readonly random: () => number;
  private episode = 0;
  private nextAttackAt = 0;
  private queue: DemoLine[] = [];

  /** `attackEveryMs`: one attack episode (rotating through the four kinds) this often. */
  constructor(
    seed = 1,
    private readonly attackEveryMs = 4000,
  ) {
    this.random = prng(seed);
  }

  next(ms: number): DemoLine {
    if (this.queue.length === 0 && ms >= this.nextAttackAt) {
      this.queue = this.attack(ms);
      this.nextAttackAt = ms + this.attackEveryMs;
    }
    return this.queue.shift() ?? this.normal(ms);
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)];
  }

  private normal(ms: number): DemoLine {
    const ip = `10.20.${Math.floor(this.random() * 40)}.${1 + Math.floor(this.random() * 250)}`;
    const [method, path, status] = this.pick(PAGES);
    // A visitor mistyping a password now and then: a lone 401, never a burst.
    const failed = method === 'POST' && this.random() < 0.2;
    return {
      line: accessLine(ip, ms, method, path, failed ? 401 : status, this.pick(BROWSERS)),
      kind: 'normal',
    };
  }

  private attack(ms: number): DemoLine[] {
    const kind = (['sqli', 'traversal', 'bruteforce', 'scanner'] as const)[this.episode % 4];
    const ip = ATTACKERS[kind][Math.floor(this.episode / 4) % ATTACKERS[kind].length];
    this.episode += 1;
    const ua = this.pick(BROWSERS);
    switch (kind) {
      case 'sqli':
        return [{ line: accessLine(ip, ms, 'GET', this.pick(SQLI), 200, ua), kind }];
      case 'traversal':
        return [{ line: accessLine(ip, ms, 'GET', this.pick(TRAVERSAL), 400, ua), kind }];
      case 'bruteforce':
        return Array.from({ length: BURST_SIZE }, () => ({
          line: accessLine(ip, ms, 'POST', '/login', 401, 'python-requests/2.32.3'),
          kind,
        }));
      case 'scanner': {
        const agent = this.pick(SCANNER_AGENTS);
        return SCANNER_PATHS.map((path) => ({
          line: accessLine(ip, ms, 'GET', path, 404, agent),
          kind,
        }));
      }
    }
  }
}
