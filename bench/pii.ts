// `npm run bench:pii`: precision, recall and F1 per type on Presidio's recognizer vectors, and
// throughput on a large plain text and on the e-mails — for Haechi and, in the same run, for the
// npm packages redact-pii and @openredaction/openredaction. Prints tables; asserts nothing.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/main/pii/analyzer';
import { scanDocument } from '../src/main/pii/documents';
import { evaluate, f1, loadVectors, scorable, type Tally, type VectorCase } from './pii-vectors';
import { openRedaction, redactPii, type Peer } from './pii-peers';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/data');
const VECTORS = path.join(DATA, 'pii_vectors/presidio_recognizer_vectors.json');
const SYNTH = path.join(DATA, 'pii_vectors/presidio_research_synth_dataset_v2.part_shared.json');
const TYPES = new Set([
  'CREDIT_CARD',
  'CRYPTO',
  'EMAIL_ADDRESS',
  'IBAN_CODE',
  'IP_ADDRESS',
  'KR_BRN',
  'KR_DRIVER_LICENSE',
  'KR_FRN',
  'KR_PASSPORT',
  'KR_RRN',
  'MAC_ADDRESS',
  'PHONE_NUMBER',
  'URL',
  'US_SSN',
]);
const CORPUS_BYTES = 16 * 1024 * 1024;
const TIME_BUDGET_MS = 10_000;
const CHUNK = 64 * 1024;

interface Tool {
  name: string;
  spans(text: string, entity: string): Array<[number, number]>;
  scanText(text: string): void;
}

const fmt = (n: number) => n.toFixed(3);
const pad = (s: string, n: number) => s.padEnd(n);

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? files(p) : [p];
    });
}

function haechi(): Tool {
  return {
    name: 'haechi',
    spans: (text, entity) => analyze(text, { types: [entity] }).map((f) => [f.start, f.end]),
    scanText: (text) => void analyze(text),
  };
}

function fromPeer(peer: Peer): Tool {
  return {
    name: peer.name,
    spans: (text, entity) => {
      try {
        return peer.detect(text).get(entity) ?? [];
      } catch {
        return [];
      }
    },
    scanText: (text) => peer.run(text),
  };
}

function total(tallies: Map<string, Tally>): Tally {
  const t: Tally = { tp: 0, fp: 0, fn: 0, cases: 0, wrongCases: 0 };
  for (const v of tallies.values()) {
    t.tp += v.tp;
    t.fp += v.fp;
    t.fn += v.fn;
    t.cases += v.cases;
    t.wrongCases += v.wrongCases;
  }
  return t;
}

async function accuracy(
  tools: Tool[],
  cases: VectorCase[],
): Promise<Map<string, Map<string, Tally>>> {
  const results = new Map<string, Map<string, Tally>>();
  for (const tool of tools)
    results.set(tool.name, await evaluate(cases, (text, e) => tool.spans(text, e)));
  const header = [
    'type'.padEnd(18),
    'cases'.padStart(5),
    ...tools.map((t) => `${t.name} P / R / F1`.padEnd(34)),
  ].join(' | ');
  console.log(`\n## Presidio recognizer vectors (${cases.length} cases; exact spans)\n`);
  console.log(header);
  const row = (label: string, pick: (m: Map<string, Tally>) => Tally) => {
    const cells = tools.map((t) => {
      const s = f1(pick(results.get(t.name)!));
      return `${fmt(s.p)} / ${fmt(s.r)} / ${fmt(s.f)}`.padEnd(34);
    });
    const count = pick(results.get(tools[0].name)!).cases;
    console.log([pad(label, 18), String(count).padStart(5), ...cells].join(' | '));
  };
  for (const type of [...TYPES].sort())
    row(type, (m) => m.get(type) ?? { tp: 0, fp: 0, fn: 0, cases: 0, wrongCases: 0 });
  row('overall (micro)', total);
  return results;
}

