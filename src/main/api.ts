// The API: one object implementing every method of src/shared/api, served alike by Electron IPC
// (ipc.ts) and the loopback WebSocket server (server/). Input is validated once, here, by
// `callApi` with the method's schema; handlers trust their input.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  apiMethods,
  type ApiMethods,
  type MethodName,
  type OutputOf,
  type ParsedInputOf,
} from '../shared/api';
import type { Topic, TopicPayloads } from '../shared/api';
import type { StatusInfo, ImportResult } from '../shared/api/core';
import type { RuleTestResult } from '../shared/api/rules';
import { NotFoundError } from './errors';
import type { AppContext } from './context';
import { feedHandlers } from './feed/handlers';
import { responseHandlers } from './response/handlers';
import { piiHandlers } from './pii/handlers';
import { workstationKey } from './pii/keychain';
import { parseRuleText, SigmaEngine } from './engine/sigma';
import { readImport, MAX_LISTED_REJECTS } from './importer';
import { logger } from './log';
import type { HaechiEvent, RuleInfo, Verdict } from '../shared/types';

const log = logger('api');
const VERSION = '0.1.0';

export type Handler<K extends MethodName> = (
  input: ParsedInputOf<ApiMethods[K]>,
) => Promise<OutputOf<ApiMethods[K]>>;
export type Handlers = { [K in MethodName]: Handler<K> };

export type ApiErrorCode = 'invalid-input' | 'not-found' | 'failed';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A zod failure as one line naming each bad field: `limit: Too big: expected number to be <=5000`. */
export function describeIssues(method: string, error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length ? issue.path.map(String).join('.') : '(input)';
    return `${where}: ${issue.message}`;
  });
  return `invalid input for ${method}: ${parts.join('; ')}`;
}

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(apiMethods, name);
}

/** Validate `raw` with the method's schema and run its handler. Throws ApiError only. */
export async function callApi(handlers: Handlers, name: string, raw: unknown): Promise<unknown> {
  if (!isMethodName(name)) throw new ApiError('invalid-input', `unknown method "${name}"`);
  const parsed = apiMethods[name].input.safeParse(raw ?? {});
  if (!parsed.success) throw new ApiError('invalid-input', describeIssues(name, parsed.error));
  try {
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    return await handler(parsed.data);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof NotFoundError) throw new ApiError('not-found', err.message);
    log.error(`${name} failed: ${(err as Error).message}`);
    throw new ApiError('failed', (err as Error).message);
  }
}

/** Subscribe to a pushed topic; returns the unsubscribe function. */
export function subscribe<T extends Topic>(
  ctx: AppContext,
  topic: T,
  listener: (payload: TopicPayloads[T]) => void,
): () => void {
  const fn = listener as (payload: unknown) => void;
  (ctx.topics as unknown as NodeJS.EventEmitter).on(topic, fn);
  return () => (ctx.topics as unknown as NodeJS.EventEmitter).off(topic, fn);
}

type CoreKeys =
  | 'status'
  | 'listAlerts'
  | 'getAlert'
  | 'setVerdict'
  | 'listCases'
  | 'getCase'
  | 'updateCase'
  | 'addCaseNote'
  | 'getEvent'
  | 'importEvents'
  | 'setDemo';
type RulesKeys = 'listRules' | 'getRule' | 'testRule' | 'saveRule';
type Part<K extends MethodName> = { [P in K]: Handler<P> };

