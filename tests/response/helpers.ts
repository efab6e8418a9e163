// Shared test helpers for response: alerts and events shaped like the engine's, playbooks from
// text, and checks for what the machine allows (root, network namespaces, nginx).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Alert, HaechiEvent } from '../../src/shared/types';
import { parsePlaybook, type Playbook } from '../../src/main/response/playbook';
import { silentLogger } from '../../src/main/response/log';
import { ResponseService, type ResponseOptions } from '../../src/main/response/service';
import type { Enforcer } from '../../src/main/response/types';
import { Store } from '../../src/main/store';

export function makeEvent(norm: HaechiEvent['norm'], receivedAt = Date.now()): HaechiEvent {
  return {
    id: randomUUID(),
    time: new Date(receivedAt).toISOString(),
    source: 'test',
    format: 'json',
    fields: {},
    norm,
    raw: '{}',
    receivedAt,
  };
}

export function makeAlert(over: Partial<Alert> = {}): Alert {
  return {
    id: randomUUID(),
    time: new Date().toISOString(),
    createdAt: Date.now(),
    score: 90,
    severity: 'high',
    title: 'SQL injection attempt',
    ruleId: 'rule-sqli',
    tags: ['attack.initial-access', 'attack.t1190'],
    parts: [{ kind: 'rule', label: 'rule level high', points: 70 }],
    eventIds: [],
    caseId: 'case-1',
    ...over,
  };
}

export function blockPlaybook(
  opts: { name?: string; mode?: string; ttl?: string; enforcer?: string; minScore?: number } = {},
): Playbook {
  const lines = [
    `name: ${opts.name ?? 'block-high-score'}`,
    `mode: ${opts.mode ?? 'auto'}`,
    'when:',
    `  minScore: ${opts.minScore ?? 80}`,
    'then:',
    '  - action: block-ip',
    `    ttl: ${opts.ttl ?? '10m'}`,
    ...(opts.enforcer ? [`    enforcer: ${opts.enforcer}`] : []),
  ];
  return parsePlaybook(lines.join('\n') + '\n', 'test.yaml');
}

/** A quiet response service on a fresh in-memory store: one enforcer, `blockPlaybook()`. */
export async function memoryService(
  enforcer: Enforcer,
  extra: Partial<ResponseOptions> = {},
): Promise<ResponseService> {
  return ResponseService.create({
    store: await Store.memory(),
    enforcers: [enforcer],
    playbooks: [blockPlaybook()],
    logger: silentLogger,
    ...extra,
  });
}

export const isRoot = process.getuid?.() === 0;

function works(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** Why network-namespace tests cannot run here, or null when they can. */
export function netnsUnavailable(): string | null {
  if (!isRoot) return 'needs root for ip netns and nft';
  if (!works('nft', ['--version'])) return 'nft (Debian nftables) is not installed';
  const probe = `hrprobe${process.pid}`;
  if (!works('ip', ['netns', 'add', probe])) return '`ip netns add` is not permitted here';
  execFileSync('ip', ['netns', 'del', probe]);
  return null;
}

/** Why nginx tests cannot run here, or null when they can. */
export function nginxUnavailable(): string | null {
  if (!works('nginx', ['-v'])) return 'nginx is not installed';
  if (!works('curl', ['--version'])) return 'curl is not installed';
  return null;
}

export async function until<T>(fn: () => T | Promise<T>, ms = 5000, step = 20): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, step));
  }
}
