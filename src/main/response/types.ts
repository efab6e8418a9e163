// Internal contracts of the response side: the enforcer contract (final), the store surface it
// needs, its logger, and the record kept per action.
import type { Action, ActionKind } from '../../shared/types';
import type { Store } from '../store';

/** The part of src/main/store's Store that response uses (see docs/TEAM.md). */
export type ResponseStore = Pick<Store, 'migrate' | 'run' | 'all' | 'get' | 'transaction'>;

export interface Logger {
  debug(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export interface EnforcerHealth {
  ok: boolean;
  detail?: string;
}

/** What an enforcer needs to put the enforcer's state back exactly as it was (JSON-safe). */
export type UndoState = Record<string, unknown>;

export interface ApplyResult {
  undo?: UndoState;
}

/**
 * The enforcer contract. `apply` changes the target, `confirm` answers whether the change is in
 * force (a block counts as applied only once confirmed), `rollback` restores the state `apply`
 * found, `health` is a cheap check the circuit breaker uses while the enforcer is down.
 */
export interface Enforcer {
  readonly name: string;
  readonly kind: string;
  /** True when the target removes entries on its own at TTL (nftables timeouts, CrowdSec). */
  readonly nativeTtl: boolean;
  supports(kind: ActionKind): boolean;
  apply(action: Action): Promise<ApplyResult>;
  confirm(action: Action): Promise<boolean>;
  rollback(action: Action, undo?: UndoState): Promise<void>;
  /** Extends a block in force to `ttlSec` from now (idempotent re-block). */
  extend?(action: Action, ttlSec: number): Promise<void>;
  health(): Promise<EnforcerHealth>;
  close?(): Promise<void>;
}

/**
 * An error from an enforcer. `permanent` errors (bad input, refused by the target) fail the action
 * at once; others (target down, timeout) are retried and count towards the circuit breaker.
 */
export class EnforcerError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'EnforcerError';
  }
}

/** An action plus what the service keeps beside it (persisted in response_actions). */
export interface ActionRecord {
  action: Action;
  /** Arrival of the triggering event (ms since epoch): time to contain starts here. */
  receivedAt: number;
  /** Identity for idempotency: the same key while active means the same block. */
  dedupeKey: string;
  undo?: UndoState;
  approvedBy?: string;
}
