// Response API: playbooks, actions, approvals, rollback, the time-to-contain panel. Owned by the
// automated response work.
import { z } from 'zod';
import { method } from './contract';
import type { Action, AuditEntry } from '../types';

export interface PlaybookInfo {
  name: string;
  mode: 'auto' | 'approve' | 'dry-run';
  enabled: boolean;
  yaml: string;
  problems: string[];
}

export interface EnforcerInfo {
  name: string;
  kind: string;
  healthy: boolean;
  circuit: 'closed' | 'open' | 'half-open';
  lastError?: string;
}

export interface ContainStats {
  n: number;
  p50Ms: number | null;
  p99Ms: number | null;
  automatic: number;
  manual: number;
  hoursSaved: number;
}

const actionId = z
  .object({ id: z.string().min(1).max(200), actor: z.string().max(100).optional() })
  .strict();
const rejectInput = z
  .object({
    id: z.string().min(1).max(200),
    actor: z.string().max(100).optional(),
    reason: z.string().max(500).optional(),
  })
  .strict();

export const responseMethods = {
  listActions: method<Action[]>()(
    z
      .object({
        limit: z.number().int().min(1).max(5000).default(500),
        state: z.string().max(40).optional(),
      })
      .strict(),
  ),
  approveAction: method<Action>()(actionId),
  rejectAction: method<Action>()(rejectInput),
  rollbackAction: method<Action>()(actionId),
  listPlaybooks: method<PlaybookInfo[]>()(z.object({}).strict()),
  savePlaybook: method<PlaybookInfo>()(z.object({ yaml: z.string().min(1).max(200_000) }).strict()),
  listEnforcers: method<EnforcerInfo[]>()(z.object({}).strict()),
  containStats: method<ContainStats>()(z.object({}).strict()),
  /** The audit trail, oldest first (at most `limit`): of a case, of one action, or all. */
  listAudit: method<AuditEntry[]>()(
    z
      .object({
        caseId: z.string().max(200).optional(),
        actionId: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(10_000).default(1000),
      })
      .strict(),
  ),
};
