// Time to contain, end to end: access-log lines arrive over loopback TCP (the feed), are parsed by
// the feed's parser, matched by the Sigma engine with Haechi's starter rules, scored, turned into
// block actions by auto playbooks, carried out by nftables (in a network namespace) and nginx
// (deny list + reload), and counted once each block is confirmed in force — while a background
// of benign traffic flows at ≥ 5,000 events a second. Bounded: 100 attacks per enforcer, 30 s.
//
//   npm run bench:contain
import { spawn } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Store } from '../src/main/store';
import { loadRules, SigmaEngine } from '../src/main/engine/sigma';
import { scoreMatch } from '../src/main/engine/score';
import { ParserSession } from '../src/main/feed/parsers';
import { NftablesEnforcer } from '../src/main/response/enforcers/nftables';
import { NginxEnforcer } from '../src/main/response/enforcers/nginx';
import { ResponseService } from '../src/main/response/service';
import { parsePlaybook } from '../src/main/response/playbook';
import { percentile } from '../src/main/response/stats';
import { silentLogger } from '../src/main/response/log';
import type { Alert, HaechiEvent } from '../src/shared/types';
import { netnsUnavailable, nginxUnavailable } from '../tests/response/helpers';
import { createLab } from '../tests/response/netns';
import { startNginx } from '../tests/response/nginx-lab';

const ATTACKS_PER_ENFORCER = 100;
const ATTACK_EVERY_MS = 50;
const BACKGROUND_EPS = Number(process.env.BENCH_EPS ?? 6_500);
const MAX_MS = 30_000;
/** Background only, before the first attack: a running system, not a cold start. */
const WARMUP_MS = 1_000;

