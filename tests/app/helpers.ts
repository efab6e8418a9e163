// Shared helpers for the app tests: a context in a temp folder, closed and removed after.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext, type AppContext, type ContextOptions } from '../../src/main/context';

export const DATA = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../shared/data',
);
/** A dry-run playbook blocking at score 65, so tests see blocks from the starter rules. */
export const TEST_PLAYBOOKS = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures/playbooks',
);

/** The starter rule files shipped in resources/rules (one rule per file). */
export const STARTER_RULE_FILES = (
  fs.readdirSync(
    path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/rules'),
    { recursive: true },
  ) as string[]
).filter((f) => /\.ya?ml$/.test(f));

export const hasData = fs.existsSync(path.join(DATA, 'security_datasets'));

export async function tempContext(
  opts: Partial<ContextOptions> = {},
): Promise<AppContext & { cleanup: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haechi-app-'));
  const ctx = await createContext({ dataDir, mode: 'test', ...opts });
  return Object.assign(ctx, {
    cleanup: async () => {
      await ctx.response.idle();
      await ctx.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/** Reopen a context on the same folder (after close), to check what persisted. */
export async function reopen(
  dataDir: string,
  opts: Partial<ContextOptions> = {},
): Promise<AppContext> {
  return createContext({ dataDir, mode: 'test', ...opts });
}
