// Benchmark of the live feed: sustained events per second through syslog TCP and through NATS
// JetStream into a sink that scores every event (Sigma rules + indicators + score), the latency
// from send to scored alert at 5,000 events/s (p50, p99), and peak memory. Prints a table.
// Senders run in a child process (this file with --send), as a real sender would.
//
//   npm run bench:feed     (BENCH_EVENTS=N, BENCH_MAX_SECONDS=S per phase, BENCH_RATE=5000)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'nats';
import { parse as parseYaml } from 'yaml';
import { loadRules, SigmaEngine } from '../src/main/engine/sigma';
import { importIntel } from '../src/main/engine/intel/formats';
import { IntelStore } from '../src/main/engine/intel/store';
import { scoreMatch } from '../src/main/engine/score';
import { FeedManager } from '../src/main/feed/manager';
import { openSender, parseTarget, replay } from '../src/main/feed/replay';
import type { HaechiEvent } from '../src/shared/types';

const ROOT = path.resolve(import.meta.dirname, '..');
const DATA = path.resolve(process.env.HAECHI_DATA ?? path.join(ROOT, '../shared/data'));
const EVENTS = Number(process.env.BENCH_EVENTS ?? 300_000);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 120);
const RATE = Number(process.env.BENCH_RATE ?? 5000);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
/** Comma-separated phases to run (syslog, nats, latency); all by default. */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'syslog,nats,latency').split(','));
const now = () => performance.timeOrigin + performance.now();

// ---- sender role (child process) ---------------------------------------------------------------

async function sendRole(argv: string[]): Promise<void> {
  const arg = (n: string) => argv[argv.indexOf(n) + 1];
  const stamp = argv.includes('--stamp');
  const sender = await openSender(parseTarget(arg('--to')));
  // JSON lines get the send time as their first field, for the latency measurement.
  const onSend = stamp ? (line: string) => `{"bench_sent":${now()},${line.slice(1)}` : undefined;
  await replay(arg('--file'), sender, {
    rate: Number(arg('--rate')),
    limit: Number(arg('--limit')),
    loop: true,
    onSend,
  });
  await sender.close();
}

// ---- the workload: real lines from the shared data ----------------------------------------------

