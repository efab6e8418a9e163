// `haechi serve [--port N] [--data DIR] [--rules PATH]... [--demo] [--demo-rate N]`: the console and the API on
// 127.0.0.1, guarded by a random token; prints the console's URL (with the token) on stdout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHandlers } from '../api';
import { createContext } from '../context';
import { startServer, type RunningServer } from '../server';
import { logger } from '../log';

const log = logger('serve');

/** Where Haechi keeps its data: $HAECHI_DATA, else $XDG_DATA_HOME/haechi, else ~/.local/share/haechi. */
export function defaultDataDir(): string {
  if (process.env.HAECHI_DATA) return process.env.HAECHI_DATA;
  const base = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'haechi');
}

interface ServeArgs {
  port: number;
  dataDir: string;
  demo: boolean;
  demoRate?: number;
  rules: string[];
}

const USAGE =
  'usage: haechi serve [--port N] [--data DIR] [--rules PATH]... [--demo] [--demo-rate N]';

function parseArgs(args: string[]): ServeArgs | string {
  const out: ServeArgs = { port: 0, dataDir: defaultDataDir(), demo: false, rules: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg === '--demo') out.demo = true;
    else if (arg === '--port' || arg === '--demo-rate') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 65535)
        return `${arg} needs a whole number, got "${value ?? ''}"`;
      if (arg === '--port') out.port = n;
      else out.demoRate = n;
      i++;
    } else if (arg === '--rules') {
      if (!value) return '--rules needs a rule file or folder';
      out.rules.push(path.resolve(value));
      i++;
    } else if (arg === '--data') {
      if (!value) return '--data needs a folder';
      out.dataDir = path.resolve(value);
      i++;
    } else return `unknown option "${arg}" (${USAGE})`;
  }
  return out;
}

function rendererDir(): string {
  return fileURLToPath(new URL('../../../out/renderer', import.meta.url));
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`haechi serve: ${parsed}\n`);
    return 2;
  }
  const ctx = await createContext({
    dataDir: parsed.dataDir,
    mode: 'console',
    demo: parsed.demo,
    demoRate: parsed.demoRate,
    rulesPaths: parsed.rules,
  });
  for (const p of ctx.rules.problems.slice(0, 20)) {
    const where = p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : '';
    process.stderr.write(`haechi serve: rule not loaded: ${p.file}${where}: ${p.message}\n`);
  }
  if (ctx.rules.problems.length > 20) {
    process.stderr.write(
      `haechi serve: … and ${ctx.rules.problems.length - 20} more rules not loaded\n`,
    );
  }
  let server: RunningServer;
  try {
    server = await startServer({
      ctx,
      handlers: createHandlers(ctx),
      port: parsed.port,
      rendererDir: rendererDir(),
    });
  } catch (err) {
    await ctx.close();
    const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
    const why = inUse
      ? `port ${parsed.port} is in use on 127.0.0.1; pick another with --port`
      : (err as Error).message;
    process.stderr.write(`haechi serve: ${why}\n`);
    return 1;
  }
  process.stdout.write(`Haechi console: ${server.url}\n`);
  if (!fs.existsSync(path.join(rendererDir(), 'index.html'))) {
    process.stderr.write(
      'haechi serve: the console is not built; run `npm run build` (the API works meanwhile)\n',
    );
  }

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info(`${signal}: stopping`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await server.close();
  await ctx.close();
  return 0;
}
