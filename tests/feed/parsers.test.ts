// Parsers on real samples (fail2ban's annotated logs, Suricata EVE, Zeek TSV and JSON, CRS attack
// requests) and on the shapes the RFCs and CEF define.
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ParserSession, type ParseOutcome } from '../../src/main/feed/parsers';
import type { HaechiEvent } from '../../src/shared/types';

const DATA = path.resolve(__dirname, '../../../shared/data');
const has = (p: string) => fs.existsSync(path.join(DATA, p));

function parseAll(text: string, format: ConstructorParameters<typeof ParserSession>[0] = 'auto') {
  const s = new ParserSession(format, { year: 2024 });
  return text
    .split('\n')
    .map((line, i) => s.parse(line, { source: 't', position: { record: i + 1 } }));
}
const events = (outs: ParseOutcome[]) => outs.flatMap((o) => (o.ok === true ? [o.event] : []));
const rejects = (outs: ParseOutcome[]) => outs.flatMap((o) => (o.ok === false ? [o.reason] : []));
const one = (
  line: string,
  format: ConstructorParameters<typeof ParserSession>[0] = 'auto',
): HaechiEvent => {
  const o = new ParserSession(format, { year: 2024 }).parse(line, {
    source: 't',
    position: { record: 1 },
  });
  if (o.ok !== true) throw new Error(`did not parse: ${JSON.stringify(o)}`);
  return o.event;
};

describe.skipIf(!has('fail2ban_logs'))(
  'fail2ban annotated logs (skipped: ../shared/data/fail2ban_logs absent)',
  () => {
    const dir = path.join(DATA, 'fail2ban_logs');
    const files = has('fail2ban_logs') ? fs.readdirSync(dir).filter((f) => f.endsWith('.log')) : [];

    it('gives every failure line the source address its failJSON comment names', () => {
      let checked = 0;
      const wrong: string[] = [];
      for (const file of files) {
        const session = new ParserSession('auto', { year: 2024 });
        let expected: { match?: boolean; host?: string } | null = null;
        fs.readFileSync(path.join(dir, file), 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (line.startsWith('#')) {
              const m = /failJSON:\s*(\{.*\})/.exec(line);
              if (m) expected = JSON.parse(m[1]);
              return;
            }
            if (!line.trim()) return;
            const out = session.parse(line, { source: file, position: { file, record: i + 1 } });
            if (expected?.match && expected.host) {
              checked += 1;
              const norm = out.ok === true ? out.event.norm : {};
              // An address that is a host name ('localhost') is kept as source.address only.
              const got = /^[\d.:a-f]+$/i.test(expected.host)
                ? norm['source.ip']
                : norm['source.address'];
              if (got !== expected.host)
                wrong.push(`${file}:${i + 1} expected ${expected.host} got ${String(got)}`);
            }
            expected = null;
          });
      }
      expect(wrong).toEqual([]);
      expect(checked).toBe(242);
    });

    it('parses every non-comment line of every file', () => {
      const bad: string[] = [];
      for (const file of files) {
        const outs = parseAll(fs.readFileSync(path.join(dir, file), 'utf8'));
        outs.forEach((o, i) => o.ok === false && bad.push(`${file}:${i + 1}: ${o.reason}`));
      }
      expect(bad).toEqual([]);
    });

    it('reads user names from OpenSSH-style, MySQL and dovecot lines', () => {
      expect(
        one(
          "130324  0:04:00 [Warning] Access denied for user 'root'@'192.168.1.35' (using password: NO)",
        ).norm,
      ).toMatchObject({
        'source.ip': '192.168.1.35',
        'user.name': 'root',
        'event.dataset': 'mysql',
        '@timestamp': '2013-03-24T00:04:00.000Z',
      });
      const dove = one(
        'Jun 13 16:30:54 platypus dovecot: imap-login: Disconnected (auth failed, 2 attempts): user=<username.bob>, method=PLAIN, rip=49.176.98.87, lip=113.212.99.194, TLS',
      );
      expect(dove.norm).toMatchObject({
        'source.ip': '49.176.98.87',
        'user.name': 'username.bob',
        'host.name': 'platypus',
      });
      expect(dove.format).toBe('syslog-file');
    });
  },
);

