// Feed and intel API: the Sources view and the indicator store. Owned by the live feed work.
import { z } from 'zod';
import { method } from './contract';
import type { Indicator, SourceStatus } from '../types';

export const sourceConfig = z
  .object({
    id: z.string().min(1).max(100).optional(),
    name: z.string().min(1).max(200),
    kind: z.enum(['syslog-tcp', 'syslog-udp', 'file', 'nats', 'websocket', 'taxii', 'misp', 'blocklist']),
    enabled: z.boolean().default(true),
    options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  })
  .strict();
export type SourceConfig = z.output<typeof sourceConfig>;

export interface QuarantineEntry {
  at: number;
  source: string;
  position: string;
  reason: string;
}

export const feedMethods = {
  listSources: method<SourceStatus[]>()(z.object({}).strict()),
  saveSource: method<SourceStatus>()(sourceConfig),
  removeSource: method<{ removed: boolean }>()(z.object({ id: z.string().min(1).max(100) }).strict()),
  startSource: method<SourceStatus>()(z.object({ id: z.string().min(1).max(100) }).strict()),
  stopSource: method<SourceStatus>()(z.object({ id: z.string().min(1).max(100) }).strict()),
  listQuarantine: method<QuarantineEntry[]>()(
    z.object({ limit: z.number().int().min(1).max(5000).default(200) }).strict(),
  ),
  listIndicators: method<{ total: number; indicators: Indicator[] }>()(
    z.object({ q: z.string().max(200).optional(), limit: z.number().int().min(1).max(5000).default(200) }).strict(),
  ),
  importIntel: method<{ added: number; updated: number; rejected: number; errors: string[] }>()(
    z.object({ name: z.string().min(1).max(500), content: z.string().max(256 * 1024 * 1024) }).strict(),
  ),
};