/** nginx's access-log escaping of the request line and user agent (\xHH). */
function nginxEscape(v: string): string {
  let out = '';
  for (const c of v) {
    const code = c.charCodeAt(0);
    out +=
      code >= 0x20 && code < 0x7f && c !== '"' && c !== '\\'
        ? c
        : `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The CRS regression-test requests (real attack payloads) as nginx access-log lines. */
function crsLines(): string[] {
  const dir = path.join(DATA, 'crs_waf_tests');
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const sub of fs.readdirSync(dir).filter((d) => d.startsWith('REQUEST-'))) {
    for (const f of fs.readdirSync(path.join(dir, sub))) {
      const doc = parseYaml(fs.readFileSync(path.join(dir, sub, f), 'utf8')) as {
        tests?: { stages?: { input?: Record<string, unknown> }[] }[];
      };
      for (const t of doc.tests ?? [])
        for (const st of t.stages ?? []) {
          const inp = st.input ?? {};
          if (typeof inp.uri !== 'string') continue;
          const ua = String(
            (inp.headers as Record<string, unknown> | undefined)?.['User-Agent'] ?? '-',
          );
          const client = `198.51.100.${out.length % 250}`;
          out.push(
            `${client} - - [03/Dec/2026:10:00:00 +0000] "${nginxEscape(`${String(inp.method ?? 'GET')} ${inp.uri} HTTP/1.1`)}" 403 153 "-" "${nginxEscape(ua)}"`,
          );
        }
    }
  }
  return out;
}

function workload(dir: string): { mixed: string; json: string; lines: number; crs: number } {
  const lines: string[] = [];
  const eve = fs
    .readFileSync(path.join(DATA, 'suricata/eve.json'), 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  lines.push(...eve);
  const f2b = path.join(DATA, 'fail2ban_logs');
  for (const f of fs.readdirSync(f2b).filter((x) => x.endsWith('.log'))) {
    for (const l of fs.readFileSync(path.join(f2b, f), 'utf8').split('\n'))
      if (l.trim() && !l.startsWith('#')) lines.push(l);
  }
  const crs = crsLines();
  lines.push(...crs);
  const mixed = path.join(dir, 'mixed.log');
  const json = path.join(dir, 'eve.json');
  fs.writeFileSync(mixed, lines.join('\n') + '\n');
  fs.writeFileSync(json, eve.join('\n') + '\n');
  return { mixed, json, lines: lines.length, crs: crs.length };
}

// ---- the scoring sink ---------------------------------------------------------------------------

interface Scorer {
  sink: (events: HaechiEvent[]) => Promise<void>;
  stats: {
    events: number;
    matches: number;
    alerts: number;
    intelHits: number;
    latencies: number[];
  };
  rules: number;
  indicators: number;
}

async function scorer(): Promise<Scorer> {
  const loaded = await loadRules([
    path.join(ROOT, 'resources/rules'),
    path.join(DATA, 'sigma/rules'),
  ]);
  const engine = new SigmaEngine(loaded.rules);
  const intel = new IntelStore();
  for (const f of ['ipsum/levels_4.txt', 'stix/schemas_apt1.json', 'misp/existing_event.json']) {
    intel.upsert(
      importIntel(f, fs.readFileSync(path.join(DATA, 'threat_intel', f), 'utf8')).indicators,
    );
  }
  // A watch-list range over the CRS replay's client addresses, so the indicator path is exercised.
  intel.upsert(importIntel('bench-watchlist', '198.51.100.0/25\n').indicators);
  const stats = { events: 0, matches: 0, alerts: 0, intelHits: 0, latencies: [] as number[] };
  const sink = async (events: HaechiEvent[]) => {
    for (const e of events) {
      const matches = engine.match(e);
      const hits = intel.match(e);
      for (const m of matches)
        if (scoreMatch({ match: m, intel: hits }).score >= 0) stats.alerts += 1;
      stats.events += 1;
      stats.matches += matches.length;
      stats.intelHits += hits.length;
      const sent = e.fields.bench_sent;
      if (typeof sent === 'number') stats.latencies.push(now() - sent);
    }
  };
  return { sink, stats, rules: loaded.rules.length, indicators: intel.size };
}

// ---- phases -------------------------------------------------------------------------------------

let peakRss = 0;

function sender(args: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, '--send', ...args],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return new Promise<void>((resolve, reject) =>
    child.on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`sender exited ${c}`)))),
  );
}

async function until(cond: () => boolean, seconds: number): Promise<boolean> {
  const end = Date.now() + seconds * 1000;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

interface Row {
  phase: string;
  events: number;
  seconds: number;
  eps: number;
  /** Events per CPU second of this (consumer) process: fair on a machine shared with other work. */
  cpuEps?: number;
  p50?: number;
  p99?: number;
  note: string;
}

function cpuSeconds(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function throughputSyslog(s: Scorer, file: string, port: number): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-feed-'));
  const feed = new FeedManager({ sink: s.sink, dataDir: dir, queueCapacity: 20_000 });
  await feed.save({ name: 'tcp', kind: 'syslog-tcp', enabled: true, options: { port } });
  const start = s.stats.events;
  const sending = sender([
    '--to',
    `syslog+tcp://127.0.0.1:${port}`,
    '--file',
    file,
    '--rate',
    '0',
    '--limit',
    String(EVENTS),
  ]);
  await until(() => s.stats.events > start, 30);
  const t0 = now();
  const c0 = process.cpuUsage();
  const ok = await until(() => s.stats.events - start >= EVENTS, MAX_SECONDS);
  const secs = (now() - t0) / 1000;
  const cpu = cpuSeconds(c0);
  await sending;
  const st = feed.list()[0];
  await feed.close();
  const n = s.stats.events - start;
  return {
    phase: 'syslog TCP → parse → score',
    events: n,
    seconds: secs,
    eps: Math.round(n / secs),
    cpuEps: Math.round(n / cpu),
    note: `${ok ? '' : 'TIMED OUT; '}rejected ${st.rejected}`,
  };
}

async function throughputNats(s: Scorer, file: string, natsPort: number): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-feed-'));
  const nc = await connect({ servers: `nats://127.0.0.1:${natsPort}` });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: 'BENCH', subjects: ['bench.events'] });
  // Fill the stream first, so the figure is the consumer's: JetStream → parse → score → ack.
  await sender([
    '--to',
    `nats://127.0.0.1:${natsPort}/bench.events`,
    '--file',
    file,
    '--rate',
    '0',
    '--limit',
    String(EVENTS),
  ]);
  const feed = new FeedManager({ sink: s.sink, dataDir: dir, queueCapacity: 20_000 });
  const start = s.stats.events;
  const t0 = now();
  const c0 = process.cpuUsage();
  await feed.save({
    name: 'js',
    kind: 'nats',
    enabled: true,
    options: {
      url: `nats://127.0.0.1:${natsPort}`,
      stream: 'BENCH',
      subject: 'bench.events',
      durable: 'bench',
      batch: 2000,
    },
  });
  const ok = await until(() => s.stats.events - start >= EVENTS, MAX_SECONDS);
  const secs = (now() - t0) / 1000;
  const cpu = cpuSeconds(c0);
  await feed.close();
  const info = await jsm.consumers.info('BENCH', 'bench');
  await nc.close();
  const n = s.stats.events - start;
  return {
    phase: 'JetStream → parse → score → ack',
    events: n,
    seconds: secs,
    eps: Math.round(n / secs),
    cpuEps: Math.round(n / cpu),
    note: `${ok ? '' : 'TIMED OUT; '}unacked after stop ${info.num_ack_pending}, pending ${info.num_pending}`,
  };
}

