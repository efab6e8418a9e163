// The local database: sql.js in memory, made durable by a journal and snapshots (DESIGN.md).
//
// Every change is appended to the journal and fsynced before the call returns; a snapshot is
// written atomically (temp file, fsync, rename) and the journals it covers are removed after.
// On open: load the snapshot, replay the journals past the snapshot's sequence number.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js';
import { logger } from '../log';

const log = logger('store');
const nodeRequire = createRequire(import.meta.url);

export type Params = SqlValue[] | Record<string, SqlValue>;
type Entry = [sql: string, params: Params | null];

let sqlJs: Promise<SqlJsStatic> | undefined;
function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= initSqlJs({ locateFile: (file: string) => nodeRequire.resolve(`sql.js/dist/${file}`) });
  return sqlJs;
}

const SNAPSHOT = 'haechi.sqlite';
const JOURNAL = 'journal.ndjson';
const JOURNAL_OLD = 'journal.old.ndjson';
const LOCK = 'LOCK';

/** One process per data folder: a second one would interleave journals. */
function takeLock(dir: string): void {
  const file = path.join(dir, LOCK);
  try {
    const holder = Number(fs.readFileSync(file, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(`data folder ${dir} is in use by process ${holder}; stop it or pick another folder`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.writeFileSync(file, String(process.pid));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StoreOptions {
  /** Take a snapshot after this many journal entries (default 5000). */
  snapshotEvery?: number;
}

export class Store {
  private seq = 0;
  private pending: Entry[] | null = null;
  private journalFd: number | null = null;
  private sinceSnapshot = 0;
  private snapshotting: Promise<void> | null = null;
  private closed = false;

  private constructor(
    readonly db: Database,
    readonly dir: string | null,
    private readonly opts: Required<StoreOptions>,
  ) {}

  /** A durable store in `dir`: snapshot plus journal, replayed on open. */
  static async open(dir: string, opts: StoreOptions = {}): Promise<Store> {
    const SQL = await loadSqlJs();
    fs.mkdirSync(dir, { recursive: true });
    takeLock(dir);
    const snapPath = path.join(dir, SNAPSHOT);
    const db = fs.existsSync(snapPath) ? new SQL.Database(fs.readFileSync(snapPath)) : new SQL.Database();
    const store = new Store(db, dir, { snapshotEvery: opts.snapshotEvery ?? 5000 });
    store.ensureMeta();
    store.seq = Number(store.metaGet('seq') ?? 0);
    const replayed = store.replay(path.join(dir, JOURNAL_OLD)) + store.replay(path.join(dir, JOURNAL));
    store.journalFd = fs.openSync(path.join(dir, JOURNAL), 'a');
    log.info(`opened ${dir}: snapshot seq ${store.metaGet('seq') ?? 0}, replayed ${replayed} entries`);
    return store;
  }

  /** An in-memory store without durability, for tests and one-off scans. */
  static async memory(): Promise<Store> {
    const SQL = await loadSqlJs();
    const store = new Store(new SQL.Database(), null, { snapshotEvery: Infinity });
    store.ensureMeta();
    return store;
  }

  /**
   * Apply a domain's schema steps in order. Steps already applied (counted per domain) are
   * skipped, so a domain only ever appends new steps.
   */
  migrate(domain: string, steps: string[]): void {
    const key = `migration:${domain}`;
    const done = Number(this.metaGet(key) ?? 0);
    if (done >= steps.length) return;
    this.transaction(() => {
      for (let i = done; i < steps.length; i++) this.run(steps[i]);
      this.run('INSERT OR REPLACE INTO _meta(key, value) VALUES (?, ?)', [key, String(steps.length)]);
    });
  }

  /** Run one changing statement. Journaled and fsynced before it returns. */
  run(sql: string, params?: Params): void {
    this.assertOpen();
    if (this.pending) {
      this.db.run(sql, params ?? undefined);
      this.pending.push([sql, params ?? null]);
      return;
    }
    this.transaction(() => this.run(sql, params));
  }

  /** Run several changes atomically, with one journal record and one fsync. */
  transaction<T>(fn: () => T): T {
    this.assertOpen();
    if (this.pending) return fn();
    this.pending = [];
    this.db.run('BEGIN');
    try {
      const result = fn();
      const entries = this.pending;
      if (entries.length > 0) this.appendJournal(entries);
      this.db.run('COMMIT');
      if (entries.length > 0) this.afterWrite();
      return result;
    } catch (err) {
      this.db.run('ROLLBACK');
      throw err;
    } finally {
      this.pending = null;
    }
  }

  all<T = Record<string, SqlValue>>(sql: string, params?: Params): T[] {
    this.assertOpen();
    const stmt = this.db.prepare(sql);
    try {
      if (params) stmt.bind(params);
      const rows: T[] = [];
      while (stmt.step()) rows.push(stmt.getAsObject() as T);
      return rows;
    } finally {
      stmt.free();
    }
  }

  get<T = Record<string, SqlValue>>(sql: string, params?: Params): T | undefined {
    return this.all<T>(sql, params)[0];
  }

  /** Write a snapshot now and drop the journal entries it covers. */
  async snapshot(): Promise<void> {
    if (!this.dir) return;
    if (this.snapshotting) return this.snapshotting;
    this.snapshotting = this.writeSnapshot().finally(() => (this.snapshotting = null));
    return this.snapshotting;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.snapshotting;
    if (this.dir && this.sinceSnapshot > 0) await this.snapshot();
    this.closed = true;
    if (this.journalFd !== null) fs.closeSync(this.journalFd);
    if (this.dir) fs.rmSync(path.join(this.dir, LOCK), { force: true });
    this.db.close();
    log.info(`closed${this.dir ? ` ${this.dir}` : ''}`);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('store is closed');
  }

  private ensureMeta(): void {
    this.db.run('CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT)');
  }

  private metaGet(key: string): string | undefined {
    const row = this.get<{ value: string }>('SELECT value FROM _meta WHERE key = ?', [key]);
    return row?.value;
  }

  private appendJournal(entries: Entry[]): void {
    if (this.journalFd === null) return;
    this.seq += 1;
    const line = JSON.stringify({ s: this.seq, q: entries }) + '\n';
    fs.writeSync(this.journalFd, line);
    fs.fsyncSync(this.journalFd);
  }

  private afterWrite(): void {
    this.sinceSnapshot += 1;
    if (this.dir && this.sinceSnapshot >= this.opts.snapshotEvery && !this.snapshotting) {
      this.snapshot().catch((err) => log.error(`snapshot failed: ${(err as Error).message}`));
    }
  }

  /** Replay one journal file; a torn last line (a write that never returned) is ignored. */
  private replay(file: string): number {
    if (!fs.existsSync(file)) return 0;
    const snapSeq = this.seq;
    let applied = 0;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!line) return;
      let record: { s: number; q: Entry[] };
      try {
        record = JSON.parse(line);
      } catch {
        if (i < lines.length - 2) log.warn(`journal ${path.basename(file)} line ${i + 1} unreadable`);
        return;
      }
      if (record.s <= snapSeq) return;
      this.db.run('BEGIN');
      for (const [sql, params] of record.q) this.db.run(sql, params ?? undefined);
      this.db.run('COMMIT');
      this.seq = Math.max(this.seq, record.s);
      applied += 1;
    });
    return applied;
  }

  private async writeSnapshot(): Promise<void> {
    const dir = this.dir as string;
    const started = Date.now();

    // Freeze: record the sequence, rotate the journal, export the bytes (all synchronous).
    this.db.run('INSERT OR REPLACE INTO _meta(key, value) VALUES (?, ?)', ['seq', String(this.seq)]);
    if (this.journalFd !== null) fs.closeSync(this.journalFd);
    const journal = path.join(dir, JOURNAL);
    const old = path.join(dir, JOURNAL_OLD);
    if (fs.existsSync(old)) {
      fs.appendFileSync(old, fs.existsSync(journal) ? fs.readFileSync(journal) : '');
      fs.rmSync(journal, { force: true });
    } else if (fs.existsSync(journal)) {
      fs.renameSync(journal, old);
    }
    this.journalFd = fs.openSync(journal, 'a');
    this.sinceSnapshot = 0;
    const bytes = this.db.export();

    // Write atomically in the background: temp file, fsync, rename, fsync the folder.
    const tmp = path.join(dir, `${SNAPSHOT}.tmp`);
    const handle = await fs.promises.open(tmp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(tmp, path.join(dir, SNAPSHOT));
    const dirHandle = await fs.promises.open(dir, 'r');
    await dirHandle.sync().finally(() => dirHandle.close());
    await fs.promises.rm(old, { force: true });
    log.debug(`snapshot ${bytes.length} bytes in ${Date.now() - started} ms`);
  }
}

export { SegmentStore, type SegmentRef } from './segments';
