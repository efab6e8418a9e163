// The app context: opens the store and the evidence, loads the rules, the intel store, the model,
// the cases and the response side, and ties them into the pipeline. The Electron app, `haechi
// serve` and the tests all build one with createContext.
import fs from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { SegmentStore, Store } from './store';
import { CaseService, EventArchive } from './cases';
import { VerdictModel } from './engine/model';
import {
  loadMapping,
  loadRules,
  SigmaEngine,
  type CompiledRule,
  type Mapping,
} from './engine/sigma';
import { IntelStore } from './engine/intel/store';
import { StoreIntelPersistence } from './engine/intel/persist';
import { KeyFileSecretBox, openResponse, type ResponseService, type SecretBox } from './response';
import { DemoFeed, DEFAULT_DEMO_RATE } from './demo';
import { FeedManager } from './feed/manager';
import { Pipeline, type DetectionEngine } from './pipeline';
import { logger } from './log';
import type { HaechiEvent, RuleMatch, RuleProblem } from '../shared/types';
import type { TopicPayloads } from '../shared/api';

const log = logger('context');

export type AppMode = 'electron' | 'console' | 'test';

export interface ContextOptions {
  dataDir: string;
  mode: AppMode;
  /** Rule files or folders loaded besides the starter pack and the user's rules folder. */
  rulesPaths?: string[];
  /** Leave out the starter pack (tests that load only the rules they name). */
  noStarterRules?: boolean;
  /** Grouping window for cases, in ms. */
  caseWindowMs?: number;
  /** Start the demo feed at once. */
  demo?: boolean;
  demoRate?: number;
  /** Playbook folders (default: resources/playbooks, then the data folder's playbooks/). */
  playbookDirs?: string[];
  /** Seals enforcer credentials (Electron: safeStorage); default a key file in the data folder. */
  secretBox?: SecretBox;
}

/** Haechi's own resources folder (starter rules, playbooks, mappings): in the source tree or
 * next to the built app (`out/main` sits two levels below the root, like `src/main`). */
export function resourcesDir(): string {
  const candidates = [
    process.env.HAECHI_RESOURCES,
    fileURLToPath(new URL('../../resources', import.meta.url)),
    path.join(process.cwd(), 'resources'),
  ];
  for (const dir of candidates) if (dir && fs.existsSync(path.join(dir, 'rules'))) return dir;
  return path.join(process.cwd(), 'resources');
}

/** The loaded rules: the live engine plus what failed to load. */
export interface RuleSet {
  engine: SigmaEngine;
  rules: CompiledRule[];
  problems: RuleProblem[];
  paths: string[];
  /** How rule field names and log sources resolve (resources/mappings/sigma.yml). */
  mapping: Mapping;
}

export class AppContext {
  readonly topics = new EventEmitter<{ [K in keyof TopicPayloads]: [TopicPayloads[K]] }>();
  readonly pipeline: Pipeline;
  readonly demo: DemoFeed;
  rules: RuleSet;
  /** Set by createContext once the pipeline exists (sources feed it). */
  feed!: FeedManager;
  /** Seals secrets at rest (enforcer credentials, the workstation PII key); set by createContext. */
  secretBox!: SecretBox;
  private readonly timers: NodeJS.Timeout[] = [];
  private matchFailures = 0;

  constructor(
    readonly opts: ContextOptions,
    readonly store: Store,
    readonly segments: SegmentStore,
    readonly archive: EventArchive,
    readonly cases: CaseService,
    readonly model: VerdictModel,
    readonly intel: IntelStore,
    readonly response: ResponseService,
    rules: RuleSet,
  ) {
    this.rules = rules;
    const engine: DetectionEngine = { match: (events) => this.matchAll(events) };
    this.pipeline = new Pipeline({
      store,
      archive,
      cases,
      model,
      engine: () => engine,
      intel: () => ({ hits: (event) => intel.match(event) }),
      responder: () => response,
    });
    this.demo = new DemoFeed((events) => this.pipeline.submit(events));
    this.wireTopics();
  }

  get dataDir(): string {
    return this.opts.dataDir;
  }

  /** The user's own rules folder (the rule editor saves there). */
  get userRulesDir(): string {
    return path.join(this.opts.dataDir, 'rules');
  }

  /** Match a batch; an event the engine cannot handle is reported and the batch goes on. */
  private matchAll(events: HaechiEvent[]): RuleMatch[] {
    const out: RuleMatch[] = [];
    for (const event of events) {
      try {
        out.push(...this.rules.engine.match(event));
      } catch (err) {
        this.matchFailures += 1;
        if (this.matchFailures <= 10 || this.matchFailures % 1000 === 0) {
          const where = event.position?.record ? ` record ${event.position.record}` : '';
          log.error(
            `matching event ${event.id} (${event.source}${where}) failed: ${(err as Error).message}; ${this.matchFailures} so far`,
          );
        }
      }
    }
    return out;
  }

  /** Reload every rule from disk and swap the live engine. */
  async reloadRules(): Promise<RuleSet> {
    this.rules = await loadRuleSet(this.opts);
    return this.rules;
  }

