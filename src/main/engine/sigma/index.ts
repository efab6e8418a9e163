// The Sigma engine's public face: load rules, compile them, match events.
export {
  loadRules,
  parseRuleText,
  MAX_RULE_FILES,
  type LoadOptions,
  type LoadResult,
} from './load';
export { SigmaEngine, type EngineOptions } from './engine';
export { loadMapping, Mapping, sourceMatches, type EventSource } from './logsource';
export { regexStats } from './regex';
export type { CompiledRule, LogSource } from './types';
