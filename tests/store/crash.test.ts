import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SegmentStore, Store } from '../../src/main/store';
import { CaseService, EventArchive } from '../../src/main/cases';

const root = path.resolve(__dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haechi-crash-'));

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Run the writer until it acknowledged `wanted` notes, then SIGKILL it; return what it printed.
 * `whileRunning` runs once, after the first acknowledged note, with the writer still alive.
 */
function runAndKill(wanted: number, whileRunning?: () => Promise<void>): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/store/fixtures/case-writer.ts', dir],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, HAECHI_LOG: 'error' },
      },
    );
    const lines: string[] = [];
    let probing: Promise<Error | undefined> | null = null;
    let buffer = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer too slow: ${lines.length} lines in 60 s; ${stderr}`));
    }, 60_000);
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts);
      const notes = lines.filter((l) => l.startsWith('note ')).length;
      if (notes >= 1 && whileRunning && !probing) {
        probing = whileRunning().then(
          () => undefined,
          (err: Error) => err,
        );
      }
      if (notes >= wanted) {
        void (probing ?? Promise.resolve()).then((err) => {
          child.kill('SIGKILL');
          if (err) reject(err);
        });
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(lines);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe('store under a crash', () => {
  it('keeps every acknowledged case edit after the writer is killed mid-way', async () => {
    let refusal = '';
    const lines = await runAndKill(300, async () => {
      // While the writer lives, a second process may not open the same data folder.
      refusal = await Store.open(path.join(dir, 'db')).then(
        () => 'opened',
        (err: Error) => err.message,
      );
    });
    expect(refusal).toMatch(
      /^data folder .*\/db is in use by process \d+; stop it or pick another folder$/,
    );
    const caseId = lines[0].replace('case ', '');
    const acknowledged = lines.filter((l) => l.startsWith('note ')).map((l) => l.slice(5));
    const lastAssignee = lines
      .filter((l) => l.startsWith('assignee '))
      .pop()
      ?.slice(9);
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);

    const store = await Store.open(path.join(dir, 'db'));
    const cases = new CaseService(
      store,
      new EventArchive(store, new SegmentStore(path.join(dir, 'segments'))),
    );
    const detail = cases.getDetail(caseId);
    const kept = new Set(detail?.notes.map((n) => n.id));
    expect(acknowledged.filter((id) => !kept.has(id))).toEqual([]);

    // At most one edit past the last acknowledged one may have landed (written, not yet printed).
    const lastIndex = Number(lastAssignee?.split('-')[1]);
    const assigneeIndex = Number(detail?.case.assignee?.split('-')[1]);
    expect(assigneeIndex - lastIndex).toBeGreaterThanOrEqual(0);
    expect(assigneeIndex - lastIndex).toBeLessThanOrEqual(1);
    expect(detail?.notes.length).toBeGreaterThanOrEqual(acknowledged.length);
    expect(detail?.notes.length).toBeLessThanOrEqual(acknowledged.length + 1);
    await store.close();
  });
});
