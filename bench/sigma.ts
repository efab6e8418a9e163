// Benchmark of the Sigma engine: >= 1,000,000 events made by repeating the JSON events of
// ../shared/data/security_datasets, every SigmaHQ rule that loads, one core (one Node thread).
// Prints a table; bounded in time (BENCH_MAX_SECONDS, default 240 s per phase).
//
//   npm run bench:sigma            (BENCH_EVENTS=N to change the event count)
//
// No heap cap: matching allocates little per event (the per-event cache of lower-cased values is
// two arrays reused from event to event), so peak RSS stays well under 500 MB with V8's defaults.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { loadRules, regexStats, SigmaEngine, type CompiledRule } from '../src/main/engine/sigma';
import { jsonToEvent } from '../src/main/feed/eventfile';

const DATA = resolve(process.env.HAECHI_DATA ?? join(import.meta.dirname, '../../shared/data'));
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 240);
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 50_000);

function jsonLines(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...jsonLines(full));
    else if (name.endsWith('.json')) {
      for (const line of readFileSync(full, 'utf8').split('\n')) if (line.trim()) out.push(line);
    }
  }
  return out;
}

interface Run {
  events: number;
  /** CPU seconds of this process (user + system): fair on a machine shared with other work. */
  seconds: number;
  wall: number;
  matches: number;
}

/** Parses, flattens and (with an engine) matches `n` events cycling over the input lines. */
function pass(lines: string[], n: number, engine: SigmaEngine | null): Run {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const deadline = t0 + MAX_SECONDS * 1000;
  let matches = 0;
  let i = 0;
  for (; i < n; i++) {
    const raw = lines[i % lines.length];
    const ev = jsonToEvent(JSON.parse(raw) as object, raw, { source: 'bench', record: i + 1 });
    if (engine) matches += engine.match(ev).length;
    if ((i & 0xfff) === 0 && performance.now() > deadline) break;
  }
  const cpu = process.cpuUsage(c0);
  return {
    events: i,
    seconds: (cpu.user + cpu.system) / 1e6,
    wall: (performance.now() - t0) / 1000,
    matches,
  };
}

function eps(r: Run): number {
  return Math.round(r.events / r.seconds);
}

function row(label: string, value: string): void {
  process.stdout.write(`| ${label.padEnd(44)} | ${value.padStart(22)} |\n`);
}

async function main(): Promise<void> {
  if (!existsSync(join(DATA, 'sigma')) || !existsSync(join(DATA, 'security_datasets'))) {
    process.stdout.write(`bench:sigma skipped: ${DATA}/sigma or security_datasets is absent\n`);
    return;
  }
  const t0 = performance.now();
  const loaded = await loadRules([join(DATA, 'sigma')]);
  const loadMs = performance.now() - t0;
  const rules: CompiledRule[] = loaded.rules;
  const lines = jsonLines(join(DATA, 'security_datasets'));
  const engine = new SigmaEngine(rules);

  // Warm up both paths, then measure parse+flatten alone and parse+flatten+match.
  const loadBefore = loadavg()[0];
  pass(lines, 20_000, engine);
  const parseOnly = pass(lines, EVENTS, null);
  const full = pass(lines, EVENTS, engine);
  const rssMain = process.resourceUsage().maxRSS / 1024;
  const loadAfter = loadavg()[0];
  const matchSeconds = Math.max(
    1e-9,
    full.seconds - parseOnly.seconds * (full.events / parseOnly.events),
  );

  // What routing and prefiltering bought, on a smaller sample.
  const sample = Math.min(SAMPLE, EVENTS);
  const noRouteNoPre = pass(
    lines,
    Math.min(sample, 3000),
    new SigmaEngine(rules, { routing: false, prefilter: false }),
  );
  const routeNoPre = pass(lines, sample, new SigmaEngine(rules, { prefilter: false }));
  const both = pass(lines, sample, new SigmaEngine(rules));
  const rssAll = process.resourceUsage().maxRSS / 1024;
  const re = regexStats();

  process.stdout.write(`\nSigma engine benchmark (Node ${process.version}, one thread)\n\n`);
  row('measure', 'value');
  process.stdout.write(`|${'-'.repeat(46)}|${'-'.repeat(24)}|\n`);
  row(
    'load average (1 min) before / after the runs',
    `${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)}`,
  );
  row('input lines (security_datasets JSON events)', String(lines.length));
  row('rules loaded / rejected', `${rules.length} / ${loaded.problems.length}`);
  row('rule load time', `${(loadMs / 1000).toFixed(2)} s`);
  row('regex engines (native safe / RE2JS)', `${re.native} / ${re.re2}`);
  row('events (engine run)', String(full.events));
  row('events/s engine (parse+flatten+match)', eps(full).toLocaleString('en'));
  row('  same, by wall clock', Math.round(full.events / full.wall).toLocaleString('en'));
  row('events/s parse+flatten only', eps(parseOnly).toLocaleString('en'));
  row('ratio engine / parse-only', (eps(full) / eps(parseOnly)).toFixed(2));
  row('events/s of matching alone', Math.round(full.events / matchSeconds).toLocaleString('en'));
  row('matches', String(full.matches));
  row(
    'V8 heap limit (--max-old-space-size)',
    `${(getHeapStatistics().heap_size_limit / 1048576).toFixed(0)} MB`,
  );
  row('peak RSS (rule load + engine run)', `${rssMain.toFixed(0)} MB`);
  row('peak RSS (with the comparison engines)', `${rssAll.toFixed(0)} MB`);
  row(
    `no routing, no prefilter (${noRouteNoPre.events} ev)`,
    `${eps(noRouteNoPre).toLocaleString('en')} ev/s`,
  );
  row(`routing, no prefilter (${sample} ev)`, `${eps(routeNoPre).toLocaleString('en')} ev/s`);
  row(`routing + prefilter (${sample} ev)`, `${eps(both).toLocaleString('en')} ev/s`);
  process.stdout.write(
    `\nmatches: ${noRouteNoPre.matches} in ${noRouteNoPre.events} events without routing (rules firing ` +
      `outside their log source), ${routeNoPre.matches} / ${both.matches} in ${both.events} events with ` +
      `routing, without / with prefilter (equal: the prefilter never drops a match)\n` +
      `events/s are per CPU second of this process (user+system); the machine may be shared\n`,
  );
  if (full.events < EVENTS)
    process.stdout.write(`stopped at the ${MAX_SECONDS} s bound before ${EVENTS} events\n`);
}

await main();
