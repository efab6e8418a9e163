// The document open in the Redact view: its bytes, the findings, and the analyst's choices.
import { create } from 'zustand';
import type { PiiScanResult } from '../../../shared/api';
import { api, errorText } from '../api';
import { readFileBase64 } from '../hooks';

export type OperatorName = 'mask' | 'remove' | 'replace' | 'hash' | 'encrypt';
export const OPERATORS: OperatorName[] = ['mask', 'remove', 'replace', 'hash', 'encrypt'];

interface RedactState {
  name: string | null;
  base64: string | null;
  scanning: boolean;
  result: PiiScanResult | null;
  error: string | null;
  /** Findings rejected by the analyst, as `part:start:end`. */
  rejected: Set<string>;
  operators: Record<string, OperatorName>;
  toggle(key: string): void;
  setOperator(type: string, op: OperatorName): void;
}

export const useRedact = create<RedactState>()((set) => ({
  name: null,
  base64: null,
  scanning: false,
  result: null,
  error: null,
  rejected: new Set(),
  operators: {},
  toggle: (key) =>
    set((s) => {
      const rejected = new Set(s.rejected);
      if (rejected.has(key)) rejected.delete(key);
      else rejected.add(key);
      return { rejected };
    }),
  setOperator: (type, op) => set((s) => ({ operators: { ...s.operators, [type]: op } })),
}));

export function findingKey(part: string, start: number, end: number): string {
  return `${part}:${start}:${end}`;
}

/** piiScan takes up to 200 MB of base64, about 150 MB of document. */
const MAX_DOCUMENT_BYTES = 150 * 1024 * 1024;

/** Reads a document and scans it for personal data. */
export async function openForRedaction(file: File): Promise<void> {
  useRedact.setState({
    name: file.name,
    scanning: true,
    result: null,
    error: null,
    rejected: new Set(),
  });
  try {
    if (file.size > MAX_DOCUMENT_BYTES) {
      const mb = (file.size / 1024 / 1024).toFixed(0);
      throw new Error(`${file.name} is ${mb} MB; the Redact view takes documents up to 150 MB`);
    }
    const base64 = await readFileBase64(file);
    useRedact.setState({ base64 });
    const result = await api.piiScan({ name: file.name, base64 });
    useRedact.setState({ result, scanning: false });
  } catch (e) {
    useRedact.setState({ error: errorText(e), scanning: false });
  }
}