describe.skipIf(!has('suricata/eve.json'))(
  'Suricata EVE (skipped: ../shared/data/suricata absent)',
  () => {
    it('parses all 266 records with addresses, ports and HTTP fields', () => {
      const outs = parseAll(fs.readFileSync(path.join(DATA, 'suricata/eve.json'), 'utf8'));
      const evs = events(outs);
      expect(evs.length).toBe(266);
      expect(rejects(outs)).toEqual([]);
      expect(evs.every((e) => e.format === 'suricata-eve')).toBe(true);
      const alerts = evs.filter((e) => e.norm['event.dataset'] === 'suricata.alert');
      expect(alerts.length).toBe(68);
      expect(
        alerts.every((e) => typeof e.norm['rule.name'] === 'string' && e.norm['source.ip']),
      ).toBe(true);
      const http = evs.find((e) => e.norm['event.dataset'] === 'suricata.http')!;
      expect(http.norm['http.request.method']).toBe(http.fields['http.http_method']);
      expect(http.norm['url.original']).toBe(
        `http://${String(http.fields['http.hostname'])}${String(http.fields['http.url'])}`,
      );
      expect(evs[0].norm).toMatchObject({
        'source.ip': '172.17.0.2',
        'source.port': 55645,
        'destination.ip': '172.21.3.254',
        'destination.port': 53,
      });
      expect(evs[0].time).toBe('2017-01-30T15:12:26.985Z');
    });
  },
);

describe.skipIf(!has('zeek'))('Zeek TSV and JSON (skipped: ../shared/data/zeek absent)', () => {
  const read = (p: string) =>
    gunzipSync(fs.readFileSync(path.join(DATA, 'zeek', p))).toString('utf8');

  it('reads the TSV #fields header and types the columns', () => {
    const outs = parseAll(read('zeek-default/ssh.log.gz'));
    const evs = events(outs);
    expect(rejects(outs)).toEqual([]);
    expect(evs.length).toBe(22);
    expect(evs[0].format).toBe('zeek');
    expect(evs[0].fields).toMatchObject({
      _path: 'ssh',
      'id.orig_p': 59849,
      auth_success: true,
      version: 2,
    });
    expect(evs[0].norm).toMatchObject({
      'source.ip': '10.0.0.227',
      'destination.ip': '10.47.8.50',
      'destination.port': 22,
      'event.dataset': 'zeek.ssh',
    });
    expect(evs[0].time).toBe('2018-03-24T17:16:39.739Z');
    expect(evs[2].fields.auth_success).toBe(false);
  });

  it('gives the same addresses for the same connection in TSV and JSON', () => {
    const tsv = events(parseAll(read('zeek-default/ssh.log.gz')));
    const json = events(parseAll(read('zeek-json/ssh.json.gz')));
    expect(json.length).toBe(22);
    expect(
      json.map((e) => [e.fields.uid, e.norm['source.ip'], e.norm['destination.port']]),
    ).toEqual(tsv.map((e) => [e.fields.uid, e.norm['source.ip'], e.norm['destination.port']]));
  });

  it('rejects a data row before any #fields header with the reason', () => {
    expect(rejects(parseAll('a\tb\tc', 'zeek'))).toEqual([
      'zeek: data line before the #fields header',
    ]);
  });
});

