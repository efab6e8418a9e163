// The case service: groups alerts into cases, and lists, reads and edits cases. Every write goes
// through the store, so a call that returns has been journaled and fsynced.
import { NotFoundError } from '../errors';
import { randomBytes } from 'node:crypto';
import type { Store } from '../store';
import { logger } from '../log';
import { AlertStore, alertTimeMs } from './alerts';
import type { EventArchive } from './evidence';
import { extractObservables, mergeObservables, usefulIp } from './observables';
import { LEVELS } from '../../shared/types';
import type {
  Action,
  Alert,
  Case,
  CaseNote,
  CaseStatus,
  HaechiEvent,
  Level,
  Observable,
  TimelineEntry,
  Verdict,
} from '../../shared/types';
import type { CaseDetail } from '../../shared/api/core';

const log = logger('cases');

/**
 * A case's detail shows at most this many timeline entries and MAX_DETAIL_ALERTS alerts (the
 * oldest); known gap: no paging yet for cases bigger than that.
 */
export const MAX_TIMELINE = 2000;
export const MAX_DETAIL_ALERTS = 1000;

/** Alerts within this distance of a case's first or last alert join it (default 30 minutes). */
export const DEFAULT_WINDOW_MS = 30 * 60 * 1000;

const SCHEMA = [
  `CREATE TABLE cases (id TEXT PRIMARY KEY, num INTEGER NOT NULL, title TEXT NOT NULL,
     status TEXT NOT NULL, severity TEXT NOT NULL, score INTEGER NOT NULL,
     created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, group_key TEXT NOT NULL,
     first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL, observables TEXT NOT NULL,
     verdict TEXT, assignee TEXT)`,
  'CREATE INDEX cases_group ON cases(group_key, status)',
  'CREATE INDEX cases_updated ON cases(updated_at)',
  `CREATE TABLE case_notes (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, at INTEGER NOT NULL,
     author TEXT NOT NULL, text TEXT NOT NULL)`,
  'CREATE INDEX case_notes_case ON case_notes(case_id)',
  `CREATE TABLE case_timeline (case_id TEXT NOT NULL, at INTEGER NOT NULL, kind TEXT NOT NULL,
     text TEXT NOT NULL, actor TEXT NOT NULL, ref TEXT)`,
  'CREATE INDEX case_timeline_case ON case_timeline(case_id)',
];

interface CaseRow {
  id: string;
  title: string;
  status: string;
  severity: string;
  score: number;
  created_at: number;
  updated_at: number;
  group_key: string;
  first_ms: number;
  last_ms: number;
  observables: string;
  verdict: string | null;
  assignee: string | null;
}

export interface CaseUpdate {
  id: string;
  status?: CaseStatus;
  severity?: Level;
  verdict?: Verdict;
  assignee?: string;
}

export interface CaseServiceOptions {
  windowMs?: number;
  now?: () => number;
  /** Actions recorded against a case (the response service's); none until it is wired. */
  actionsOf?: (caseId: string) => Action[];
}

export { NotFoundError };

const rank = (level: Level) => LEVELS.indexOf(level);
const maxLevel = (a: Level, b: Level): Level => (rank(a) >= rank(b) ? a : b);

/** What the grouping keys on: the source address when there is a useful one, else the host. */
export function groupKeyOf(alert: Pick<Alert, 'sourceIp' | 'host'>): string | null {
  const ip = usefulIp(alert.sourceIp);
  if (ip) return `ip:${ip}`;
  if (alert.host) return `host:${alert.host}`;
  return null;
}

export class CaseService {
  readonly alerts: AlertStore;
  private readonly windowMs: number;
  private readonly now: () => number;
  private nextNum: number;
  actionsOf: (caseId: string) => Action[];

  constructor(
    private readonly store: Store,
    readonly evidence: EventArchive,
    opts: CaseServiceOptions = {},
  ) {
    store.migrate('cases', SCHEMA);
    this.alerts = new AlertStore(store);
    this.windowMs = opts.windowMs ?? DEFAULT_WINDOW_MS;
    this.now = opts.now ?? Date.now;
    this.actionsOf = opts.actionsOf ?? (() => []);
    const max = store.get<{ n: number | null }>('SELECT MAX(num) AS n FROM cases')?.n;
    this.nextNum = Number(max ?? 0) + 1;
  }