function coreHandlers(ctx: AppContext): Part<CoreKeys> {
  return {
    status: async (): Promise<StatusInfo> => ({
      mode: ctx.opts.mode === 'electron' ? 'electron' : 'console',
      version: VERSION,
      dataDir: ctx.dataDir,
      events: ctx.archive.count(),
      alerts: ctx.cases.alerts.count(),
      cases: ctx.cases.countCases(),
      rulesLoaded: ctx.rules.rules.length,
      rulesRejected: ctx.rules.problems.length,
      eps: ctx.pipeline.eps(),
      demo: ctx.demo.running,
    }),
    listAlerts: async (input) => ctx.cases.alerts.list(input),
    getAlert: async ({ id }) => {
      const alert = ctx.cases.alerts.get(id);
      return alert ? { alert, events: ctx.archive.getMany(alert.eventIds.slice(0, 500)) } : null;
    },
    setVerdict: async ({ alertId, verdict, actor }) => setVerdict(ctx, alertId, verdict, actor),
    listCases: async (input) => ctx.cases.listCases(input),
    getCase: async ({ id }) => ctx.cases.getDetail(id),
    updateCase: async ({ id, status, severity, verdict, assignee }) => {
      const updated = ctx.cases.updateCase({ id, status, severity, verdict, assignee });
      ctx.topics.emit('case', updated);
      return updated;
    },
    addCaseNote: async ({ caseId, text, author }) => {
      const note = ctx.cases.addNote(caseId, text, author);
      const touched = ctx.cases.getCase(caseId);
      if (touched) ctx.topics.emit('case', touched);
      return note;
    },
    getEvent: async ({ id }) => ctx.archive.get(id),
    importEvents: async ({ name, content }) => importEvents(ctx, name, content),
    setDemo: async ({ on, rate }) => {
      if (on) ctx.demo.start(rate ?? ctx.demo.rate);
      else ctx.demo.stop();
      return { demo: ctx.demo.running };
    },
  };
}

function setVerdict(ctx: AppContext, alertId: string, verdict: Verdict, actor = 'analyst') {
  const alert = ctx.cases.alerts.get(alertId);
  if (!alert) throw new NotFoundError(`alert ${alertId} not found`);
  const previous = alert.verdict;
  ctx.model.learn(
    { ruleId: alert.ruleId, tags: alert.tags, sourceIp: alert.sourceIp, host: alert.host },
    verdict,
    previous,
  );
  ctx.store.transaction(() => {
    ctx.cases.alerts.setVerdict(alertId, verdict);
    if (alert.caseId) {
      ctx.cases.addTimeline(
        alert.caseId,
        'verdict',
        `alert ${alertId}: ${verdict}`,
        actor,
        alertId,
      );
    }
  });
  return { ...alert, verdict };
}

/** Yield to the event loop between chunks, so a big import never freezes the window. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

async function importEvents(ctx: AppContext, name: string, content: string): Promise<ImportResult> {
  const started = Date.now();
  const result: ImportResult = {
    name,
    events: 0,
    rejected: [],
    matches: 0,
    alerts: 0,
    cases: 0,
    ms: 0,
  };
  const cases = new Set<string>();
  let rejectedCount = 0;
  await ctx.pipeline.whenIdle();
  for (const chunk of readImport(name, content)) {
    rejectedCount += chunk.rejected.length;
    for (const r of chunk.rejected)
      if (result.rejected.length < MAX_LISTED_REJECTS) result.rejected.push(r);
    const batch = ctx.pipeline.ingest(chunk.events);
    result.events += batch.events;
    result.matches += batch.matches;
    result.alerts += batch.alerts.length;
    for (const id of batch.cases) cases.add(id);
    ctx.topics.emit('progress', {
      task: `import ${name}`,
      done: result.events,
      total: 0,
      message: `${rejectedCount} rejected`,
    });
    await breathe();
  }
  result.cases = cases.size;
  result.ms = Date.now() - started;
  log.info(
    `import ${name}: ${result.events} events, ${rejectedCount} rejected, ${result.alerts} alerts, ${result.cases} cases in ${result.ms} ms`,
  );
  return result;
}

function ruleMatchesQuery(info: RuleInfo, q: string): boolean {
  const needle = q.toLowerCase();
  return [info.id, info.title, info.description ?? '', ...info.tags].some((s) =>
    s.toLowerCase().includes(needle),
  );
}

function rulesHandlers(ctx: AppContext): Part<RulesKeys> {
  return {
    listRules: async ({ q, level, status, limit }) => {
      const rules = ctx.rules.engine
        .ruleInfos()
        .filter(
          (r) =>
            (!q || ruleMatchesQuery(r, q)) &&
            (!level || r.level === level) &&
            (!status || r.status === status),
        )
        .slice(0, limit);
      return { rules, problems: ctx.rules.problems };
    },
    getRule: async ({ id }) => ctx.rules.engine.ruleSource(id),
    testRule: async ({ yaml, events, recent }) => testRule(ctx, yaml, events, recent),
    saveRule: async ({ yaml }) => saveRule(ctx, yaml),
  };
}

/** Bound on the rejected test records reported back as problems. */
const MAX_TEST_REJECTS = 50;