describe('syslog and CEF', () => {
  it('parses RFC 5424 with structured data', () => {
    const e = one(
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry',
    );
    expect(e.format).toBe('syslog');
    expect(e.time).toBe('2003-10-11T22:14:15.003Z');
    expect(e.fields).toMatchObject({
      hostname: 'mymachine.example.com',
      program: 'evntslog',
      msgid: 'ID47',
      facility: 'local4',
      severity: 'notice',
      'exampleSDID@32473.eventID': '1011',
      message: 'An application event log entry',
    });
  });

  it('parses RFC 3164 with an OpenSSH failure', () => {
    const e = one(
      '<38>Feb  5 10:01:02 web1 sshd[1234]: Failed password for invalid user admin from 203.0.113.9 port 52311 ssh2',
    );
    expect(e.time).toBe('2024-02-05T10:01:02.000Z');
    expect(e.norm).toMatchObject({
      'host.name': 'web1',
      'source.ip': '203.0.113.9',
      'source.port': 52311,
      'user.name': 'admin',
      'event.dataset': 'sshd',
    });
    expect(e.fields).toMatchObject({
      program: 'sshd',
      pid: '1234',
      facility: 'auth',
      severity: 'info',
    });
  });

  it('parses a CEF payload inside syslog, with escapes', () => {
    const e = one(
      '<134>Feb  5 10:01:02 fw1 CEF:0|Sec|threat\\|mgr|1.0|100|worm stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232 suser=bob msg=a\\=b c request=http://x.example/a',
    );
    expect(e.format).toBe('cef');
    expect(e.fields).toMatchObject({
      deviceProduct: 'threat|mgr',
      name: 'worm stopped',
      severity: '10',
      msg: 'a=b c',
      src: '10.0.0.1',
    });
    expect(e.norm).toMatchObject({
      'source.ip': '10.0.0.1',
      'destination.ip': '2.1.2.2',
      'source.port': 1232,
      'user.name': 'bob',
      'url.original': 'http://x.example/a',
      'host.name': 'fw1',
    });
  });

  it('quarantines malformed syslog with the reason and keeps going', () => {
    const outs = parseAll(
      '<999>1 x\n<34>1 2003-10-11T22:14:15.003Z h a - - [unterminated x="1" msg\n<34>Oct 11 22:14:15 mymachine su: ok',
      'syslog',
    );
    expect(rejects(outs)).toEqual([
      'syslog: invalid PRI "<999>" at column 1',
      'syslog: unterminated structured data at column 1',
    ]);
    expect(events(outs).map((e) => e.fields.message)).toEqual(['ok']);
  });
});