const stamp = () =>
  new Date().toUTCString().replace(/^\w+, (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1/$2/$3:$4 +0000');
const attack = (ip: string) =>
  `${ip} - - [${stamp()}] "GET /item.php?id=1%20union%20select%20password%20from%20users HTTP/1.1" 200 312 "-" "sqlmap/1.7"`;

/** The background sender: benign access-log lines at EPS for DURATION ms, in 10 ms slices. */
const LOAD_SCRIPT = `
const [port, eps, duration] = process.argv.slice(1).map(Number);
const sock = require('net').connect(port, '127.0.0.1', () => {
  const start = Date.now(); let sent = 0;
  const stamp = () => new Date().toUTCString().replace(/^\\w+, (\\d+) (\\w+) (\\d+) ([\\d:]+) GMT$/, '$1/$2/$3:$4 +0000');
  const tick = () => {
    const now = Date.now();
    if (now - start >= duration) return sock.end();
    const due = Math.floor(((now - start) / 1000) * eps) - sent;
    const lines = [];
    for (let i = 0; i < due; i++) { const n = sent + i; lines.push('192.0.2.' + ((n % 200) + 1) + ' - - [' + stamp() + '] "GET /news/' + (n % 97) + '.html HTTP/1.1" 200 5120 "-" "Mozilla/5.0"'); }
    sent += Math.max(0, due);
    if (lines.length) sock.write(lines.join('\\n') + '\\n');
    setTimeout(tick, 10);
  };
  tick();
});
`;

function playbook(name: string, enforcer: string, cidr: string) {
  const yaml = `name: ${name}\nmode: auto\nwhen:\n  minScore: 50\n  fields:\n    - { field: source.ip, op: in-cidr, value: ${cidr} }\nthen:\n  - { action: block-ip, ttl: 10m, enforcer: ${enforcer} }\n`;
  return parsePlaybook(yaml, `${name}.yaml`);
}

/** The feed: newline-framed lines over TCP; each event is stamped on arrival. */
function feed(onEvent: (ev: HaechiEvent) => void, counts: { events: number }) {
  const session = new ParserSession('auto');
  return createServer((socket: Socket) => {
    let rest = '';
    socket.on('data', (chunk: Buffer) => {
      const receivedAt = Date.now();
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const out = session.parse(line, {
          source: 'bench-tcp',
          position: { seq: counts.events },
          receivedAt,
        });
        counts.events += 1;
        if (out.ok === true) onEvent(out.event);
      }
    });
  });
}

async function main(): Promise<number> {
  const why = netnsUnavailable() ?? nginxUnavailable();
  if (why) {
    process.stdout.write(`time-to-contain skipped: ${why}\n`);
    return 0;
  }
  const lab = await createLab('b', 43050);
  const web = await startNginx({
    port: 43051,
    serverLines: ['include haechi-deny.conf;'],
    files: { 'haechi-deny.conf': '' },
  });
  const counts = { events: 0 };
  const server = feed((ev) => onEvent(ev), counts);
  try {
    const nft = new NftablesEnforcer('nft', { netns: lab.srv });
    await nft.setup();
    const nginx = new NginxEnforcer('nginx', {
      conf: web.conf,
      prefix: web.prefix,
      denyFile: join(web.prefix, 'haechi-deny.conf'),
      probeUrl: web.url,
    });
    const { rules, problems } = await loadRules([join(import.meta.dirname, '../resources/rules')]);
    if (!rules.length)
      throw new Error(`no rules loaded: ${problems.map((p) => p.message).join('; ')}`);
    const engine = new SigmaEngine(rules);
    const svc = await ResponseService.create({
      store: await Store.memory(),
      enforcers: [nft, nginx],
      playbooks: [
        playbook('contain-nft', 'nft', '10.250.0.0/16'),
        playbook('contain-nginx', 'nginx', '127.0.0.0/8'),
      ],
      // The nginx probe must come from the blocked address, so the bench attacks from 127.0.1.x.
      allowlist: { loopback: false },
      blocksPerMinute: 10_000,
      logger: silentLogger,
    });
    let alerts = 0;
    const onEventImpl = (ev: HaechiEvent) => {
      for (const m of engine.match(ev)) {
        const s = scoreMatch({ match: m });
        const alert: Alert = {
          id: `al-${++alerts}`,
          time: ev.time,
          createdAt: Date.now(),
          score: s.score,
          severity: s.severity,
          title: m.ruleTitle,
          ruleId: m.ruleId,
          tags: m.tags,
          parts: s.parts,
          eventIds: [ev.id],
          sourceIp: ev.norm['source.ip'],
        };
        svc.onAlert(alert, ev);
      }
    };
    onEvent = onEventImpl;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const client = connect(port, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));

    // Background traffic comes from another process (as from a collector on another host), on
    // its own connection; attacks come on a second connection, one every ATTACK_EVERY_MS.
    const duration = WARMUP_MS + ATTACKS_PER_ENFORCER * 2 * ATTACK_EVERY_MS + 500;
    const load = spawn(
      process.execPath,
      ['-e', LOAD_SCRIPT, String(port), String(BACKGROUND_EPS), String(duration)],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    const loadDone = new Promise((r) => load.once('exit', r));
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const start = Date.now();
    let attacks = 0;
    const targets: string[] = [];
    for (let i = 0; i < ATTACKS_PER_ENFORCER; i += 1)
      targets.push(`10.250.${1 + Math.floor(i / 200)}.${(i % 200) + 10}`, `127.0.1.${i + 10}`);
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    while (attacks < targets.length && Date.now() - start < MAX_MS) {
      if (Date.now() - start >= WARMUP_MS + attacks * ATTACK_EVERY_MS)
        client.write(attack(targets[attacks++]) + '\n');
      await new Promise((r) => setTimeout(r, 2));
    }
    await loadDone;
    const elapsed = (Date.now() - start) / 1000;
    client.end();
    await svc.idle();
    await new Promise((r) => setTimeout(r, 200));

    // The table.
    const rows = ['nft', 'nginx'].map((name) => {
      const acts = svc.listActions({ limit: 5000 }).filter((a) => a.enforcer === name);
      const times = acts
        .filter((a) => a.state === 'applied')
        .map((a) => a.timeToContainMs!)
        .sort((x, y) => x - y);
      return {
        name,
        n: times.length,
        failed: acts.length - times.length,
        p50: percentile(times, 50),
        p99: percentile(times, 99),
        max: times.at(-1) ?? null,
      };
    });
    lag.disable();
    const eps = Math.round(counts.events / elapsed);
    if (process.env.BENCH_DEBUG) {
      const slow = svc
        .listActions({ limit: 5000 })
        .sort((x, y) => y.timeToContainMs! - x.timeToContainMs!)
        .slice(0, 6);
      for (const a of slow)
        process.stderr.write(
          `slow ${a.enforcer} ${a.target} ${a.timeToContainMs} ms attempts ${a.attempts}\n`,
        );
    }
    const out = process.stdout;
    out.write(
      `feed: ${counts.events} events in ${elapsed.toFixed(1)} s (${eps} ev/s over loopback TCP), ${alerts} alerts, rules ${rules.length}\n`,
    );
    const ms = (ns: number) => (ns / 1e6).toFixed(0);
    out.write(
      `event-loop delay in this process: p50 ${ms(lag.percentile(50))} ms, p99 ${ms(lag.percentile(99))} ms; ` +
        `host load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores\n`,
    );
    out.write('enforcer  n    not-applied  p50 ms  p99 ms  max ms\n');
    for (const r of rows)
      out.write(
        `${r.name.padEnd(9)} ${String(r.n).padEnd(4)} ${String(r.failed).padEnd(12)} ${String(r.p50).padEnd(7)} ${String(r.p99).padEnd(7)} ${r.max}\n`,
      );
    out.write(
      'targets: nft p99 < 100 ms, nginx p99 < 1000 ms; reference: city SOC 6000 ms, CrowdSec bouncer ~400 ms\n',
    );
    const [n, g] = rows;
    out.write(
      `time-to-contain nft p50=${n.p50} p99=${n.p99} nginx p50=${g.p50} p99=${g.p99} (ms)\n`,
    );
    await svc.close();
    return n.n === ATTACKS_PER_ENFORCER && g.n === ATTACKS_PER_ENFORCER ? 0 : 1;
  } finally {
    server.close();
    await web.stop();
    lab.destroy();
  }
}

let onEvent: (ev: HaechiEvent) => void = () => {};
main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`bench:contain failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
