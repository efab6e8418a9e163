// A folder or mailbox scan in the Redact view: the path on the Node side's machine, progress from
// the `progress` topic (done/total and counts per type), cancel, and the report — counts per file
// and type, never the values.
import { create } from 'zustand';
import type { PiiBatchReport } from '../../../shared/api';
import { api, errorText } from '../api';

export type RedactMode = 'document' | 'folder';

interface FolderScanState {
  mode: RedactMode;
  task: string | null;
  running: boolean;
  cancelling: boolean;
  done: number;
  total: number;
  /** Findings per type so far. */
  counts: Record<string, number>;
  /** The last file the Node side finished, with its count. */
  message: string | null;
  report: PiiBatchReport | null;
  csv: string | null;
  error: string | null;
  setMode(mode: RedactMode): void;
}

/** A scan's state before it starts: nothing done, found or reported. */
const fresh = (): Omit<FolderScanState, 'mode' | 'setMode' | 'task' | 'running'> => ({
  cancelling: false,
  done: 0,
  total: 0,
  counts: {},
  message: null,
  report: null,
  csv: null,
  error: null,
});

export const useFolderScan = create<FolderScanState>()((set) => ({
  mode: 'document',
  task: null,
  running: false,
  ...fresh(),
  setMode: (mode) => set({ mode }),
}));

let nextTask = 1;

/** `PII_TYPE, other` → the types, upper-cased; empty means every type. */
export function parseTypes(text: string): string[] | undefined {
  const types = text
    .split(/[\s,]+/)
    .map((t) => t.trim().toUpperCase())
    .filter(Boolean);
  return types.length ? types : undefined;
}

/** Scans the folder or mailbox at `path` on the Node side; progress lands in the store. */
export async function startFolderScan(path: string, typesText: string): Promise<void> {
  if (useFolderScan.getState().running) return;
  const task = `pii-folder-${Date.now()}-${nextTask++}`;
  useFolderScan.setState({ task, running: true, ...fresh() });
  const off = api.on('progress', (p) => {
    if (p.task !== task) return;
    useFolderScan.setState({
      done: p.done,
      total: p.total,
      counts: p.counts ?? {},
      message: p.message ?? null,
    });
  });
  try {
    const { report, csv } = await api.piiScanFolder({
      paths: [path.trim()],
      task,
      types: parseTypes(typesText),
    });
    useFolderScan.setState({ report, csv, counts: report.totals });
  } catch (e) {
    useFolderScan.setState({ error: errorText(e) });
  } finally {
    off();
    useFolderScan.setState({ running: false, cancelling: false });
  }
}

export async function cancelFolderScan(): Promise<void> {
  const { task, running } = useFolderScan.getState();
  if (!task || !running) return;
  useFolderScan.setState({ cancelling: true });
  try {
    await api.piiCancel({ task });
  } catch (e) {
    useFolderScan.setState({ error: errorText(e), cancelling: false });
  }
}
