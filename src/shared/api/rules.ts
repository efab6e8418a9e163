// Rules API: the rule editor (Monaco) and the rule list. Owned by the Sigma engine work.
import { z } from 'zod';
import { method } from './contract';
import type { RuleInfo, RuleProblem, RuleMatch } from '../types';

export interface RuleTestResult {
  problems: RuleProblem[];
  /** Events tested and, per matching event, the match. */
  tested: number;
  matches: { eventId: string; record: number; match: RuleMatch }[];
  ms: number;
}

export interface RuleSource {
  id: string;
  file?: string;
  yaml: string;
}

export const rulesMethods = {
  listRules: method<{ rules: RuleInfo[]; problems: RuleProblem[] }>()(
    z
      .object({
        q: z.string().max(200).optional(),
        level: z.enum(['informational', 'low', 'medium', 'high', 'critical']).optional(),
        status: z.string().max(40).optional(),
        limit: z.number().int().min(1).max(10_000).default(1000),
      })
      .strict(),
  ),
  getRule: method<RuleSource | null>()(z.object({ id: z.string().min(1).max(200) }).strict()),
  /** Parse and compile a rule; test it on the given events text, or on the newest stored events. */
  testRule: method<RuleTestResult>()(
    z
      .object({
        yaml: z.string().max(1_000_000),
        events: z.string().max(64 * 1024 * 1024).optional(),
        recent: z.number().int().min(0).max(100_000).optional(),
      })
      .strict(),
  ),
  /** Save a rule into the user's rule folder and load it into the live engine. */
  saveRule: method<{ id: string; problems: RuleProblem[] }>()(
    z.object({ yaml: z.string().max(1_000_000) }).strict(),
  ),
};
