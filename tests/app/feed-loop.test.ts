// A live source end to end: a syslog TCP source configured through the API on 127.0.0.1, nginx
// access-log lines sent over a real socket, alerts and a dry-run block coming out of the loop.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { callApi, createHandlers } from '../../src/main/api';
import type { Action, Alert, SourceStatus } from '../../src/shared/types';
import { tempContext, TEST_PLAYBOOKS } from './helpers';

const PORT = 45123;

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 10_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a live syslog source feeding the loop', () => {
  it('turns access-log lines sent over TCP into alerts and a dry-run block', async () => {
    const ctx = await tempContext({ playbookDirs: [TEST_PLAYBOOKS] });
    const api = createHandlers(ctx);
    const status = (await callApi(api, 'saveSource', {
      name: 'portal nginx',
      kind: 'syslog-tcp',
      options: { port: PORT, format: 'access-log' },
    })) as SourceStatus;
    expect(status.state).toBe('running');

    const lines = [
      '203.0.113.200 - - [03/Dec/2026:11:00:00 +0000] "GET /index.php?id=1%20union%20select%201,2-- HTTP/1.1" 200 10 "-" "Mozilla/5.0"',
      '10.0.0.5 - - [03/Dec/2026:11:00:01 +0000] "GET / HTTP/1.1" 200 10 "-" "Mozilla/5.0"',
    ];
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(PORT, '127.0.0.1', () =>
        socket.end(lines.join('\n') + '\n', () => resolve()),
      );
      socket.once('error', reject);
    });

    const [alert] = await until('the alert', async () => {
      const alerts = (await callApi(api, 'listAlerts', {})) as Alert[];
      return alerts.length > 0 ? alerts : undefined;
    });
    expect([alert.title, alert.sourceIp, alert.score]).toEqual([
      'SQL Injection Attempt In Request URI',
      '203.0.113.200',
      65,
    ]);
    expect(ctx.archive.count()).toBe(2);

    const action = await until('the block', async () => {
      const actions = (await callApi(api, 'listActions', {})) as Action[];
      return actions.find((a) => a.state === 'applied');
    });
    expect([action.kind, action.target, action.enforcer, action.caseId]).toEqual([
      'block-ip',
      '203.0.113.200',
      'dry-run',
      alert.caseId,
    ]);

    const sources = (await callApi(api, 'listSources', {})) as SourceStatus[];
    expect(sources.map((s) => [s.name, s.parsed])).toEqual([['portal nginx', 2]]);
    expect(await callApi(api, 'removeSource', { id: status.id })).toEqual({ removed: true });
    await ctx.cleanup();
  });
});