function eventsForTest(
  ctx: AppContext,
  text: string | undefined,
  recent: number | undefined,
): { events: HaechiEvent[]; problems: RuleTestResult['problems'] } {
  if (text === undefined)
    return { events: ctx.archive.recent(recent ?? 1000).reverse(), problems: [] };
  const chunks = [...readImport('test', text)];
  // A test record that cannot be read is named, so "no match" is never an unread event.
  const problems = chunks
    .flatMap((c) => c.rejected)
    .slice(0, MAX_TEST_REJECTS)
    .map((r) => ({
      file: 'events',
      ...(r.record > 0 ? { line: r.record } : {}),
      message: `not tested: ${r.reason}`,
    }));
  return { events: chunks.flatMap((c) => c.events).slice(0, 100_000), problems };
}

/** A rule text that parses to nothing is a problem too (an empty editor, only comments). */
function parseEditorRule(ctx: AppContext, yaml: string): ReturnType<typeof parseRuleText> {
  const parsed = parseRuleText(yaml, 'editor', ctx.rules.mapping);
  if (parsed.rules.length === 0 && parsed.problems.length === 0)
    parsed.problems.push({
      file: 'editor',
      line: 1,
      message: 'no rule: the text is empty or only comments',
    });
  return parsed;
}

async function testRule(
  ctx: AppContext,
  yaml: string,
  text?: string,
  recent?: number,
): Promise<RuleTestResult> {
  const started = Date.now();
  const parsed = parseEditorRule(ctx, yaml);
  const { events, problems } = eventsForTest(ctx, text, recent);
  const result: RuleTestResult = {
    problems: [...parsed.problems, ...problems],
    tested: events.length,
    matches: [],
    ms: 0,
  };
  if (parsed.rules.length > 0) {
    // Correlations need the rules they count: test against the loaded rules plus this one.
    const others = ctx.rules.rules.filter((r) => !parsed.rules.some((p) => p.id === r.id));
    const wanted = new Set(parsed.rules.map((r) => r.id));
    const engine = new SigmaEngine([...others, ...parsed.rules], { mapping: ctx.rules.mapping });
    const record = new Map(events.map((e, i) => [e.id, e.position?.record ?? i + 1]));
    const matches = [...events.flatMap((e) => engine.match(e)), ...engine.flush()];
    for (const match of matches) {
      if (!wanted.has(match.ruleId)) continue;
      const eventId = match.eventIds[match.eventIds.length - 1];
      result.matches.push({ eventId, record: record.get(eventId) ?? 0, match });
      if (result.matches.length >= 10_000) break;
    }
  }
  result.ms = Date.now() - started;
  return result;
}

async function saveRule(
  ctx: AppContext,
  yaml: string,
): Promise<{ id: string; problems: RuleTestResult['problems'] }> {
  const parsed = parseEditorRule(ctx, yaml);
  const rule = parsed.rules[0];
  if (!rule || parsed.problems.length > 0) return { id: rule?.id ?? '', problems: parsed.problems };
  const file = path.join(ctx.userRulesDir, `${rule.id.replace(/[^A-Za-z0-9_.-]/g, '_')}.yml`);
  fs.mkdirSync(ctx.userRulesDir, { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, yaml);
  fs.renameSync(tmp, file);
  await ctx.reloadRules();
  const problems = ctx.rules.problems.filter((p) => p.file === file);
  return { id: rule.id, problems };
}

/** Every API method, bound to one app context. */
export function createHandlers(ctx: AppContext): Handlers {
  return {
    ...coreHandlers(ctx),
    ...rulesHandlers(ctx),
    ...feedHandlers({ feed: ctx.feed, intel: ctx.intel }),
    ...responseHandlers(ctx.response),
    ...piiHandlers({
      emitProgress: (p) => ctx.topics.emit('progress', p),
      workstationKey: (create) => workstationKey(ctx.dataDir, ctx.secretBox, { create }),
    }),
  };
}