describe('web server logs', () => {
  it('parses the combined format with Apache escapes', () => {
    const e = one(
      '192.0.2.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif?q=\\"x HTTP/1.0" 200 2326 "http://example.com/" "Mozilla/4.08 [en]"',
    );
    expect(e.format).toBe('access-log');
    expect(e.time).toBe('2000-10-10T20:55:36.000Z');
    expect(e.norm).toMatchObject({
      'source.ip': '192.0.2.1',
      'user.name': 'frank',
      'http.request.method': 'GET',
      'url.original': '/a.gif?q="x',
      'http.response.status_code': 200,
      'user_agent.original': 'Mozilla/4.08 [en]',
    });
  });

  it('splits the request URI into cs-uri-stem / url.path and cs-uri-query / url.query', () => {
    const e = one(
      '192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET http://example.com/a/b.php?x=1&y=%2F HTTP/1.0" 200 5 "-" "-"',
    );
    expect([e.fields['cs-uri-stem'], e.fields['cs-uri-query']]).toEqual(['/a/b.php', 'x=1&y=%2F']);
    expect([e.norm['url.path'], e.norm['url.query'], e.norm['url.original']]).toEqual([
      '/a/b.php',
      'x=1&y=%2F',
      'http://example.com/a/b.php?x=1&y=%2F',
    ]);
    const plain = one(
      '192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET /robots.txt HTTP/1.0" 404 0',
    );
    expect([plain.fields['cs-uri-stem'], 'cs-uri-query' in plain.fields]).toEqual([
      '/robots.txt',
      false,
    ]);
    expect([plain.norm['url.path'], plain.norm['url.query']]).toEqual(['/robots.txt', undefined]);
  });

  it.skipIf(!has('fail2ban_logs/php-url-fopen.log'))(
    'splits a real fail2ban php-url-fopen line at its first "?" (skipped if absent)',
    () => {
      const line = fs
        .readFileSync(path.join(DATA, 'fail2ban_logs/php-url-fopen.log'), 'utf8')
        .split('\n')
        .find((l) => l.startsWith('66.185.212.172 - - [26/Mar/2009:08:44:20'))!;
      const e = one(line);
      expect(e.fields['cs-uri-stem']).toBe('/index.php');
      expect(e.fields['cs-uri-query']).toBe('n=http://eatmyfood.hostinginfive.com/pizza.htm?');
      expect([e.norm['url.path'], e.norm['url.query'], e.norm['source.ip']]).toEqual([
        '/index.php',
        'n=http://eatmyfood.hostinginfive.com/pizza.htm?',
        '66.185.212.172',
      ]);
    },
  );

  it('parses nginx and Apache error logs', () => {
    const n = one(
      '2012/04/09 11:53:29 [error] 2865#0: *66647 user "xyz" was not found in "/var/www/.htpasswd", client: 192.0.43.10, server: www.myhost.com, request: "GET / HTTP/1.1", host: "www.myhost.com"',
    );
    expect([n.format, n.norm['source.ip'], n.norm['user.name'], n.fields.level]).toEqual([
      'nginx-error',
      '192.0.43.10',
      'xyz',
      'error',
    ]);
    const a = one(
      '[Sat Jul 20 21:34:49.453232 2013] [access_compat:error] [pid 17512:tid 140123104306944] [client 127.0.0.1:51380] AH01797: client denied by server configuration: /var/www/html/x',
    );
    expect([a.format, a.norm['source.ip'], a.norm['source.port'], a.fields.module, a.time]).toEqual(
      ['apache-error', '127.0.0.1', 51380, 'access_compat', '2013-07-20T21:34:49.453Z'],
    );
  });

  it('takes the web user only from its own place, never from the URL or referer', () => {
    const pick = (e: HaechiEvent) => [e.format, e.norm['source.ip'], e.norm['user.name'] ?? null];
    // Apache: the fail2ban apache-auth line whose path carries a fake "[client …] user root".
    expect(
      pick(
        one(
          '[Sat Jun 01 02:17:42 2013] [error] [client 192.168.33.1] File does not exist: /srv/http/site/[client 192.168.0.1] user root not found',
        ),
      ),
    ).toEqual(['apache-error', '192.168.33.1', null]);
    expect(
      pick(one('[Sat Jun 01 02:17:42 2013] [error] File does not exist: /x/user root not found')),
    ).toEqual(['apache-error', undefined, null]);
    expect(
      pick(
        one(
          '[Mon Nov 06 13:39:56.637868 2023] [auth_basic:error] [pid 3175001:tid 140494544914112] [remote 192.0.2.111:35924] AH01618: user whatever not found: /admin/user root not found',
        ),
      ),
    ).toEqual(['apache-error', '192.0.2.111', 'whatever']);
    expect(
      pick(
        one(
          "[Thu Jul 18 00:08:39 2013] [error] [client 127.0.0.1] Digest: user `alice' in realm `x' not found: /d",
        ),
      ),
    ).toEqual(['apache-error', '127.0.0.1', 'alice']);
    expect(
      pick(
        one(
          '[Sat Jul 20 22:11:44.147674 2013] [authz_owner:error] [pid 17540:tid 1] [client [2001:db8::7]:51548] AH01637: Authorization of user bob to access /o failed',
        ),
      ),
    ).toEqual(['apache-error', '2001:db8::7', 'bob']);
    // Apache in syslog: the same rule after the syslog head.
    expect(
      pick(
        one(
          'Feb 16 22:32:48 srv httpd[22034]: [error] [client 127.0.0.1] File does not exist: /a/user root not found',
        ),
      ),
    ).toEqual(['syslog-file', '127.0.0.1', null]);
    // nginx: a user phrase inside the quoted request is the client's text.
    expect(
      pick(
        one(
          '2020/11/25 16:02:45 [error] 1#1: *5 open() "/srv/user \'root\'" failed (2: No such file or directory), client: 192.0.2.9, server: x, request: "GET /user \'root\' HTTP/1.1"',
        ),
      ),
    ).toEqual(['nginx-error', '192.0.2.9', null]);
    expect(
      pick(
        one(
          'host nginx[9]: 2023/12/09 21:35:20 [error] 9#9: *3 user "eve" was not found in "/h", client: 192.0.2.3, server: h, request: "GET / HTTP/2.0"',
        ),
      ),
    ).toEqual(['syslog-file', '192.0.2.3', 'eve']);
    // Access log: the user field, not the path.
    expect(
      pick(
        one(
          '192.0.2.5 - - [10/Oct/2023:13:55:36 +0000] "GET /user%20root/ user root HTTP/1.1" 401 12 "-" "-"',
        ),
      ),
    ).toEqual(['access-log', '192.0.2.5', null]);
    expect(
      pick(one('192.0.2.5 - carol [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 12')),
    ).toEqual(['access-log', '192.0.2.5', 'carol']);
  });

  it('rejects a line of no known shape, with the reason', () => {
    expect(rejects(parseAll('hello world'))).toEqual([
      'unrecognized line: not JSON, syslog, CEF, Zeek, an access log or a timestamped service log',
    ]);
    expect(rejects(parseAll('hello world', 'access-log'))).toEqual([
      'access-log: line is not in combined/common log format',
    ]);
  });
});

