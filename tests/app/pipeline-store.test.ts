// The pipeline against a durable store, without the rest of the app: evidence rows journaled per
// batch, the raw events in segments, and snapshots asked for by event count.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SegmentStore, Store } from '../../src/main/store';
import { CaseService, EventArchive } from '../../src/main/cases';
import { VerdictModel } from '../../src/main/engine/model';
import { DemoGenerator } from '../../src/main/demo';
import { Pipeline } from '../../src/main/pipeline';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function open(dir: string) {
  const store = await Store.open(path.join(dir, 'db'));
  const segments = new SegmentStore(path.join(dir, 'segments'));
  const archive = new EventArchive(store, segments);
  const cases = new CaseService(store, archive);
  return { store, segments, archive, cases, model: new VerdictModel(store) };
}

describe('the pipeline on a durable store', () => {
  it('journals one entry per batch and keeps every event readable after a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haechi-pipe-'));
    dirs.push(dir);
    const deps = await open(dir);
    const pipeline = new Pipeline({ ...deps, engine: () => null, snapshotEveryEvents: 1_000_000 });
    const gen = new DemoGenerator(2, 60_000);
    const batches = [gen.batch(1500, 0).events, gen.batch(700, 1).events];
    const journal = path.join(dir, 'db', 'journal.ndjson');
    const before = fs.readFileSync(journal, 'utf8').split('\n').filter(Boolean).length;
    for (const events of batches) pipeline.ingest(events);
    const after = fs.readFileSync(journal, 'utf8').split('\n').filter(Boolean).length;
    expect(after - before).toBe(2);

    // Reopen without closing (as after a crash): the journal is replayed.
    deps.segments.close();
    const again = await open(dir);
    expect(again.archive.count()).toBe(2200);
    const last = batches[1][699];
    expect(again.archive.get(last.id)).toEqual(last);
    again.segments.close();
  });

  it('asks the store for a snapshot every N events, so the journal stays short', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haechi-pipe-'));
    dirs.push(dir);
    const deps = await open(dir);
    const asked: Promise<void>[] = [];
    const snapshot = deps.store.snapshot.bind(deps.store);
    deps.store.snapshot = () => {
      const p = snapshot();
      asked.push(p);
      return p;
    };
    const pipeline = new Pipeline({ ...deps, engine: () => null, snapshotEveryEvents: 250 });
    const gen = new DemoGenerator(3, 60_000);
    for (let i = 0; i < 6; i++) pipeline.ingest(gen.batch(100, i).events);
    // 600 events with a snapshot every 250: asked after the 3rd and the 6th batch.
    expect(asked).toHaveLength(2);
    await Promise.all(asked);
    expect(fs.existsSync(path.join(dir, 'db', 'haechi.sqlite'))).toBe(true);
    const journal = fs.readFileSync(path.join(dir, 'db', 'journal.ndjson'), 'utf8');
    expect(journal.split('\n').filter(Boolean).length).toBeLessThanOrEqual(3);
    await deps.store.close();
    deps.segments.close();
    const again = await open(dir);
    expect(again.archive.count()).toBe(600);
    await again.store.close();
    again.segments.close();
  });
});
