// Alerts in the database: one row per scored finding, with its score parts kept as JSON.
import type { Store } from '../store';
import type { Alert, Level, Verdict } from '../../shared/types';

interface AlertRow {
  id: string;
  time: string;
  created_at: number;
  score: number;
  severity: string;
  title: string;
  rule_id: string;
  tags: string;
  parts: string;
  event_ids: string;
  host: string | null;
  src_ip: string | null;
  case_id: string | null;
  verdict: string | null;
}

const SCHEMA = [
  `CREATE TABLE alerts (id TEXT PRIMARY KEY, time TEXT NOT NULL, time_ms INTEGER NOT NULL,
     created_at INTEGER NOT NULL, score INTEGER NOT NULL, severity TEXT NOT NULL,
     title TEXT NOT NULL, rule_id TEXT NOT NULL, tags TEXT NOT NULL, parts TEXT NOT NULL,
     event_ids TEXT NOT NULL, host TEXT, src_ip TEXT, case_id TEXT, verdict TEXT)`,
  'CREATE INDEX alerts_created ON alerts(created_at)',
  'CREATE INDEX alerts_case ON alerts(case_id)',
];

function toAlert(row: AlertRow): Alert {
  const alert: Alert = {
    id: row.id,
    time: row.time,
    createdAt: row.created_at,
    score: row.score,
    severity: row.severity as Level,
    title: row.title,
    ruleId: row.rule_id,
    tags: JSON.parse(row.tags) as string[],
    parts: JSON.parse(row.parts) as Alert['parts'],
    eventIds: JSON.parse(row.event_ids) as string[],
  };
  if (row.host) alert.host = row.host;
  if (row.src_ip) alert.sourceIp = row.src_ip;
  if (row.case_id) alert.caseId = row.case_id;
  if (row.verdict) alert.verdict = row.verdict as Verdict;
  return alert;
}

/** Event time in ms; arrival time when the event's own time does not parse. */
export function alertTimeMs(alert: Alert): number {
  const t = Date.parse(alert.time);
  return Number.isFinite(t) ? t : alert.createdAt;
}

export class AlertStore {
  private total: number;

  constructor(private readonly store: Store) {
    store.migrate('alerts', SCHEMA);
    this.total = Number(store.get<{ n: number }>('SELECT COUNT(*) AS n FROM alerts')?.n ?? 0);
  }

  count(): number {
    return this.total;
  }

  insert(alert: Alert): void {
    this.store.run(
      `INSERT INTO alerts (id, time, time_ms, created_at, score, severity, title, rule_id, tags,
         parts, event_ids, host, src_ip, case_id, verdict)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        alert.id,
        alert.time,
        alertTimeMs(alert),
        alert.createdAt,
        alert.score,
        alert.severity,
        alert.title,
        alert.ruleId,
        JSON.stringify(alert.tags),
        JSON.stringify(alert.parts),
        JSON.stringify(alert.eventIds),
        alert.host ?? null,
        alert.sourceIp ?? null,
        alert.caseId ?? null,
        alert.verdict ?? null,
      ],
    );
    this.total += 1;
  }

  get(id: string): Alert | null {
    const row = this.store.get<AlertRow>('SELECT * FROM alerts WHERE id = ?', [id]);
    return row ? toAlert(row) : null;
  }

  list(opts: { limit: number; minScore?: number; caseId?: string }): Alert[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (opts.minScore !== undefined) {
      where.push('score >= ?');
      params.push(opts.minScore);
    }
    if (opts.caseId !== undefined) {
      where.push('case_id = ?');
      params.push(opts.caseId);
    }
    const sql = `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, rowid DESC LIMIT ?`;
    return this.store.all<AlertRow>(sql, [...params, opts.limit]).map(toAlert);
  }

  /** The alerts of one case, oldest first (the order they joined it), at most `limit`. */
  ofCase(caseId: string, limit = 1000): Alert[] {
    return this.store
      .all<AlertRow>('SELECT * FROM alerts WHERE case_id = ? ORDER BY time_ms, rowid LIMIT ?', [
        caseId,
        limit,
      ])
      .map(toAlert);
  }

  idsOfCase(caseId: string): string[] {
    return this.store
      .all<{ id: string }>('SELECT id FROM alerts WHERE case_id = ? ORDER BY time_ms, rowid', [
        caseId,
      ])
      .map((r) => r.id);
  }

  setVerdict(id: string, verdict: Verdict): void {
    this.store.run('UPDATE alerts SET verdict = ? WHERE id = ?', [verdict, id]);
  }
}
