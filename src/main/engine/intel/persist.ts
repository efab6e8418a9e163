// Keeping indicators between runs: in the Store (journaled, fsynced) or in a JSON snapshot file.
import fs from 'node:fs';
import path from 'node:path';
import type { Indicator } from '../../../shared/types';
import type { Store } from '../../store';
import type { IntelPersistence } from './store';

const STEPS = [
  `CREATE TABLE intel_indicator (id TEXT PRIMARY KEY, type TEXT NOT NULL, value TEXT NOT NULL,
     source TEXT NOT NULL, confidence INTEGER NOT NULL, valid_until TEXT, modified TEXT, body TEXT NOT NULL)`,
  'CREATE INDEX intel_indicator_value ON intel_indicator(value)',
  'CREATE TABLE intel_cursor (source TEXT PRIMARY KEY, cursor TEXT NOT NULL)',
];

/** Cursors of polled feeds (TAXII added_after, HTTP ETag) kept next to the indicators. */
export interface CursorStore {
  getCursor(source: string): string | undefined;
  setCursor(source: string, cursor: string): void;
}

export class StoreIntelPersistence implements IntelPersistence, CursorStore {
  constructor(private readonly store: Store) {
    store.migrate('intel', STEPS);
  }

  load(): Indicator[] {
    return this.store
      .all<{ body: string }>('SELECT body FROM intel_indicator')
      .map((r) => JSON.parse(r.body) as Indicator);
  }

  save(upserts: Indicator[], removedIds: string[]): void {
    this.store.transaction(() => {
      for (const i of upserts) {
        this.store.run(
          'INSERT OR REPLACE INTO intel_indicator(id, type, value, source, confidence, valid_until, modified, body) VALUES (?,?,?,?,?,?,?,?)',
          [
            i.id,
            i.type,
            i.value,
            i.source,
            i.confidence,
            i.validUntil ?? null,
            i.modified ?? null,
            JSON.stringify(i),
          ],
        );
      }
      for (const id of removedIds) this.store.run('DELETE FROM intel_indicator WHERE id = ?', [id]);
    });
  }

  getCursor(source: string): string | undefined {
    return this.store.get<{ cursor: string }>('SELECT cursor FROM intel_cursor WHERE source = ?', [
      source,
    ])?.cursor;
  }

  setCursor(source: string, cursor: string): void {
    this.store.run('INSERT OR REPLACE INTO intel_cursor(source, cursor) VALUES (?, ?)', [
      source,
      cursor,
    ]);
  }
}

/** Fallback without a Store: the whole set in one JSON file, written atomically and fsynced. */
export class FileIntelPersistence implements IntelPersistence, CursorStore {
  private indicators = new Map<string, Indicator>();
  private cursors: Record<string, string> = {};

  constructor(private readonly file: string) {
    if (!fs.existsSync(file)) return;
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      indicators: Indicator[];
      cursors: Record<string, string>;
    };
    for (const i of doc.indicators) this.indicators.set(i.id, i);
    this.cursors = doc.cursors ?? {};
  }

  load(): Indicator[] {
    return [...this.indicators.values()];
  }

  save(upserts: Indicator[], removedIds: string[]): void {
    for (const i of upserts) this.indicators.set(i.id, i);
    for (const id of removedIds) this.indicators.delete(id);
    this.write();
  }

  getCursor(source: string): string | undefined {
    return this.cursors[source];
  }

  setCursor(source: string, cursor: string): void {
    this.cursors[source] = cursor;
    this.write();
  }

  private write(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    fs.writeSync(fd, JSON.stringify({ indicators: this.load(), cursors: this.cursors }));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, this.file);
  }
}