  countCases(): number {
    return Number(this.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM cases')?.n ?? 0);
  }

  /**
   * Store a new alert and put it into a case: the open case with the same group key whose time
   * span (widened by the window) covers the alert, or a new one. Returns the case.
   */
  addAlert(alert: Alert, events: HaechiEvent[]): Case | null {
    const key = groupKeyOf(alert);
    const at = alertTimeMs(alert);
    const observables = events.flatMap(extractObservables);
    return this.store.transaction(() => {
      let row = key ? this.findOpenCase(key, at) : undefined;
      if (row) this.joinCase(row, alert, at, observables);
      else row = this.createCase(key ?? `alert:${alert.id}`, alert, at, observables);
      alert.caseId = row.id;
      this.alerts.insert(alert);
      this.addTimeline(
        row.id,
        'alert',
        `${alert.title} (score ${alert.score})`,
        'engine',
        alert.id,
      );
      return this.getCaseRow(row.id);
    });
  }

  listCases(opts: { status?: CaseStatus; severity?: Level; limit: number }): Case[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (opts.status) {
      where.push('status = ?');
      params.push(opts.status);
    }
    if (opts.severity) {
      where.push('severity = ?');
      params.push(opts.severity);
    }
    const sql = `SELECT * FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY updated_at DESC, num DESC LIMIT ?`;
    return this.store.all<CaseRow>(sql, [...params, opts.limit]).map((r) => this.toCase(r));
  }

  getCase(id: string): Case | null {
    const row = this.store.get<CaseRow>('SELECT * FROM cases WHERE id = ?', [id]);
    return row ? this.toCase(row) : null;
  }

  /** A case with its alerts, the raw events behind them, notes, timeline and actions. */
  getDetail(id: string): CaseDetail | null {
    const found = this.getCase(id);
    if (!found) return null;
    const alerts = this.alerts.ofCase(id, MAX_DETAIL_ALERTS);
    const eventIds = [...new Set(alerts.flatMap((a) => a.eventIds))].slice(0, 500);
    return {
      case: found,
      alerts,
      events: this.evidence.getMany(eventIds),
      notes: this.notes(id),
      timeline: this.timeline(id),
      actions: this.actionsOf(id),
    };
  }

  updateCase(update: CaseUpdate, actor = 'analyst'): Case {
    const current = this.getCase(update.id);
    if (!current) throw new NotFoundError(`case ${update.id} not found`);
    const at = this.now();
    this.store.transaction(() => {
      const changes: [string, string, string][] = [];
      if (update.status && update.status !== current.status) {
        changes.push(['status', update.status, `status ${current.status} → ${update.status}`]);
      }
      if (update.severity && update.severity !== current.severity) {
        changes.push([
          'severity',
          update.severity,
          `severity ${current.severity} → ${update.severity}`,
        ]);
      }
      if (update.verdict && update.verdict !== current.verdict) {
        changes.push(['verdict', update.verdict, `verdict ${update.verdict}`]);
      }
      if (update.assignee !== undefined && update.assignee !== (current.assignee ?? '')) {
        changes.push(['assignee', update.assignee, `assigned to ${update.assignee || 'nobody'}`]);
      }
      for (const [column, value, text] of changes) {
        this.store.run(`UPDATE cases SET ${column} = ?, updated_at = ? WHERE id = ?`, [
          value === '' ? null : value,
          at,
          update.id,
        ]);
        const kind = column === 'verdict' ? 'verdict' : 'status';
        this.addTimeline(update.id, kind, text, actor);
      }
    });
    return this.getCaseRow(update.id);
  }

  addNote(caseId: string, text: string, author = 'analyst'): CaseNote {
    if (!this.getCase(caseId)) throw new NotFoundError(`case ${caseId} not found`);
    const note: CaseNote = {
      id: `N-${randomBytes(6).toString('hex')}`,
      caseId,
      at: this.now(),
      author,
      text,
    };
    this.store.transaction(() => {
      this.store.run(
        'INSERT INTO case_notes (id, case_id, at, author, text) VALUES (?, ?, ?, ?, ?)',
        [note.id, caseId, note.at, author, text],
      );
      this.store.run('UPDATE cases SET updated_at = ? WHERE id = ?', [note.at, caseId]);
      this.addTimeline(
        caseId,
        'note',
        text.length > 120 ? `${text.slice(0, 117)}…` : text,
        author,
        note.id,
      );
    });
    return note;
  }

  /** Record an entry on a case's timeline (used by the response side for actions). */
  addTimeline(
    caseId: string,
    kind: TimelineEntry['kind'],
    text: string,
    actor: string,
    ref?: string,
  ): void {
    this.store.run(
      'INSERT INTO case_timeline (case_id, at, kind, text, actor, ref) VALUES (?, ?, ?, ?, ?, ?)',
      [caseId, this.now(), kind, text, actor, ref ?? null],
    );
  }

  notes(caseId: string): CaseNote[] {
    return this.store
      .all<{ id: string; case_id: string; at: number; author: string; text: string }>(
        'SELECT * FROM case_notes WHERE case_id = ? ORDER BY at, rowid',
        [caseId],
      )
      .map((r) => ({ id: r.id, caseId: r.case_id, at: r.at, author: r.author, text: r.text }));
  }

  timeline(caseId: string): TimelineEntry[] {
    return this.store
      .all<{ at: number; kind: string; text: string; actor: string; ref: string | null }>(
        `SELECT at, kind, text, actor, ref FROM case_timeline WHERE case_id = ?
           ORDER BY at, rowid LIMIT ?`,
        [caseId, MAX_TIMELINE],
      )
      .map((r) => {
        const entry: TimelineEntry = {
          at: r.at,
          kind: r.kind as TimelineEntry['kind'],
          text: r.text,
          actor: r.actor,
        };
        if (r.ref) entry.ref = r.ref;
        return entry;
      });
  }

  private findOpenCase(key: string, at: number): CaseRow | undefined {
    return this.store.get<CaseRow>(
      `SELECT * FROM cases WHERE group_key = ? AND status != 'closed'
         AND first_ms - ? <= ? AND last_ms + ? >= ? ORDER BY last_ms DESC LIMIT 1`,
      [key, this.windowMs, at, this.windowMs, at],
    );
  }

  private createCase(key: string, alert: Alert, at: number, observables: Observable[]): CaseRow {
    const num = this.nextNum++;
    const id = `C-${num}`;
    const now = this.now();
    const what = key.startsWith('alert:') ? 'unattributed' : key.replace(':', ' ');
    const title = `${alert.title} — ${what}`;
    this.store.run(
      `INSERT INTO cases (id, num, title, status, severity, score, created_at, updated_at,
         group_key, first_ms, last_ms, observables)
       VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        num,
        title,
        alert.severity,
        alert.score,
        now,
        now,
        key,
        at,
        at,
        JSON.stringify(mergeObservables([], observables)),
      ],
    );
    this.addTimeline(id, 'created', `case opened for ${what}`, 'engine', alert.id);
    // The key holds an address or host name: log only its kind.
    log.debug(`case ${id} opened, grouped by ${key.split(':')[0]}`);
    return this.getRow(id) as CaseRow;
  }

  private joinCase(row: CaseRow, alert: Alert, at: number, observables: Observable[]): void {
    const merged = mergeObservables(JSON.parse(row.observables) as Observable[], observables);
    this.store.run(
      `UPDATE cases SET severity = ?, score = ?, updated_at = ?, first_ms = ?, last_ms = ?,
         observables = ? WHERE id = ?`,
      [
        maxLevel(row.severity as Level, alert.severity),
        Math.max(row.score, alert.score),
        this.now(),
        Math.min(row.first_ms, at),
        Math.max(row.last_ms, at),
        JSON.stringify(merged),
        row.id,
      ],
    );
  }

  private getRow(id: string): CaseRow | undefined {
    return this.store.get<CaseRow>('SELECT * FROM cases WHERE id = ?', [id]);
  }

  private getCaseRow(id: string): Case {
    return this.toCase(this.getRow(id) as CaseRow);
  }

  private toCase(row: CaseRow): Case {
    const c: Case = {
      id: row.id,
      title: row.title,
      status: row.status as CaseStatus,
      severity: row.severity as Level,
      score: row.score,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      groupKey: row.group_key,
      alertIds: this.alerts.idsOfCase(row.id),
      observables: JSON.parse(row.observables) as Observable[],
    };
    if (row.verdict) c.verdict = row.verdict as Verdict;
    if (row.assignee) c.assignee = row.assignee;
    return c;
  }
}
