// Rules: the loaded rules (filter by level, status, text), a Sigma editor, a test against pasted
// or recent events with problems marked at their line and column, and Save.
import { useState } from 'react';
import type { RuleTestResult } from '../../../shared/api';
import type { Level, RuleInfo, RuleProblem } from '../../../shared/types';
import { LEVELS } from '../../../shared/types';
import { api, errorText } from '../api';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorBox, Panel } from '../components/Bits';
import { AnySelect, SearchBox } from '../components/Controls';
import { Severity } from '../components/Severity';
import YamlEditor from '../components/YamlEditor';
import { fmtMs, problemWhere } from '../format';
import { useCall } from '../hooks';

const NEW_RULE = `title: New detection
id: 00000000-0000-4000-8000-000000000000
status: experimental
description: What this rule detects and why it matters
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    Image|endswith: '\\\\cmd.exe'
    CommandLine|contains: 'whoami'
  condition: selection
level: medium
`;

const columns: Column<RuleInfo>[] = [
  { key: 'level', label: 'Level', width: '60px', render: (r) => <Severity level={r.level} /> },
  {
    key: 'title',
    label: 'Title',
    className: 'ellipsis',
    render: (r) => <span title={r.description}>{r.title}</span>,
  },
  { key: 'status', label: 'Status', width: '92px', render: (r) => r.status ?? '—' },
  {
    key: 'ls',
    label: 'Log source',
    width: '160px',
    className: 'ellipsis muted',
    render: (r) =>
      [r.logsource.product, r.logsource.category, r.logsource.service].filter(Boolean).join('/'),
  },
];

function TestResults({ result }: { result: RuleTestResult }) {
  return (
    <div className="test-results" data-testid="rule-test-result">
      <div>
        <b>{result.matches.length}</b> matches in <b>{result.tested}</b> events · {fmtMs(result.ms)}
      </div>
      {result.matches.slice(0, 100).map((m) => (
        <div key={m.eventId} className="match mono">
          record {m.record} · {m.match.selections.join(', ')}
        </div>
      ))}
    </div>
  );
}

function Problems({ problems }: { problems: RuleProblem[] }) {
  if (!problems.length) return null;
  return (
    <div className="problems" data-testid="rule-problems">
      {problems.map((p, i) => (
        <div key={i} className="problem">
          <span className="mono">{problemWhere(p)}</span> {p.message}
        </div>
      ))}
    </div>
  );
}

const RULE_STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];

function RuleList({ onPick, picked }: { onPick(r: RuleInfo): void; picked: string | null }) {
  const [q, setQ] = useState('');
  const [level, setLevel] = useState<Level | ''>('');
  const [status, setStatus] = useState('');
  const list = useCall(
    () =>
      api.listRules({
        q: q || undefined,
        level: level || undefined,
        status: status || undefined,
        limit: 10_000,
      }),
    [q, level, status],
  );
  return (
    <Panel
      className="side"
      title={`Rules (${list.data?.rules.length ?? 0})`}
      actions={
        <>
          <SearchBox value={q} onChange={setQ} />
          <AnySelect label="level" value={level} options={LEVELS} onChange={setLevel} />
          <AnySelect label="status" value={status} options={RULE_STATUSES} onChange={setStatus} />
        </>
      }
    >
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.data && list.data.problems.length > 0 && (
        <div className="muted small">{list.data.problems.length} rule files rejected at load</div>
      )}
      <DataTable
        rows={list.data?.rules ?? []}
        columns={columns}
        rowKey={(r) => r.id}
        selected={picked}
        onSelect={onPick}
        onOpen={onPick}
        keyboard
        empty={list.loading ? 'Loading…' : 'No rules match.'}
      />
    </Panel>
  );
}

export default function RulesView() {
  const [picked, setPicked] = useState<string | null>(null);
  const [yaml, setYaml] = useState(NEW_RULE);
  const [events, setEvents] = useState('');
  const [recent, setRecent] = useState(1000);
  const [problems, setProblems] = useState<RuleProblem[]>([]);
  const [result, setResult] = useState<RuleTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const pick = async (r: RuleInfo) => {
    setPicked(r.id);
    try {
      const src = await api.getRule({ id: r.id });
      if (src) setYaml(src.yaml);
      setProblems([]);
      setResult(null);
      setError(src ? null : `rule ${r.id} not found`);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const test = async () => {
    try {
      const res = await api.testRule({
        yaml,
        events: events.trim() || undefined,
        recent: events.trim() ? undefined : recent,
      });
      setResult(res);
      setProblems(res.problems);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const save = async () => {
    try {
      const res = await api.saveRule({ yaml });
      setProblems(res.problems);
      setSaved(res.problems.length ? null : `saved ${res.id}`);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div className="view split rules">
      <RuleList onPick={(r) => void pick(r)} picked={picked} />
      <Panel
        className="grow"
        title="Sigma rule"
        actions={
          <>
            <button
              className="btn"
              onClick={() => {
                setPicked(null);
                setYaml(NEW_RULE);
                setProblems([]);
                setResult(null);
              }}
            >
              New
            </button>
            <button className="btn" onClick={() => void test()} data-testid="rule-test">
              Test
            </button>
            <button className="btn btn-primary" onClick={() => void save()}>
              Save
            </button>
          </>
        }
      >
        <YamlEditor
          value={yaml}
          onChange={setYaml}
          problems={problems.filter((p) => p.file !== 'events')}
          path={`rule-${picked ?? 'new'}.yml`}
        />
        <ErrorBox error={error} />
        {saved && <div className="ok-box">{saved}</div>}
        <Problems problems={problems} />
        <div className="test-input">
          <textarea
            rows={4}
            placeholder="Paste events to test against (NDJSON or JSON). Empty: the most recent stored events."
            value={events}
            onChange={(e) => setEvents(e.target.value)}
          />
          <label>
            recent events
            <input
              type="number"
              min={1}
              max={100000}
              value={recent}
              onChange={(e) => setRecent(Number(e.target.value))}
            />
          </label>
        </div>
        {result && <TestResults result={result} />}
      </Panel>
    </div>
  );
}
