// The feed part of the API, as the UI calls it: validated input, sources saved to the settings
// file, options checked before anything runs, intel import and listing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { feedMethods } from '../../src/shared/api/feed';
import { feedHandlers } from '../../src/main/feed/handlers';
import { FeedManager } from '../../src/main/feed/manager';
import { IntelStore } from '../../src/main/engine/intel/store';
import { countingSink, feedPort, tmpDir } from './helpers';

describe('feed handlers', () => {
  it('saves, lists, stops and removes a source, keeping the settings file in step', async () => {
    const dir = tmpDir('handlers');
    const feed = new FeedManager({ sink: countingSink().sink, dataDir: dir });
    const h = feedHandlers({ feed, intel: new IntelStore() });
    const port = await feedPort();
    const input = feedMethods.saveSource.input.parse({
      name: 'edge syslog',
      kind: 'syslog-tcp',
      options: { port },
    });
    const saved = await h.saveSource(input);
    expect(saved).toMatchObject({
      name: 'edge syslog',
      kind: 'syslog-tcp',
      state: 'running',
      detail: `127.0.0.1:${port}`,
      read: 0,
    });
    const settings = JSON.parse(fs.readFileSync(path.join(dir, 'sources.json'), 'utf8'));
    expect(settings).toEqual([
      { id: saved.id, name: 'edge syslog', kind: 'syslog-tcp', enabled: true, options: { port } },
    ]);
    expect((await h.stopSource({ id: saved.id })).state).toBe('stopped');
    expect((await h.listSources({})).map((s) => s.state)).toEqual(['stopped']);
    expect(await h.removeSource({ id: saved.id })).toEqual({ removed: true });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'sources.json'), 'utf8'))).toEqual([]);
    await expect(h.startSource({ id: saved.id })).rejects.toThrow(
      `no source with id "${saved.id}"`,
    );
    await feed.close();
  });

  it('refuses invalid options before starting anything, naming the field', async () => {
    const feed = new FeedManager({ sink: countingSink().sink, dataDir: tmpDir('handlers-bad') });
    const h = feedHandlers({ feed, intel: new IntelStore() });
    await expect(
      h.saveSource({ name: 'x', kind: 'syslog-tcp', enabled: true, options: { port: 70000 } }),
    ).rejects.toThrow(
      'source "x" (syslog-tcp): invalid options: ✖ Too big: expected number to be <=65535\n  → at port',
    );
    await expect(
      h.saveSource({ name: 'y', kind: 'file', enabled: true, options: {} }),
    ).rejects.toThrow(/invalid options: .*\n {2}→ at path/);
    expect(await h.listSources({})).toEqual([]);
  });

  it('imports intel and lists it', async () => {
    const intel = new IntelStore();
    const h = feedHandlers({
      feed: new FeedManager({ sink: countingSink().sink, dataDir: tmpDir('h-intel') }),
      intel,
    });
    const r = await h.importIntel({
      name: 'watch',
      content: '192.0.2.1\n198.51.100.0/24\nevil.example\n???\n',
    });
    expect(r).toEqual({
      added: 3,
      updated: 0,
      rejected: 1,
      errors: ['watch:4: "???" is not an address, range, domain, URL or hash'],
    });
    const list = await h.listIndicators({ q: 'evil', limit: 10 });
    expect(list.total).toBe(1);
    expect(list.indicators[0]).toMatchObject({
      id: 'watch:domain:evil.example',
      type: 'domain',
      source: 'watch',
      confidence: 50,
    });
  });
});
