// The foundation's API: status, events, alerts, cases, verdicts, import, demo feed.
import { z } from 'zod';
import { method } from './contract';
import type { Alert, Case, CaseNote, HaechiEvent, Action, TimelineEntry } from '../types';

export interface StatusInfo {
  mode: 'electron' | 'console';
  version: string;
  dataDir: string;
  events: number;
  alerts: number;
  cases: number;
  rulesLoaded: number;
  rulesRejected: number;
  eps: number;
  demo: boolean;
}

export interface ImportResult {
  name: string;
  events: number;
  rejected: { record: number; reason: string }[];
  matches: number;
  alerts: number;
  cases: number;
  ms: number;
}

export interface CaseDetail {
  case: Case;
  alerts: Alert[];
  events: HaechiEvent[];
  notes: CaseNote[];
  timeline: TimelineEntry[];
  actions: Action[];
}

export interface AlertDetail {
  alert: Alert;
  events: HaechiEvent[];
}

const id = z.string().min(1).max(200);
const level = z.enum(['informational', 'low', 'medium', 'high', 'critical']);
const verdict = z.enum(['true-positive', 'false-positive', 'benign']);
const caseStatus = z.enum(['open', 'in-progress', 'closed']);

export const coreMethods = {
  status: method<StatusInfo>()(z.object({}).strict()),
  listAlerts: method<Alert[]>()(
    z
      .object({
        limit: z.number().int().min(1).max(5000).default(200),
        minScore: z.number().min(0).max(100).optional(),
        caseId: id.optional(),
      })
      .strict(),
  ),
  getAlert: method<AlertDetail | null>()(z.object({ id }).strict()),
  setVerdict: method<Alert>()(z.object({ alertId: id, verdict, actor: z.string().max(100).optional() }).strict()),
  listCases: method<Case[]>()(
    z
      .object({
        status: caseStatus.optional(),
        severity: level.optional(),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
  ),
  getCase: method<CaseDetail | null>()(z.object({ id }).strict()),
  updateCase: method<Case>()(
    z
      .object({
        id,
        status: caseStatus.optional(),
        severity: level.optional(),
        verdict: verdict.optional(),
        assignee: z.string().max(100).optional(),
      })
      .strict(),
  ),
  addCaseNote: method<CaseNote>()(
    z.object({ caseId: id, text: z.string().min(1).max(20_000), author: z.string().max(100).optional() }).strict(),
  ),
  getEvent: method<HaechiEvent | null>()(z.object({ id }).strict()),
  /** Import a log file's text (File → Import or drag and drop). */
  importEvents: method<ImportResult>()(
    z.object({ name: z.string().min(1).max(500), content: z.string().max(512 * 1024 * 1024) }).strict(),
  ),
  setDemo: method<{ demo: boolean }>()(z.object({ on: z.boolean(), rate: z.number().min(1).max(20_000).optional() }).strict()),
};

/** Live topics pushed from main to the UI. */
export interface LiveTick {
  at: number;
  eps: number;
  events: number;
  alerts: Alert[];
}