// nginx writes `"`, `\`, control and non-ASCII bytes of the request line as \xHH.
function nginxEscape(s: string): string {
  let out = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    const plain = code >= 0x20 && code < 0x7f && c !== '"' && c !== '\\';
    out += plain ? c : `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

describe.skipIf(!has('crs_waf_tests'))(
  'CRS attack requests in nginx access logs (skipped: ../shared/data/crs_waf_tests absent)',
  () => {
    it('keeps the method, URI and user agent of every CRS test request', () => {
      const dir = path.join(DATA, 'crs_waf_tests');
      const requests: { method: string; uri: string; ua: string }[] = [];
      for (const sub of fs.readdirSync(dir).filter((d) => d.startsWith('REQUEST-'))) {
        for (const f of fs.readdirSync(path.join(dir, sub))) {
          const doc = parseYaml(fs.readFileSync(path.join(dir, sub, f), 'utf8')) as {
            tests?: { stages?: { input?: Record<string, unknown> }[] }[];
          };
          for (const t of doc.tests ?? [])
            for (const st of t.stages ?? []) {
              const inp = st.input ?? {};
              const uri = typeof inp.uri === 'string' ? inp.uri : undefined;
              const method = typeof inp.method === 'string' ? inp.method : 'GET';
              if (!uri || !/^[A-Z]+$/.test(method) || /[^\x20-\x7e]/.test(uri)) continue;
              const ua = String(
                (inp.headers as Record<string, unknown> | undefined)?.['User-Agent'] ?? '-',
              );
              requests.push({ method, uri, ua });
            }
        }
      }
      expect(requests.length).toBeGreaterThan(1000);
      const session = new ParserSession('auto');
      const wrong: string[] = [];
      requests.forEach((r, i) => {
        const line = `198.51.100.${i % 250} - - [03/Dec/2026:10:00:00 +0000] "${nginxEscape(`${r.method} ${r.uri} HTTP/1.1`)}" 403 153 "-" "${nginxEscape(r.ua)}"`;
        const o = session.parse(line, { source: 'crs', position: { record: i + 1 } });
        const n = o.ok === true ? o.event.norm : {};
        if (
          n['url.original'] !== r.uri ||
          n['http.request.method'] !== r.method ||
          n['user_agent.original'] !== (r.ua === '-' ? undefined : r.ua)
        ) {
          wrong.push(
            `${i}: ${r.method} ${r.uri.slice(0, 80)} → ${String(n['url.original']).slice(0, 80)}`,
          );
        }
      });
      expect(wrong).toEqual([]);
    });
  },
);

describe('service logs by their documented shapes', () => {
  const cases: [string, Record<string, unknown>][] = [
    [
      'Mar  1 10:00:00 bastion sshd[811]: Connection closed by authenticating user root 192.0.2.10 port 50022 [preauth]',
      {
        'source.ip': '192.0.2.10',
        'source.port': 50022,
        'user.name': 'root',
        'event.dataset': 'sshd',
      },
    ],
    [
      'Mar  1 10:00:00 bastion sshd[811]: Invalid user oracle from 192.0.2.11 port 41000',
      { 'source.ip': '192.0.2.11', 'source.port': 41000, 'user.name': 'oracle' },
    ],
    [
      'Mar  1 10:00:00 bastion sshd[811]: Accepted publickey for deploy from 2001:db8::7 port 22 ssh2: ED25519 SHA256:x',
      { 'source.ip': '2001:db8::7', 'user.name': 'deploy' },
    ],
    [
      'Mar  1 10:00:00 bastion sshd[811]: Disconnected from invalid user admin 192.0.2.12 port 2222 [preauth]',
      { 'source.ip': '192.0.2.12', 'user.name': 'admin' },
    ],
    [
      'Mar  1 10:00:00 mx postfix/smtpd[99]: warning: unknown[198.51.100.7]: SASL LOGIN authentication failed: UGFzc3dvcmQ6, sasl_username=info@example.com',
      { 'source.ip': '198.51.100.7', 'event.dataset': 'postfix' },
    ],
    [
      'Mar  1 10:00:00 mx postfix/smtpd[99]: NOQUEUE: reject: RCPT from mail.example.net[198.51.100.8]: 554 5.7.1 Relay access denied',
      { 'source.ip': '198.51.100.8', 'event.dataset': 'postfix' },
    ],
    [
      '2026-03-01 10:00:00.123 UTC [4242] LOG:  connection received: host=192.0.2.55 port=40112',
      {
        'source.ip': '192.0.2.55',
        'source.port': 40112,
        'event.dataset': 'postgresql',
        '@timestamp': '2026-03-01T10:00:00.123Z',
      },
    ],
    [
      '2026-03-01 10:00:01.000 UTC [4243] FATAL:  password authentication failed for user "postgres"',
      { 'user.name': 'postgres' },
    ],
  ];
  it.each(cases)('%s', (line, expected) => {
    expect(one(line).norm).toMatchObject(expected);
  });
});

describe.skipIf(!has('sigma/rules/linux') || !has('crs_waf_tests'))(
  'parsed lines reach their Sigma rules (skipped: ../shared/data/sigma or crs_waf_tests absent)',
  () => {
    it('routes sshd syslog to linux/sshd rules and access logs to webserver rules', async () => {
      const { loadRules, SigmaEngine } = await import('../../src/main/engine/sigma');
      const loaded = await loadRules([
        path.join(DATA, 'sigma/rules/linux'),
        path.join(DATA, 'sigma/rules/web'),
      ]);
      const engine = new SigmaEngine(loaded.rules);
      const ssh = one(
        '<38>Mar  1 10:00:00 bastion sshd[811]: fatal: Corrupted MAC on input. [preauth]',
      );
      expect(ssh.logsource).toEqual({ product: 'linux', service: 'sshd' });
      expect(engine.match(ssh).map((m) => m.ruleTitle)).toEqual([
        'Suspicious OpenSSH Daemon Error',
      ]);
      const web = one(
        '192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET /index.php?id=1%20union%20select%201,2 HTTP/1.0" 200 2326 "-" "sqlmap/1.0"',
      );
      expect(web.logsource).toEqual({ category: 'webserver' });
      expect(engine.match(web).map((m) => m.ruleTitle)).toContain('SQL Injection Strings In URI');
      // CRS 930110's path traversal request: the SigmaHQ rule reads cs-uri-query only.
      const crs = parseYaml(
        fs.readFileSync(
          path.join(DATA, 'crs_waf_tests/REQUEST-930-APPLICATION-ATTACK-LFI/930110.yaml'),
          'utf8',
        ),
      ) as { tests: { stages: { input: { uri?: string } }[] }[] };
      const uri = crs.tests
        .flatMap((t) => t.stages.map((st) => st.input.uri))
        .find((u) => u?.includes('etc/passwd'))!;
      expect(uri).toBe('/get?arg=../../../etc/passwd');
      const lfi = one(
        `198.51.100.7 - - [03/Dec/2026:10:00:00 +0000] "GET ${uri} HTTP/1.1" 403 153 "-" "-"`,
      );
      expect([lfi.fields['cs-uri-stem'], lfi.fields['cs-uri-query']]).toEqual([
        '/get',
        'arg=../../../etc/passwd',
      ]);
      expect(engine.match(lfi).map((m) => m.ruleTitle)).toContain(
        'Path Traversal Exploitation Attempts',
      );
    });
  },
);
