// `haechi replay FILE --to URL [--rate N] [--limit N] [--loop] [--octet-count]`: stream a real log
// file to syslog (TCP/UDP), a NATS subject or WebSocket clients at N lines per second.
import fs from 'node:fs';
import { openSender, parseTarget, replay } from '../feed/replay';

const USAGE =
  'usage: haechi replay FILE --to syslog+tcp://127.0.0.1:PORT|syslog+udp://HOST:PORT|nats://HOST:PORT/SUBJECT|ws://HOST:PORT [--rate N] [--limit N] [--loop] [--octet-count]';

interface Args {
  file: string;
  to: string;
  rate: number;
  limit?: number;
  loop: boolean;
  octet: boolean;
}

function parseArgs(args: string[]): Args | string {
  const out: Partial<Args> = { rate: 1000, loop: false, octet: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const num = (name: string) => {
      const v = Number(args[++i]);
      if (!Number.isFinite(v) || v < 0)
        throw new Error(`${name} needs a number ≥ 0, got "${args[i] ?? ''}"`);
      return v;
    };
    if (a === '--to') out.to = args[++i];
    else if (a === '--rate') out.rate = num('--rate');
    else if (a === '--limit') out.limit = num('--limit');
    else if (a === '--loop') out.loop = true;
    else if (a === '--octet-count') out.octet = true;
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else if (!out.file) out.file = a;
    else return `one FILE only (got "${out.file}" and "${a}")`;
  }
  if (!out.file) return 'no FILE given';
  if (!out.to) return 'no --to target given';
  if (out.loop && out.limit === undefined) return '--loop needs --limit (replays are bounded)';
  return out as Args;
}

export async function run(args: string[]): Promise<number> {
  let opts: Args | string;
  try {
    opts = parseArgs(args);
  } catch (err) {
    opts = (err as Error).message;
  }
  if (typeof opts === 'string') {
    process.stderr.write(`haechi replay: ${opts}\n${USAGE}\n`);
    return 2;
  }
  if (!fs.existsSync(opts.file)) {
    process.stderr.write(`haechi replay: ${opts.file}: no such file\n`);
    return 1;
  }
  const target = parseTarget(opts.to);
  const sender = await openSender(target, { octet: opts.octet });
  const started = Date.now();
  const sent = await replay(opts.file, sender, {
    rate: opts.rate,
    limit: opts.limit,
    loop: opts.loop,
  });
  await sender.close();
  const secs = (Date.now() - started) / 1000;
  process.stderr.write(
    `sent ${sent} lines to ${opts.to} in ${secs.toFixed(2)} s (${Math.round(sent / Math.max(secs, 0.001))} lines/s)\n`,
  );
  return 0;
}
