import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';

const dirs: string[] = [];
const stores: Store[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haechi-store-'));
  dirs.push(dir);
  return dir;
}

async function open(dir: string, snapshotEvery?: number): Promise<Store> {
  const store = await Store.open(dir, snapshotEvery ? { snapshotEvery } : {});
  stores.push(store);
  return store;
}

function names(store: Store): string[] {
  return store.all<{ name: string }>('SELECT name FROM items ORDER BY rowid').map((r) => r.name);
}

afterEach(async () => {
  // Stores left open on purpose (a writer that never closed) are just dropped with their dirs.
  stores.length = 0;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('store journal', () => {
  it('replays acknowledged writes from the journal when the writer never closed', async () => {
    const dir = tempDir();
    const writer = await open(dir);
    writer.migrate('items', ['CREATE TABLE items (name TEXT)']);
    writer.run('INSERT INTO items VALUES (?)', ['a']);
    writer.transaction(() => {
      writer.run('INSERT INTO items VALUES (?)', ['b']);
      writer.run('INSERT INTO items VALUES (?)', ['c']);
    });

    expect(fs.existsSync(path.join(dir, 'haechi.sqlite'))).toBe(false);
    const journal = fs.readFileSync(path.join(dir, 'journal.ndjson'), 'utf8').trim().split('\n');
    expect(journal).toHaveLength(3); // migration, one insert, one transaction of two

    const reader = await open(dir);
    expect(names(reader)).toEqual(['a', 'b', 'c']);
  });

  it('does not apply a transaction that threw', async () => {
    const dir = tempDir();
    const writer = await open(dir);
    writer.migrate('items', ['CREATE TABLE items (name TEXT)']);
    expect(() =>
      writer.transaction(() => {
        writer.run('INSERT INTO items VALUES (?)', ['lost']);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    writer.run('INSERT INTO items VALUES (?)', ['kept']);
    expect(names(writer)).toEqual(['kept']);
    expect(names(await open(dir))).toEqual(['kept']);
  });

  it('loads the snapshot and replays only the journal written after it', async () => {
    const dir = tempDir();
    const writer = await open(dir);
    writer.migrate('items', ['CREATE TABLE items (name TEXT)']);
    for (const name of ['a', 'b', 'c']) writer.run('INSERT INTO items VALUES (?)', [name]);
    await writer.snapshot();
    writer.run('INSERT INTO items VALUES (?)', ['d']);
    writer.run('INSERT INTO items VALUES (?)', ['e']);

    expect(fs.existsSync(path.join(dir, 'haechi.sqlite'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'journal.old.ndjson'))).toBe(false);
    const journal = fs.readFileSync(path.join(dir, 'journal.ndjson'), 'utf8').trim().split('\n');
    expect(journal).toHaveLength(2);

    const reader = await open(dir);
    expect(names(reader)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('ignores a torn last journal line (a write that never returned)', async () => {
    const dir = tempDir();
    const writer = await open(dir);
    writer.migrate('items', ['CREATE TABLE items (name TEXT)']);
    writer.run('INSERT INTO items VALUES (?)', ['a']);
    fs.appendFileSync(path.join(dir, 'journal.ndjson'), '{"s":99,"q":[["INSERT INTO items VAL');
    expect(names(await open(dir))).toEqual(['a']);
  });

  it('snapshots by itself every N entries and still loses nothing on reopen', async () => {
    const dir = tempDir();
    const writer = await open(dir, 10);
    writer.migrate('items', ['CREATE TABLE items (name TEXT)']);
    for (let i = 0; i < 25; i++) writer.run('INSERT INTO items VALUES (?)', [`n${i}`]);
    await writer.snapshot();
    await writer.close();
    const reader = await open(dir);
    expect(names(reader)).toEqual(Array.from({ length: 25 }, (_, i) => `n${i}`));
  });
});
