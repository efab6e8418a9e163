// A two-namespace lab for nftables tests: `srv` (10.250.0.1, an HTTP server) and `cli` (10.250.0.2
// and 10.250.0.3), joined by a veth pair. Everything is created by the test and removed after.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface Lab {
  srv: string;
  cli: string;
  port: number;
  server: ChildProcess;
  /** HTTP status seen from `from` (a client address), or 0 when dropped (timeout). */
  fetchFrom(from: string, timeoutSec?: number): number;
  destroy(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

export async function createLab(tag: string, port: number): Promise<Lab> {
  const srv = `hr${tag}s${process.pid}`.slice(0, 15);
  const cli = `hr${tag}c${process.pid}`.slice(0, 15);
  ip('netns', 'add', srv);
  ip('netns', 'add', cli);
  ip(
    'link',
    'add',
    `${srv}v`,
    'netns',
    srv,
    'type',
    'veth',
    'peer',
    'name',
    `${cli}v`,
    'netns',
    cli,
  );
  ip('-n', srv, 'addr', 'add', '10.250.0.1/24', 'dev', `${srv}v`);
  ip('-n', cli, 'addr', 'add', '10.250.0.2/24', 'dev', `${cli}v`);
  ip('-n', cli, 'addr', 'add', '10.250.0.3/24', 'dev', `${cli}v`);
  for (const [ns, dev] of [
    [srv, `${srv}v`],
    [cli, `${cli}v`],
  ]) {
    ip('-n', ns, 'link', 'set', dev, 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
  }
  const code = `require('http').createServer((q,s)=>s.end('ok')).listen(${port},'10.250.0.1',()=>console.log('up'))`;
  const server = spawn('ip', ['netns', 'exec', srv, process.execPath, '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    server.stdout!.once('data', () => resolve());
    server.once('exit', (c) => reject(new Error(`lab server exited with ${c}`)));
  });
  const fetchFrom = (from: string, timeoutSec = 1): number => {
    const r = spawnSync(
      'ip',
      [
        'netns',
        'exec',
        cli,
        'curl',
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '--interface',
        from,
        '--max-time',
        String(timeoutSec),
        `http://10.250.0.1:${port}/`,
      ],
      { encoding: 'utf8' },
    );
    return Number(r.stdout.trim() || 0);
  };
  const destroy = () => {
    server.kill('SIGKILL');
    spawnSync('ip', ['netns', 'del', srv]);
    spawnSync('ip', ['netns', 'del', cli]);
  };
  return { srv, cli, port, server, fetchFrom, destroy };
}
