// One long-lived `nft -i` process per enforcer: commands go down its stdin, so a block costs no
// process start (the slowest part of calling nft on a busy host). Each request ends with a listing
// of Haechi's table, whose closing brace marks the end of the answer; errors come on stderr, each
// quoting the command it refers to. If the process dies, the next request starts a new one.
import { spawn, type ChildProcess } from 'node:child_process';
import { EnforcerError } from '../types';

export interface SessionAnswer {
  listing: string;
  /** Error text per failed command line (by the line as sent). */
  errors: Map<string, string>;
}

interface Pending {
  lines: string[];
  resolve: (a: SessionAnswer) => void;
  reject: (e: Error) => void;
}

export class NftSession {
  private child: ChildProcess | null = null;
  private stdout = '';
  private stderr = '';
  private current: Pending | null = null;
  private queue: Pending[] = [];
  private readonly end: RegExp;

  constructor(
    private readonly argv: [string, string[]],
    private readonly listCommand: string,
    private readonly label: string,
  ) {
    // The listing ends with the table's closing brace alone on a line.
    this.end = /(^|\n)table [^\n]*\{\n[\s\S]*\n\}\n$/;
  }

  run(lines: string[]): Promise<SessionAnswer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ lines, resolve, reject });
      this.next();
    });
  }

  private start(): ChildProcess {
    const child = spawn(this.argv[0], this.argv[1], { stdio: ['pipe', 'pipe', 'pipe'] });
    // Events of a process this session has let go of (closed, replaced) are ignored.
    const mine = () => this.child === child;
    child.stdout!.on('data', (d: Buffer) => {
      if (!mine()) return;
      this.stdout += d.toString();
      this.check();
    });
    child.stderr!.on('data', (d: Buffer) => mine() && (this.stderr += d.toString()));
    child.stdin!.on('error', () => undefined);
    child.on('error', (err) => mine() && this.died(err.message));
    child.on(
      'exit',
      () => mine() && this.died(this.stderr.trim().split('\n').at(-1) || 'nft -i exited'),
    );
    return child;
  }

  private next(): void {
    if (this.current || !this.queue.length) return;
    this.current = this.queue.shift()!;
    this.stdout = '';
    this.stderr = '';
    if (!this.child) this.child = this.start();
    this.child.stdin!.write([...this.current.lines, this.listCommand].join('\n') + '\n');
  }

  private check(): void {
    if (!this.current || !this.end.test(this.stdout)) return;
    // stderr of the earlier lines is written before the listing; give its pipe one turn.
    setImmediate(() => {
      const p = this.current!;
      this.current = null;
      p.resolve({ listing: this.stdout, errors: parseErrors(this.stderr) });
      this.next();
    });
  }

  private died(reason: string): void {
    this.child = null;
    const failed = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = null;
    for (const p of failed) p.reject(new EnforcerError(`${this.label}: ${reason}`));
  }

  close(): void {
    const c = this.child;
    if (c) this.died('session closed');
    c?.stdin?.end();
    c?.kill('SIGTERM');
  }
}

/** nft prints "Error: WHY" then the command line then a caret line, per failed command. */
export function parseErrors(stderr: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = stderr.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    if (lines[i].startsWith('Error: ') && i + 1 < lines.length)
      out.set(lines[i + 1].trim(), lines[i].slice(7).trim());
  }
  return out;
}
