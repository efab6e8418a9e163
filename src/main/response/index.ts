// Automated response: what the app and the CLI use. See service.ts for the lifecycle.
import { existsSync } from 'node:fs';
import { createEnforcer, loadResponseConfig, type ResponseConfig } from './config';
import { createLogger } from './log';
import { loadPlaybookDir, type Playbook } from './playbook';
import { ResponseRepo } from './repo';
import { Credentials, type SecretBox } from './secrets';
import { ResponseService } from './service';
import type { Logger, ResponseStore } from './types';

export { ResponseService, type ResponseOptions, type ResponseEvents } from './service';
export { responseHandlers, type ResponseHandlers } from './handlers';
export { parsePlaybook, loadPlaybookDir, PlaybookError, type Playbook } from './playbook';
export {
  KeyFileSecretBox,
  safeStorageBox,
  Credentials,
  type SecretBox,
  type SafeStorageLike,
} from './secrets';
export {
  createEnforcer,
  parseResponseConfig,
  loadResponseConfig,
  type ResponseConfig,
} from './config';
export { EnforcerError, type Enforcer, type EnforcerHealth } from './types';

export interface OpenResponseOptions {
  store: ResponseStore;
  /** Folders of playbooks, loaded in order (the starter pack: resources/playbooks). */
  playbookDirs: string[];
  /** A response.yaml path or a parsed config; absent means dry-run only. */
  config?: string | ResponseConfig;
  /** Seals enforcer credentials: safeStorageBox(electron.safeStorage) or a KeyFileSecretBox. */
  secretBox?: SecretBox;
  logger?: Logger;
}

export interface OpenedResponse {
  service: ResponseService;
  credentials?: Credentials;
  /** Playbook files that did not load (file:line:col: field: value: why). */
  problems: string[];
}

/** Opens the response service with its playbooks, enforcers and sealed credentials. */
export async function openResponse(opts: OpenResponseOptions): Promise<OpenedResponse> {
  const log = opts.logger ?? createLogger('response');
  new ResponseRepo(opts.store); // migrations first: credentials live in the same store
  const credentials = opts.secretBox ? new Credentials(opts.store, opts.secretBox) : undefined;
  const secret = (name: string): string => {
    if (!credentials) throw new Error(`credential "${name}" needs a secret box (none configured)`);
    return credentials.get(name);
  };

  const config =
    typeof opts.config === 'string'
      ? existsSync(opts.config)
        ? loadResponseConfig(opts.config)
        : undefined
      : opts.config;
  const enforcers = (config?.enforcers ?? []).map((d) => createEnforcer(d, secret));

  const playbooks: Playbook[] = [];
  const problems: string[] = [];
  for (const dir of opts.playbookDirs) {
    if (!existsSync(dir)) continue;
    const loaded = loadPlaybookDir(dir);
    playbooks.push(...loaded.playbooks);
    problems.push(...loaded.problems);
  }
  for (const p of problems) log.warn('playbook not loaded', { problem: p });

  const service = await ResponseService.create({
    store: opts.store,
    enforcers,
    playbooks,
    allowlist: config?.allowlist,
    blocksPerMinute: config?.blocksPerMinute,
    logger: log,
  });
  return { service, credentials, problems };
}
