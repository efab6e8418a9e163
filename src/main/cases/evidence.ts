// Evidence: raw events in append-only segment files, indexed from the database by id, time,
// source, host and source address (DESIGN.md, Storage). Bulky raw text never enters the snapshot.
import type { SegmentStore, Store } from '../store';
import type { HaechiEvent } from '../../shared/types';

interface EventRow {
  id: string;
  seg: number;
  off: number;
  len: number;
}

/** Rows per INSERT statement (9 parameters each, well under SQLite's 32766). */
const ROWS_PER_INSERT = 1000;

const SCHEMA = [
  `CREATE TABLE events (id TEXT PRIMARY KEY, time TEXT NOT NULL, received INTEGER NOT NULL,
     source TEXT NOT NULL, host TEXT, src_ip TEXT, seg INTEGER NOT NULL, off INTEGER NOT NULL,
     len INTEGER NOT NULL)`,
  'CREATE INDEX events_received ON events(received)',
  'CREATE INDEX events_src_ip ON events(src_ip)',
  'CREATE INDEX events_host ON events(host)',
];

export class EventArchive {
  private total: number;

  constructor(
    private readonly store: Store,
    private readonly segments: SegmentStore,
  ) {
    store.migrate('events', SCHEMA);
    this.total = Number(store.get<{ n: number }>('SELECT COUNT(*) AS n FROM events')?.n ?? 0);
  }

  /**
   * Append raw events to the segment files (one fsync) and write their index rows. Call inside a
   * store transaction so the rows of one batch cost one journal record.
   */
  append(events: HaechiEvent[]): void {
    if (events.length === 0) return;
    const refs = this.segments.append(events);
    // Multi-row inserts: the journal keeps one statement per chunk, not one per event.
    for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
      const chunk = events.slice(i, i + ROWS_PER_INSERT);
      const params = chunk.flatMap((event, j) => {
        const ref = refs[i + j];
        return [
          event.id,
          event.time,
          event.receivedAt,
          event.source,
          event.norm['host.name'] ?? null,
          event.norm['source.ip'] ?? null,
          ref.seg,
          ref.off,
          ref.len,
        ];
      });
      this.store.run(
        `INSERT OR IGNORE INTO events (id, time, received, source, host, src_ip, seg, off, len)
         VALUES ${chunk.map(() => '(?,?,?,?,?,?,?,?,?)').join(',')}`,
        params,
      );
    }
    this.total += events.length;
  }

  count(): number {
    return this.total;
  }

  get(id: string): HaechiEvent | null {
    const row = this.store.get<EventRow>('SELECT id, seg, off, len FROM events WHERE id = ?', [id]);
    return row ? this.read(row) : null;
  }

  /** The events with these ids, in the order given; unknown ids are left out. */
  getMany(ids: string[]): HaechiEvent[] {
    const out: HaechiEvent[] = [];
    for (const id of ids) {
      const event = this.get(id);
      if (event) out.push(event);
    }
    return out;
  }

  /** The newest `limit` events by arrival, newest first. */
  recent(limit: number): HaechiEvent[] {
    const rows = this.store.all<EventRow>(
      'SELECT id, seg, off, len FROM events ORDER BY received DESC, rowid DESC LIMIT ?',
      [limit],
    );
    return rows.map((row) => this.read(row)).filter((e): e is HaechiEvent => e !== null);
  }

  private read(row: EventRow): HaechiEvent | null {
    try {
      return this.segments.read<HaechiEvent>({ seg: row.seg, off: row.off, len: row.len });
    } catch {
      // A segment lost outside Haechi (deleted by hand): the index row stays, the raw text is gone.
      return null;
    }
  }
}
