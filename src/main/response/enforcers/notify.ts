// The built-in notifier: a notify action becomes a `notify` event the app shows (and may forward);
// a REST enforcer can carry notifications to a chat or ticketing API instead.
import type { Action, ActionKind } from '../../../shared/types';
import type { ApplyResult, Enforcer, EnforcerHealth } from '../types';

export interface Notice {
  channel: string;
  message: string;
  actionId: string;
  caseId?: string;
}

export class NotifyEnforcer implements Enforcer {
  readonly kind = 'notify';
  readonly nativeTtl = true;

  constructor(
    private readonly send: (n: Notice) => void,
    readonly name = 'notify',
  ) {}

  supports(kind: ActionKind): boolean {
    return kind === 'notify';
  }

  async apply(action: Action): Promise<ApplyResult> {
    this.send({
      channel: action.target,
      message: String(action.params?.message ?? action.reason),
      actionId: action.id,
      caseId: action.caseId,
    });
    return {};
  }

  async confirm(): Promise<boolean> {
    return true;
  }

  async rollback(): Promise<void> {}

  async health(): Promise<EnforcerHealth> {
    return { ok: true };
  }
}
