// The PII part of the API (src/shared/api/pii.ts). The app's api.ts spreads these into its
// handlers; progress of folder scans goes out through `emitProgress`.
import type { OutputOf, ParsedInputOf } from '../../shared/api/contract';
import type { piiMethods } from '../../shared/api/pii';
import { checkTypes } from './analyzer';
import { reportCsv, scanBatch } from './batch';
import { decryptDocument, redactDocument, scanDocument } from './documents';
import { KeyError, KeyRing } from './keys';
import { Redactor, type OperatorPlan } from './operators';
import type { ScanOptions } from './types';

type PiiMethods = typeof piiMethods;
export type PiiHandlers = {
  [K in keyof PiiMethods]: (
    input: ParsedInputOf<PiiMethods[K]>,
  ) => Promise<OutputOf<PiiMethods[K]>>;
};

export interface PiiDeps {
  emitProgress?: (p: {
    task: string;
    done: number;
    total: number;
    message?: string;
    counts?: Record<string, number>;
  }) => void;
  /** The workstation key (`key: 'keychain'`); `create` is false when decrypting. */
  workstationKey?: (create: boolean) => KeyRing;
}

/** The key the call asked for: a passphrase, the workstation key, or none (redact only). */
function keysFor(
  input: { passphrase?: string; key?: 'keychain' },
  deps: PiiDeps,
  create: boolean,
): KeyRing | undefined {
  if (input.passphrase && input.key)
    throw new KeyError('give a passphrase or key: keychain, not both');
  if (input.passphrase) return KeyRing.fromPassphrase(input.passphrase);
  if (!input.key) return undefined;
  if (!deps.workstationKey) throw new KeyError('this Haechi has no workstation key store');
  return deps.workstationKey(create);
}

function scanOptions(input: { types?: string[]; names?: boolean; minScore?: number }): ScanOptions {
  if (input.types) checkTypes(input.types);
  return { types: input.types, names: input.names, minScore: input.minScore };
}

function plan(operators: Record<string, string>, keep?: number): OperatorPlan {
  const out: OperatorPlan = {};
  for (const [type, name] of Object.entries(operators)) {
    out[type] = {
      name: name as OperatorPlan[string]['name'],
      keep: name === 'mask' ? keep : undefined,
    };
  }
  return out;
}

/** The document's bytes; Buffer.from would skip bad characters and scan garbage instead. */
export function decodeBase64(name: string, base64: string): Buffer {
  const text = base64.replace(/\s+/g, '');
  const bad = text.search(/[^A-Za-z0-9+/=]|=[^=]|={3}/);
  if (bad >= 0 || text.length % 4 === 1)
    throw new Error(
      `${name}: the document's base64 is not valid` +
        (bad >= 0 ? ` (character ${bad + 1})` : ' (truncated)'),
    );
  return Buffer.from(text, 'base64');
}

function outputName(name: string, extension?: string): string {
  const base = name.replace(/\.[^./\\]+$/, '');
  const ext = extension ?? (name.slice(base.length) || '');
  return `${base}.redacted${ext}`;
}

export function piiHandlers(deps: PiiDeps = {}): PiiHandlers {
  const running = new Map<string, AbortController>();
  return {
    piiScan: async (input) =>
      scanDocument(input.name, decodeBase64(input.name, input.base64), scanOptions(input)),
    piiRedact: async (input) => {
      const keys = keysFor(input, deps, true);
      const redactor = new Redactor(plan(input.operators, input.maskKeep), keys);
      const out = await redactDocument(input.name, decodeBase64(input.name, input.base64), {
        redactor,
        scan: scanOptions(input),
        rejected: new Set(input.rejected),
      });
      const name = outputName(input.name, out.extension);
      return {
        name,
        base64: out.bytes.toString('base64'),
        redacted: out.redacted,
        warnings: out.warnings,
      };
    },
    piiDecrypt: async (input) => {
      const keys = keysFor(input, deps, false);
      if (!keys) throw new KeyError('decrypting needs a passphrase or key: keychain');
      const out = await decryptDocument(input.name, decodeBase64(input.name, input.base64), keys);
      return {
        name: input.name.replace('.redacted', '.decrypted'),
        base64: out.bytes.toString('base64'),
        restored: out.restored,
      };
    },
    piiScanFolder: async (input) => {
      const controller = new AbortController();
      running.set(input.task, controller);
      try {
        const report = await scanBatch(input.paths, {
          scan: scanOptions(input),
          signal: controller.signal,
          onProgress: (p) =>
            deps.emitProgress?.({
              task: input.task,
              done: p.done,
              total: p.total,
              message: `${p.findings} findings in ${p.file}`,
              counts: p.totals,
            }),
        });
        return { report, csv: reportCsv(report) };
      } finally {
        running.delete(input.task);
      }
    },
    piiCancel: async ({ task }) => {
      const controller = running.get(task);
      controller?.abort();
      return { cancelled: !!controller };
    },
  };
}