  async close(): Promise<void> {
    this.demo.stop();
    this.timers.forEach(clearInterval);
    await this.feed?.close();
    await this.pipeline.whenIdle();
    this.pipeline.stop();
    await this.response.close();
    await this.store.close();
    this.segments.close();
    log.info('closed');
  }

  /** Push each live source's status once a second while there are sources. */
  private watchSources(): void {
    const timer = setInterval(() => {
      for (const status of this.feed?.list() ?? []) this.topics.emit('source', status);
    }, 1000);
    timer.unref?.();
    this.timers.push(timer);
  }

  private notice(n: Parameters<Pipeline['raiseNotice']>[0]): void {
    try {
      this.pipeline.raiseNotice(n);
    } catch (err) {
      log.error(`raising "${n.title}" failed: ${(err as Error).message}`);
    }
  }

  private wireTopics(): void {
    this.watchSources();
    this.pipeline.on('live', (tick) => this.topics.emit('live', tick));
    this.pipeline.on('case', (c) => this.topics.emit('case', c));
    this.response.on('limit', ({ enforcer, perMinute }) =>
      this.notice({
        ruleId: 'haechi:block-limit',
        title: `Block limit reached on enforcer ${enforcer}`,
        level: 'high',
        detail: `${perMinute} new blocks a minute; further blocks wait until the minute passes`,
      }),
    );
    this.response.on('circuit', ({ enforcer, state, detail }) => {
      if (state !== 'open') return;
      this.notice({
        ruleId: 'haechi:enforcer-down',
        title: `Enforcer ${enforcer} is down: actions wait`,
        level: 'high',
        detail: `circuit open after repeated failures: ${detail}`,
      });
    });
    // The response side re-emits an action when an alert extends a block in force: the case's
    // timeline records each state an action reaches once.
    const recorded = new Map<string, string>();
    this.response.on('action', (action) => {
      this.topics.emit('action', action);
      if (!action.caseId || recorded.get(action.id) === action.state) return;
      if (['pending', 'applied'].includes(action.state)) recorded.set(action.id, action.state);
      else recorded.delete(action.id);
      try {
        const what = `${action.kind} ${action.target}: ${action.state} (${action.enforcer}, ${action.mode})`;
        this.cases.addTimeline(action.caseId, 'action', what, action.playbook, action.id);
      } catch (err) {
        log.error(
          `recording action ${action.id} in case ${action.caseId} failed: ${(err as Error).message}`,
        );
      }
    });
  }
}

async function loadRuleSet(opts: ContextOptions): Promise<RuleSet> {
  const userDir = path.join(opts.dataDir, 'rules');
  fs.mkdirSync(userDir, { recursive: true });
  const paths = [
    ...(opts.noStarterRules ? [] : [path.join(resourcesDir(), 'rules')]),
    userDir,
    ...(opts.rulesPaths ?? []),
  ];
  const started = Date.now();
  // The mapping is read from our resources folder explicitly, so the bundled main finds it too.
  const mapping = loadMapping(path.join(resourcesDir(), 'mappings', 'sigma.yml'));
  const { rules, problems } = await loadRules(paths, { mapping });
  log.info(
    `rules: ${rules.length} loaded, ${problems.length} rejected in ${Date.now() - started} ms`,
  );
  return { engine: new SigmaEngine(rules, { mapping }), rules, problems, paths, mapping };
}

export async function createContext(opts: ContextOptions): Promise<AppContext> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const store = await Store.open(path.join(opts.dataDir, 'db'));
  const segments = new SegmentStore(path.join(opts.dataDir, 'segments'));
  try {
    const archive = new EventArchive(store, segments);
    const cases = new CaseService(store, archive, { windowMs: opts.caseWindowMs });
    const model = new VerdictModel(store);
    const intelPersistence = new StoreIntelPersistence(store);
    const intel = new IntelStore(intelPersistence);
    const secretBox =
      opts.secretBox ?? new KeyFileSecretBox(path.join(opts.dataDir, 'secret.key'));
    const opened = await openResponse({
      store,
      playbookDirs: opts.playbookDirs ?? [
        path.join(resourcesDir(), 'playbooks'),
        path.join(opts.dataDir, 'playbooks'),
      ],
      config: path.join(opts.dataDir, 'response.yaml'),
      secretBox,
    });
    const response = opened.service;
    cases.actionsOf = (caseId) =>
      response.listActions({ limit: 5000 }).filter((a) => a.caseId === caseId);
    const rules = await loadRuleSet(opts);
    const ctx = new AppContext(
      opts,
      store,
      segments,
      archive,
      cases,
      model,
      intel,
      response,
      rules,
    );
    ctx.secretBox = secretBox;
    // Live sources hand their batches to the pipeline; a batch is acknowledged once stored.
    ctx.feed = new FeedManager({
      sink: async (events) => void ctx.pipeline.ingest(events),
      dataDir: opts.dataDir,
      intel,
      cursors: intelPersistence,
    });
    await ctx.feed.load().catch((err) => log.error(`live sources: ${(err as Error).message}`));
    if (opts.demo) ctx.demo.start(opts.demoRate ?? DEFAULT_DEMO_RATE);
    log.info(`ready: ${opts.mode}, data in ${opts.dataDir}`);
    return ctx;
  } catch (err) {
    await store.close().catch(() => undefined);
    segments.close();
    throw err;
  }
}
