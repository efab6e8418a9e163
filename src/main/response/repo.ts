// Persistence of actions and their audit trail in the Store. Every state move and its audit entry
// are written in one transaction, so neither exists without the other.
import { randomUUID } from 'node:crypto';
import type { Action, AuditEntry } from '../../shared/types';
import { CREDENTIAL_MIGRATIONS } from './secrets';
import type { ActionRecord, ResponseStore } from './types';

export const RESPONSE_MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS response_actions (id TEXT PRIMARY KEY, state TEXT NOT NULL,
    enforcer TEXT NOT NULL, dedupe_key TEXT NOT NULL, received_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL, record TEXT NOT NULL)`,
  'CREATE INDEX IF NOT EXISTS response_actions_state ON response_actions (state)',
  'CREATE INDEX IF NOT EXISTS response_actions_created ON response_actions (created_at)',
  `CREATE TABLE IF NOT EXISTS response_audit (id TEXT PRIMARY KEY, at INTEGER NOT NULL,
    actor TEXT NOT NULL, verb TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL,
    case_id TEXT)`,
  'CREATE INDEX IF NOT EXISTS response_audit_case ON response_audit (case_id)',
  'CREATE INDEX IF NOT EXISTS response_audit_subject ON response_audit (subject)',
  `CREATE TABLE IF NOT EXISTS response_playbooks (name TEXT PRIMARY KEY, yaml TEXT NOT NULL,
    updated_at INTEGER NOT NULL)`,
  ...CREDENTIAL_MIGRATIONS,
];

export interface AuditInput {
  actor: string;
  verb: string;
  detail: string;
}

export class ResponseRepo {
  constructor(private readonly store: ResponseStore) {
    store.migrate('response', RESPONSE_MIGRATIONS);
  }

  /** Saves the record and appends its audit entry atomically; returns the entry. */
  save(rec: ActionRecord, audit: AuditInput, at = Date.now()): AuditEntry {
    const a = rec.action;
    const entry: AuditEntry = {
      id: randomUUID(),
      at,
      actor: audit.actor,
      verb: audit.verb,
      subject: a.id,
      detail: audit.detail,
      caseId: a.caseId,
    };
    this.store.transaction(() => {
      this.store.run(
        `INSERT OR REPLACE INTO response_actions (id, state, enforcer, dedupe_key, received_at, created_at, record)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [
          a.id,
          a.state,
          a.enforcer,
          rec.dedupeKey,
          rec.receivedAt,
          a.createdAt,
          JSON.stringify(rec),
        ],
      );
      this.insertAudit(entry);
    });
    return entry;
  }

  /** An audit entry not tied to a state move (a refusal, a limit reached, a TTL extended). */
  audit(subject: string, audit: AuditInput, caseId?: string, at = Date.now()): AuditEntry {
    const entry: AuditEntry = {
      id: randomUUID(),
      at,
      actor: audit.actor,
      verb: audit.verb,
      subject,
      detail: audit.detail,
      caseId,
    };
    this.insertAudit(entry);
    return entry;
  }

  private insertAudit(e: AuditEntry): void {
    this.store.run(
      'INSERT INTO response_audit (id, at, actor, verb, subject, detail, case_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [e.id, e.at, e.actor, e.verb, e.subject, e.detail, e.caseId ?? null],
    );
  }

  /** Every record (newest first), for the in-memory index built at start. */
  loadAll(): ActionRecord[] {
    return this.store
      .all<{ record: string }>('SELECT record FROM response_actions ORDER BY created_at DESC')
      .map((r) => JSON.parse(r.record) as ActionRecord);
  }

  auditFor(filter: { caseId?: string; subject?: string; limit?: number } = {}): AuditEntry[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.caseId) {
      where.push('case_id = ?');
      params.push(filter.caseId);
    }
    if (filter.subject) {
      where.push('subject = ?');
      params.push(filter.subject);
    }
    const sql = `SELECT * FROM response_audit ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY at, rowid LIMIT ?`;
    params.push(filter.limit ?? 10_000);
    return this.store.all<Record<string, unknown>>(sql, params).map(toAudit);
  }

  savePlaybook(name: string, yaml: string): void {
    this.store.run(
      'INSERT OR REPLACE INTO response_playbooks (name, yaml, updated_at) VALUES (?, ?, ?)',
      [name, yaml, Date.now()],
    );
  }

  playbooks(): { name: string; yaml: string }[] {
    return this.store.all<{ name: string; yaml: string }>(
      'SELECT name, yaml FROM response_playbooks ORDER BY name',
    );
  }
}

function toAudit(r: Record<string, unknown>): AuditEntry {
  const e: AuditEntry = {
    id: String(r.id),
    at: Number(r.at),
    actor: String(r.actor),
    verb: String(r.verb),
    subject: String(r.subject),
    detail: String(r.detail),
  };
  if (r.case_id) e.caseId = String(r.case_id);
  return e;
}

export function actionSummary(a: Action): string {
  return `${a.kind} ${a.target} via ${a.enforcer}`;
}
