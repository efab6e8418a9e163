// Imports of log files (File → Import or drop anywhere) and their results, newest first.
import { create } from 'zustand';
import type { ImportResult } from '../../../shared/api';
import { api, errorText } from '../api';
import { useStatus } from './status';

export interface ImportRun {
  id: number;
  name: string;
  bytes: number;
  state: 'reading' | 'importing' | 'done' | 'failed';
  result?: ImportResult;
  error?: string;
  startedAt: number;
}

interface ImportState {
  runs: ImportRun[];
}

export const useImports = create<ImportState>()(() => ({ runs: [] }));

let nextId = 1;

/** importEvents accepts up to 512 MB of text (its schema); say so before reading a larger file. */
const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

function patch(id: number, p: Partial<ImportRun>): void {
  useImports.setState((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, ...p } : r)) }));
}

/** Reads the file's text and hands it to importEvents; the result lands in the store. */
export async function importFile(file: File): Promise<void> {
  const id = nextId++;
  const run: ImportRun = {
    id,
    name: file.name,
    bytes: file.size,
    state: 'reading',
    startedAt: Date.now(),
  };
  useImports.setState((s) => ({ runs: [run, ...s.runs].slice(0, 50) }));
  try {
    if (file.size > MAX_IMPORT_BYTES) {
      const mb = (file.size / 1024 / 1024).toFixed(0);
      throw new Error(`${file.name} is ${mb} MB; one import takes at most 512 MB — split the file`);
    }
    const content = await file.text();
    patch(id, { state: 'importing' });
    const result = await api.importEvents({ name: file.name, content });
    patch(id, { state: 'done', result });
    void useStatus.getState().refresh();
  } catch (e) {
    patch(id, { state: 'failed', error: errorText(e) });
  }
}
