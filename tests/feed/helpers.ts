// Test helpers for the live feed: a counting sink, waiting with a deadline, loopback ports in the
// feed range (42000-42999), and real servers (nats-server, rsyslogd) started and stopped by PID.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { HaechiEvent } from '../../src/shared/types';

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `haechi-${prefix}-`));
}

/** A sink that stores events in memory and counts how often each id arrived. */
export function countingSink(delayMs = 0) {
  const events: HaechiEvent[] = [];
  const seen = new Map<string, number>();
  const sink = async (batch: HaechiEvent[]) => {
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    for (const e of batch) {
      events.push(e);
      seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
    }
  };
  const duplicates = () => [...seen.entries()].filter(([, n]) => n > 1).map(([id]) => id);
  return { sink, events, seen, duplicates };
}

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A free loopback TCP+UDP port in the feed range. */
export async function feedPort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 42000 + Math.floor(Math.random() * 1000);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free port in 42000-42999');
}

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

async function waitPort(port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end)
      throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Server {
  proc: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

function stopper(proc: ChildProcess): () => Promise<void> {
  return async () => {
    if (proc.exitCode !== null || proc.pid === undefined) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
}

/** nats-server with JetStream on 127.0.0.1:port, storing in `dir`. */
export async function startNats(dir: string, port?: number): Promise<Server> {
  const p = port ?? (await feedPort());
  const proc = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(p), '-js', '-sd', dir], {
    stdio: 'ignore',
  });
  await waitPort(p, 10_000);
  return { proc, port: p, stop: stopper(proc) };
}

/**
 * rsyslogd in the foreground with its own config, pid file and work dir. It listens on `tcpIn`
 * and `udpIn` and forwards: TCP input → `tcpOut` (octet-counted RFC 5424), UDP → `udpOut`.
 */
export async function startRsyslog(
  dir: string,
  ports: { tcpIn: number; udpIn: number; tcpOut: number; udpOut: number },
): Promise<Server> {
  fs.mkdirSync(path.join(dir, 'work'), { recursive: true });
  const conf = path.join(dir, 'rsyslog.conf');
  fs.writeFileSync(
    conf,
    [
      `global(workDirectory="${dir}/work")`,
      'module(load="imtcp")',
      'module(load="imudp")',
      'ruleset(name="toTcp") {',
      `  action(type="omfwd" target="127.0.0.1" port="${ports.tcpOut}" protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")`,
      '}',
      'ruleset(name="toUdp") {',
      `  action(type="omfwd" target="127.0.0.1" port="${ports.udpOut}" protocol="udp" template="RSYSLOG_ForwardFormat")`,
      '}',
      `input(type="imtcp" address="127.0.0.1" port="${ports.tcpIn}" ruleset="toTcp")`,
      `input(type="imudp" address="127.0.0.1" port="${ports.udpIn}" ruleset="toUdp")`,
      '',
    ].join('\n'),
  );
  const proc = spawn('rsyslogd', ['-n', '-f', conf, '-i', path.join(dir, 'rsyslog.pid')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d) => (stderr += String(d)));
  try {
    await waitPort(ports.tcpIn, 10_000);
  } catch (err) {
    proc.kill('SIGKILL');
    throw new Error(`${(err as Error).message}; rsyslogd said: ${stderr.slice(0, 500)}`);
  }
  return { proc, port: ports.tcpIn, stop: stopper(proc) };
}

/** Run `logger` with the lines on stdin (one message per line). */
export function logger(args: string[], lines: string[]): void {
  const r = spawnSync('logger', args, { input: lines.join('\n') + '\n', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`logger ${args.join(' ')} failed: ${String(r.stderr)}`);
}