async function latency(
  s: Scorer,
  label: string,
  to: string,
  json: string,
  feedOpts: Parameters<FeedManager['save']>[0],
): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-feed-'));
  const feed = new FeedManager({ sink: s.sink, dataDir: dir });
  await feed.save(feedOpts);
  const n = RATE * LATENCY_SECONDS;
  s.stats.latencies = [];
  const start = s.stats.events;
  const t0 = now();
  await sender([
    '--to',
    to,
    '--file',
    json,
    '--rate',
    String(RATE),
    '--limit',
    String(n),
    '--stamp',
  ]);
  await until(() => s.stats.events - start >= n, 30);
  const secs = (now() - t0) / 1000;
  await feed.close();
  const lat = [...s.stats.latencies].sort((a, b) => a - b);
  return {
    phase: `${label} at ${RATE} ev/s`,
    events: lat.length,
    seconds: secs,
    eps: Math.round(lat.length / secs),
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    note: `max ${lat[lat.length - 1]?.toFixed(1)} ms`,
  };
}

async function startNats(dir: string, port: number) {
  const proc = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], {
    stdio: 'ignore',
  });
  await new Promise((r) => setTimeout(r, 700));
  return proc;
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(DATA, 'suricata/eve.json'))) {
    console.log(`bench:feed skipped: ${DATA}/suricata/eve.json not found (set HAECHI_DATA)`);
    return;
  }
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-feed-'));
  const files = workload(dir);
  const s = await scorer();
  const base = 42900 + Math.floor(Math.random() * 40);
  const nats = await startNats(path.join(dir, 'js'), base + 50);
  const rows: Row[] = [];
  try {
    if (ONLY.has('syslog')) rows.push(await throughputSyslog(s, files.mixed, base));
    if (ONLY.has('nats')) rows.push(await throughputNats(s, files.mixed, base + 50));
    if (ONLY.has('latency')) await latencies(s, files.json, base, rows);
  } finally {
    nats.kill('SIGTERM');
    clearInterval(sampler);
  }
  print(rows, s, files.lines, files.crs);
}

async function latencies(s: Scorer, json: string, base: number, rows: Row[]): Promise<void> {
  rows.push(
    await latency(s, 'syslog TCP send → scored', `syslog+tcp://127.0.0.1:${base + 1}`, json, {
      name: 'lt',
      kind: 'syslog-tcp',
      enabled: true,
      options: { port: base + 1 },
    }),
  );
  await connect({ servers: `nats://127.0.0.1:${base + 50}` }).then(async (nc) => {
    await (await nc.jetstreamManager()).streams.add({ name: 'LAT', subjects: ['bench.lat'] });
    await nc.close();
  });
  rows.push(
    await latency(s, 'JetStream send → scored', `nats://127.0.0.1:${base + 50}/bench.lat`, json, {
      name: 'ln',
      kind: 'nats',
      enabled: true,
      options: {
        url: `nats://127.0.0.1:${base + 50}`,
        stream: 'LAT',
        subject: 'bench.lat',
        durable: 'lat',
        batch: 500,
      },
    }),
  );
}

function print(rows: Row[], s: Scorer, lines: number, crs: number): void {
  const f = (v: number | undefined, d = 1) => (v === undefined ? '—' : v.toFixed(d));
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(
    `\nHaechi live feed benchmark — ${os.cpus().length} cores, Node ${process.version}, load average ${load}`,
  );
  console.log(
    `workload: ${lines} real lines (Suricata EVE, fail2ban service logs, ${crs} CRS attack requests as nginx access-log lines) repeated`,
  );
  console.log(
    `scoring on: ${s.rules} Sigma rules (starter pack + SigmaHQ), ${s.indicators} indicators, score per match\n`,
  );
  console.log(
    '| phase | events | seconds | events/s (wall) | events/CPU-s (consumer) | p50 ms | p99 ms | note |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows)
    console.log(
      `| ${r.phase} | ${r.events} | ${f(r.seconds, 2)} | ${r.eps} | ${r.cpuEps ?? '—'} | ${f(r.p50)} | ${f(r.p99)} | ${r.note} |`,
    );
  console.log(
    `\nscored: ${s.stats.events} events, ${s.stats.matches} rule matches → ${s.stats.alerts} alerts, ${s.stats.intelHits} indicator hits`,
  );
  console.log(`peak memory (RSS, consumer process): ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
}

if (process.argv.includes('--send')) await sendRole(process.argv);
else await main();
