// The dry-run enforcer: records what would have been done and enforces nothing. Playbooks in
// dry-run mode are routed here whatever enforcer they name.
import type { Action, ActionKind } from '../../../shared/types';
import type { ApplyResult, Enforcer, EnforcerHealth } from '../types';

export class DryRunEnforcer implements Enforcer {
  readonly kind = 'dry-run';
  readonly nativeTtl = true;
  /** What was "applied", newest last; the audit log holds the durable record. */
  readonly recorded: string[] = [];

  constructor(readonly name = 'dry-run') {}

  supports(_kind: ActionKind): boolean {
    return true;
  }

  async apply(action: Action): Promise<ApplyResult> {
    this.recorded.push(action.id);
    return {};
  }

  async confirm(_action: Action): Promise<boolean> {
    return true;
  }

  async rollback(_action: Action): Promise<void> {}

  async extend(_action: Action, _ttlSec: number): Promise<void> {}

  async health(): Promise<EnforcerHealth> {
    return { ok: true, detail: 'records only' };
  }
}
