// The `haechi` command: one module per verb, each exporting `run(args): Promise<number>`.

type Verb = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> };

const verbs: Record<string, Verb> = {
  scan: {
    summary: 'scan --rules PATH... FILE_OR_DIR...   match event files offline',
    load: () => import('./scan'),
  },
  serve: {
    summary:
      'serve [--port N] [--data DIR] [--rules PATH]... [--demo] [--demo-rate N]  serve the console and API on 127.0.0.1',
    load: () => import('./serve'),
  },
  parse: {
    summary: 'parse FILE... [--format NAME]       print parsed events as NDJSON',
    load: () => import('./parse'),
  },
  replay: {
    summary: 'replay FILE --to URL [--rate N]     stream a log file to syslog, NATS or WebSocket',
    load: () => import('./replay'),
  },
  pii: {
    summary: 'pii scan FILE_OR_DIR... [--types T]  find personal data',
    load: () => import('./pii'),
  },
  redact: {
    summary: 'redact IN --out OUT [--operator T=OP,...]  write a redacted copy',
    load: () => import('./redact'),
  },
  decrypt: {
    summary: 'decrypt IN --out OUT               restore encrypted values with the key',
    load: () => import('./decrypt'),
  },
};

function usage(): string {
  const lines = Object.values(verbs).map((v) => `  haechi ${v.summary}`);
  return ['usage:', ...lines].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(usage() + '\n');
    return verb ? 0 : 2;
  }
  const entry = verbs[verb];
  if (!entry) {
    process.stderr.write(`haechi: unknown command "${verb}"\n${usage()}\n`);
    return 2;
  }
  try {
    const mod = await entry.load();
    return await mod.run(rest);
  } catch (err) {
    process.stderr.write(`haechi ${verb}: ${(err as Error).message}\n`);
    return 1;
  }
}
