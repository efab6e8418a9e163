// The one API contract, served by Electron IPC and by the loopback WebSocket server alike.
import { coreMethods } from './core';
import { rulesMethods } from './rules';
import { feedMethods } from './feed';
import { responseMethods } from './response';
import { piiMethods } from './pii';
import type { InputOf, OutputOf } from './contract';
import type { LiveTick } from './core';
import type { Action, Case, SourceStatus } from '../types';

export const apiMethods = {
  ...coreMethods,
  ...rulesMethods,
  ...feedMethods,
  ...responseMethods,
  ...piiMethods,
};

export type ApiMethods = typeof apiMethods;
export type MethodName = keyof ApiMethods;
export const METHOD_NAMES = Object.keys(apiMethods) as MethodName[];

/** Streams pushed from the Node side to the UI. */
export interface TopicPayloads {
  live: LiveTick;
  case: Case;
  action: Action;
  source: SourceStatus;
  progress: {
    task: string;
    done: number;
    total: number;
    message?: string;
    /** Counts so far per kind (a PII folder scan: findings per type — never values). */
    counts?: Record<string, number>;
  };
}
export type Topic = keyof TopicPayloads;
export const TOPICS: Topic[] = ['live', 'case', 'action', 'source', 'progress'];

export type HaechiApi = {
  [K in MethodName]: (input: InputOf<ApiMethods[K]>) => Promise<OutputOf<ApiMethods[K]>>;
} & {
  on<T extends Topic>(topic: T, listener: (payload: TopicPayloads[T]) => void): () => void;
};

export * from './core';
export * from './rules';
export * from './feed';
export * from './response';
export * from './pii';
export * from './contract';
