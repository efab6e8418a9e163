// Haechi's words (DESIGN.md) as types. Imports nothing: shared by main, preload and renderer.

export type Level = 'informational' | 'low' | 'medium' | 'high' | 'critical';
export const LEVELS: readonly Level[] = ['informational', 'low', 'medium', 'high', 'critical'];

/** Normalized fields in ECS naming, flat and dotted: `source.ip`, `url.original`, … */
export interface NormalizedFields {
  '@timestamp'?: string;
  'source.ip'?: string;
  'source.port'?: number;
  'destination.ip'?: string;
  'destination.port'?: number;
  'user.name'?: string;
  'host.name'?: string;
  'url.original'?: string;
  'http.request.method'?: string;
  'http.response.status_code'?: number;
  'user_agent.original'?: string;
  'process.executable'?: string;
  'process.command_line'?: string;
  'event.dataset'?: string;
  [key: string]: string | number | boolean | undefined;
}

/** Where an event came from inside its source: a file and record, a broker sequence, … */
export interface EventPosition {
  file?: string;
  /** 1-based record (or line) number in the file. */
  record?: number;
  offset?: number;
  seq?: number;
}

/** One normalized record from any source, with its raw text kept. */
export interface HaechiEvent {
  id: string;
  /** ISO-8601 time of the event itself (falls back to arrival time). */
  time: string;
  /** Name of the source that produced it (`import:file.json`, `demo`, `syslog-tcp`, …). */
  source: string;
  /** Parser that produced it: `json`, `windows`, `suricata-eve`, `zeek`, `syslog`, … */
  format: string;
  /** Original fields, flattened so Sigma field names resolve (EventID, Image, CommandLine…). */
  fields: Record<string, unknown>;
  norm: NormalizedFields;
  raw: string;
  position?: EventPosition;
  /** Sigma log source when the feed knows it (otherwise the engine derives it from the fields). */
  logsource?: { product?: string; category?: string; service?: string };
  /** Arrival in ms since epoch (performance-relevant: time to contain starts here). */
  receivedAt: number;
}

/** One rule matching one event (or a correlation over several). */
export interface RuleMatch {
  ruleId: string;
  ruleTitle: string;
  level: Level;
  tags: string[];
  /** Names of the detection selections that were true when the condition matched. */
  selections: string[];
  eventIds: string[];
  /** Set for correlation rules. */
  correlation?: { type: string; groupKey: string; count: number };
}

export type ScorePartKind = 'rule' | 'intel' | 'model' | 'correlation' | 'context';

/** One contribution to an alert's score: every alert keeps the parts that made it. */
export interface ScorePart {
  kind: ScorePartKind;
  label: string;
  points: number;
  detail?: string;
}

export type Verdict = 'true-positive' | 'false-positive' | 'benign';
export const VERDICTS: readonly Verdict[] = ['true-positive', 'false-positive', 'benign'];

/** A scored finding about one or more events, with its explanation. */
export interface Alert {
  id: string;
  time: string;
  createdAt: number;
  score: number;
  severity: Level;
  title: string;
  ruleId: string;
  tags: string[];
  parts: ScorePart[];
  eventIds: string[];
  host?: string;
  sourceIp?: string;
  caseId?: string;
  verdict?: Verdict;
}

/** A threat-intelligence item. */
export type IndicatorType = 'ipv4' | 'ipv6' | 'cidr' | 'domain' | 'url' | 'md5' | 'sha1' | 'sha256';
export interface Indicator {
  id: string;
  type: IndicatorType;
  value: string;
  source: string;
  confidence: number;
  tlp?: string;
  validFrom?: string;
  validUntil?: string;
  modified?: string;
  revoked?: boolean;
  labels?: string[];
}

export type CaseStatus = 'open' | 'in-progress' | 'closed';
export const CASE_STATUSES: readonly CaseStatus[] = ['open', 'in-progress', 'closed'];

export type ObservableType = 'ip' | 'domain' | 'url' | 'hash' | 'email' | 'user' | 'host';
export interface Observable {
  type: ObservableType;
  value: string;
}

export interface TimelineEntry {
  at: number;
  kind: 'alert' | 'note' | 'status' | 'verdict' | 'action' | 'created';
  text: string;
  actor: string;
  ref?: string;
}

/** An investigation: alerts, observables, notes, timeline, verdict. */
export interface Case {
  id: string;
  title: string;
  status: CaseStatus;
  severity: Level;
  score: number;
  createdAt: number;
  updatedAt: number;
  /** What the grouping keyed on: `host:WS01` or `ip:203.0.113.5`. */
  groupKey: string;
  alertIds: string[];
  observables: Observable[];
  verdict?: Verdict;
  assignee?: string;
}

export interface CaseNote {
  id: string;
  caseId: string;
  at: number;
  author: string;
  text: string;
}

export type ActionKind = 'block-ip' | 'waf-rule' | 'notify';
export type ActionState = 'pending' | 'applied' | 'failed' | 'expired' | 'rolled-back' | 'rejected';
export type PlaybookMode = 'auto' | 'approve' | 'dry-run';

/** One enforcement step with target, TTL and state. */
export interface Action {
  id: string;
  kind: ActionKind;
  /** Address for block-ip; a pattern description for waf-rule; a channel for notify. */
  target: string;
  params?: Record<string, string | number | boolean>;
  ttlSec: number;
  state: ActionState;
  enforcer: string;
  playbook: string;
  mode: PlaybookMode;
  alertId?: string;
  caseId?: string;
  reason: string;
  createdAt: number;
  updatedAt: number;
  appliedAt?: number;
  expiresAt?: number;
  /** Time from the triggering event's arrival to the block confirmed in force, in ms. */
  timeToContainMs?: number;
  error?: string;
  attempts?: number;
  /** Who approved an approve-mode action (set while it waits for the enforcer, and after). */
  approvedBy?: string;
}

export interface AuditEntry {
  id: string;
  at: number;
  actor: string;
  verb: string;
  subject: string;
  detail: string;
  caseId?: string;
}

/** One piece of personal data found in a document. */
export interface Finding {
  type: string;
  start: number;
  end: number;
  score: number;
  reasons: string[];
  part?: string;
}

export type SourceState = 'stopped' | 'starting' | 'running' | 'error';
export interface SourceStatus {
  id: string;
  name: string;
  kind: string;
  state: SourceState;
  eps: number;
  lagMs?: number;
  lastError?: string;
  read: number;
  parsed: number;
  rejected: number;
  dropped: number;
  /** Where it listens or reads from, e.g. `127.0.0.1:5140` or a file path. */
  detail?: string;
}

/** A rule error that the editor can mark. */
export interface RuleProblem {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export interface RuleInfo {
  id: string;
  title: string;
  status?: string;
  level: Level;
  tags: string[];
  file?: string;
  logsource: { product?: string; category?: string; service?: string };
  author?: string;
  references?: string[];
  falsepositives?: string[];
  description?: string;
  kind: 'detection' | 'correlation' | 'filter';
}
