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
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 10_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new EnforcerError(`${cmd}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs and throws (transient) on a non-zero exit, with the tool's first error line. */
export async function execOk(
  cmd: string,
  args: string[],
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<string> {
  const r = await exec(cmd, args, opts);
  if (r.code !== 0) {
    const line = r.stderr.split('\n').find((l) => l.trim()) ?? `exit ${r.code}`;
    throw new EnforcerError(`${cmd} ${args.slice(0, 3).join(' ')}: ${line.trim()}`);
  }
  return r.stdout;
}
