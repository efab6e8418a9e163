// Runs a target's command-line tool (nft, nginx) without a shell, with a time limit, returning
// its output or an EnforcerError naming the command and its error text.
import { spawn } from 'node:child_process';
import { EnforcerError } from '../types';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function exec(
  cmd: string,
  args: string[],
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 10_000);
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new EnforcerError(`${cmd}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // the tool may exit before reading its input
      child.stdin.end(opts.input);
    }
  });
}

/** The line of a tool's error output that says what went wrong, without time and PID prefixes. */
export function errorLine(stderr: string, code: number): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line =
    lines.find((l) => /\[(emerg|alert|crit|error)\]|^Error:/.test(l)) ??
    lines.at(-1) ??
    `exit ${code}`;
  return line
    .replace(/^nginx: /, '')
    .replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, '')
    .replace(/\d+#\d+: (\*\d+ )?/, '');
}

/** Runs and throws (transient) on a non-zero exit, with `label` and the tool's error line. */
export async function execOk(
  cmd: string,
  args: string[],
  opts: { input?: string; timeoutMs?: number; label?: string } = {},
): Promise<string> {
  const r = await exec(cmd, args, opts);
  if (r.code !== 0)
    throw new EnforcerError(
      `${opts.label ?? `${cmd} ${args[0] ?? ''}`}: ${errorLine(r.stderr, r.code)}`,
    );
  return r.stdout;
}