function koreanCases(results: Map<string, Tally>): string {
  let right = 0;
  let all = 0;
  for (const [type, t] of results) {
    if (!type.startsWith('KR_')) continue;
    all += t.cases;
    right += t.cases - t.wrongCases;
  }
  return `${right}/${all}`;
}

/** Real text: the sample documents and the text parts of every e-mail, repeated to the size. */
async function corpus(): Promise<string> {
  const pieces: string[] = [];
  for (const f of files(path.join(DATA, 'sample_documents')).filter((f) => f.endsWith('.txt')))
    pieces.push(readFileSync(f, 'utf8'));
  for (const f of files(path.join(DATA, 'emails'))) {
    try {
      const r = await scanDocument(f, readFileSync(f), { types: ['EMAIL_ADDRESS'] });
      for (const p of r.parts) pieces.push(p.text);
    } catch {
      // unreadable messages add nothing to the corpus
    }
  }
  const base = pieces.join('\n');
  const reps = Math.min(10_000, Math.ceil(CORPUS_BYTES / Buffer.byteLength(base)));
  return base.repeat(reps);
}

function chunksOf(text: string): string[] {
  const out: string[] = [];
  for (let at = 0; at < text.length;) {
    let end = Math.min(text.length, at + CHUNK);
    const nl = text.lastIndexOf('\n', end);
    if (end < text.length && nl > at) end = nl + 1;
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

interface Speed {
  wall: number;
  cpu: number;
  mb: number;
  note: string;
}

/** MB/s over the chunks by wall clock and by CPU time, stopping at the time budget. */
function throughput(tool: Tool, chunks: string[]): Speed {
  let bytes = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  let done = 0;
  for (const c of chunks) {
    tool.scanText(c);
    bytes += Buffer.byteLength(c);
    done++;
    if (performance.now() - start > TIME_BUDGET_MS) break;
  }
  const seconds = (performance.now() - start) / 1000;
  const note = done < chunks.length ? `stopped at the ${TIME_BUDGET_MS / 1000} s budget` : 'all';
  return {
    wall: bytes / 1e6 / seconds,
    cpu: bytes / 1e6 / (cpuMs(cpu) / 1000),
    mb: bytes / 1e6,
    note,
  };
}

function speedRow(name: string, r: Speed): string {
  return `${pad(name, 30)} | ${r.wall.toFixed(2).padStart(9)} | ${r.cpu.toFixed(2).padStart(8)} | ${r.mb.toFixed(1).padStart(7)} | ${r.note}`;
}

async function emailThroughput(): Promise<Speed> {
  const mails = files(path.join(DATA, 'emails'))
    .map((f) => ({ f, bytes: readFileSync(f) }))
    .filter((m) => m.bytes.length > 0);
  let bytes = 0;
  let rounds = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (rounds < 50 && performance.now() - start < 5000) {
    for (const m of mails) {
      try {
        await scanDocument(m.f, m.bytes);
      } catch {
        // a malformed message still costs its time
      }
      bytes += m.bytes.length;
    }
    rounds++;
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    wall: bytes / 1e6 / seconds,
    cpu: bytes / 1e6 / (cpuMs(cpu) / 1000),
    mb: bytes / 1e6,
    note: `${rounds} rounds over ${mails.length} messages`,
  };
}

async function speed(tools: Tool[]): Promise<void> {
  const text = await corpus();
  const chunks = chunksOf(text);
  const [load] = os.loadavg();
  console.log(
    `\n## Throughput (plain text: ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB of real text repeated, ${CHUNK / 1024} KB chunks; ${os.cpus().length} cores, load average ${load.toFixed(1)} at start)\n`,
  );
  console.log(
    `${pad('tool', 30)} | ${'wall MB/s'.padStart(9)} | ${'CPU MB/s'.padStart(8)} | ${'MB read'.padStart(7)} | note`,
  );
  for (const tool of tools) console.log(speedRow(tool.name, throughput(tool, chunks)));
  const sample = text.slice(0, 200_000);
  console.log(
    speedRow(
      'haechi PERSON/LOCATION only',
      throughput(
        { ...tools[0], scanText: (t) => void analyze(t, { types: ['PERSON', 'LOCATION'] }) },
        chunksOf(sample),
      ),
    ),
  );
  console.log(`\n## Throughput on the e-mails\n`);
  console.log(speedRow('haechi (MIME, charsets, attachments)', await emailThroughput()));
  const raw = files(path.join(DATA, 'emails'))
    .map((f) => readFileSync(f, 'latin1'))
    .join('\n');
  for (const tool of tools.slice(1)) {
    const r = throughput(tool, chunksOf(raw.repeat(5)));
    console.log(
      speedRow(tool.name, { ...r, note: `raw message text, no MIME decoding; ${r.note}` }),
    );
  }
}

interface SynthRecord {
  full_text: string;
  spans: Array<{ entity_type: string; start_position: number; end_position: number }>;
}

/** PERSON and LOCATION (GPE + STREET_ADDRESS) on Presidio's synthetic sentences, by overlap. */
function names(): void {
  if (!existsSync(SYNTH)) return;
  const records = (JSON.parse(readFileSync(SYNTH, 'utf8')) as SynthRecord[]).slice(0, 1050);
  console.log(
    `\n## PERSON / LOCATION with the bundled compromise model (${records.length} synthetic sentences; a hit overlaps a labelled span)\n`,
  );
  const wanted: Record<string, string[]> = {
    PERSON: ['PERSON'],
    LOCATION: ['GPE', 'STREET_ADDRESS'],
  };
  for (const [type, labels] of Object.entries(wanted)) {
    const t: Tally = { tp: 0, fp: 0, fn: 0, cases: records.length, wrongCases: 0 };
    for (const r of records) {
      const gold = r.spans.filter((s) => labels.includes(s.entity_type));
      const found = analyze(r.full_text, { types: [type] });
      const hit = (
        a: { start: number; end: number },
        s: { start_position: number; end_position: number },
      ) => a.start < s.end_position && s.start_position < a.end;
      t.tp += found.filter((f) => gold.some((g) => hit(f, g))).length;
      t.fp += found.filter((f) => !gold.some((g) => hit(f, g))).length;
      t.fn += gold.filter((g) => !found.some((f) => hit(f, g))).length;
    }
    const s = f1(t);
    console.log(
      `${pad(type, 10)} P ${fmt(s.p)}  R ${fmt(s.r)}  F1 ${fmt(s.f)}  (tp ${t.tp}, fp ${t.fp}, fn ${t.fn})`,
    );
  }
}

async function loadPeers(): Promise<Tool[]> {
  const tools: Tool[] = [];
  for (const load of [redactPii, openRedaction]) {
    try {
      tools.push(fromPeer(await load()));
    } catch (err) {
      console.log(`peer ${load.name} could not run offline: ${(err as Error).message}`);
    }
  }
  return tools;
}

async function main(): Promise<void> {
  if (!existsSync(VECTORS)) {
    console.log(`skipped: ${VECTORS} is absent`);
    return;
  }
  const all = loadVectors(VECTORS);
  const cases = all.filter((c) => scorable(c, TYPES));
  const excluded = all.filter((c) => TYPES.has(c.entity[0]) && !scorable(c, TYPES)).length;
  const tools = [haechi(), ...(await loadPeers())];
  const results = await accuracy(tools, cases);
  console.log(
    `\n(${excluded} cases of these types left out: they set a non-default Presidio phone leniency or give no count)`,
  );
  for (const tool of tools)
    console.log(
      `Korean cases exactly right, ${tool.name}: ${koreanCases(results.get(tool.name)!)}`,
    );
  await speed(tools);
  names();
}

await main();
