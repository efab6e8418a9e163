// Response: actions with their state and time to contain; approve, reject, roll back; the
// time-to-contain panel; enforcers; playbooks with an editor.
import { lazy, Suspense, useState } from 'react';
import type { EnforcerInfo, PlaybookInfo } from '../../../shared/api';
import type { Action } from '../../../shared/types';
import { api } from '../api';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorBox, Field, Panel } from '../components/Bits';
import { AnySelect, RefreshButton } from '../components/Controls';
import { fmtCount, fmtMs, fmtTime, shortId } from '../format';
import { useAction, useCall, useRefreshOn } from '../hooks';
import { useUi } from '../stores/ui';

const YamlEditor = lazy(() => import('../components/YamlEditor'));

/** Hours of analyst time saved, at 20 minutes per threat answered automatically. */
const MINUTES_PER_THREAT = 20;

function ContainPanel() {
  const stats = useCall(() => api.containStats({}), []);
  useRefreshOn('action', stats.reload, 2000);
  const s = stats.data;
  return (
    <Panel title="Time to contain" actions={<RefreshButton onClick={stats.reload} />}>
      <ErrorBox error={stats.error} onRetry={stats.reload} />
      <div className="kpis compact" data-testid="contain-stats">
        <div className="kpi">
          <div className="kpi-label">Median</div>
          <div className="kpi-value">{fmtMs(s?.p50Ms)}</div>
        </div>
        <div className="kpi">
          <div className="kpi-label">p99</div>
          <div className="kpi-value">{fmtMs(s?.p99Ms)}</div>
        </div>
        <div className="kpi">
          <div className="kpi-label">Answered automatically</div>
          <div className="kpi-value">
            {fmtCount(s?.automatic)}{' '}
            <span className="muted small">
              of {fmtCount(s ? s.automatic + s.manual : undefined)}
            </span>
          </div>
        </div>
        <div className="kpi">
          <div className="kpi-label">Analyst hours saved ({MINUTES_PER_THREAT} min each)</div>
          <div className="kpi-value">{s ? s.hoursSaved.toFixed(1) : '—'}</div>
        </div>
      </div>
    </Panel>
  );
}

const ACTION_STATES = ['pending', 'applied', 'failed', 'expired', 'rolled-back', 'rejected'];

function ActionsPanel() {
  const openCase = useUi((s) => s.openCase);
  const [state, setState] = useState('');
  const list = useCall(() => api.listActions({ limit: 1000, state: state || undefined }), [state]);
  useRefreshOn('action', list.reload, 1000);
  const [sel, setSel] = useState<string | null>(null);
  const { error, run: act } = useAction(list.reload);
  const selected = list.data?.find((a) => a.id === sel);
  const columns: Column<Action>[] = [
    {
      key: 'state',
      label: 'State',
      width: '92px',
      render: (a) => {
        // A dry-run action was only recorded: it must not read as a block in force.
        const recorded = a.mode === 'dry-run' && a.state === 'applied';
        return (
          <span
            className={`state state-${recorded ? 'dry-run' : a.state}`}
            title={recorded ? `dry-run: nothing enforced. ${a.reason}` : (a.error ?? a.reason)}
          >
            {recorded ? 'dry-run' : a.state}
          </span>
        );
      },
    },
    { key: 'kind', label: 'Action', width: '80px', render: (a) => a.kind },
    {
      key: 'target',
      label: 'Target',
      className: 'mono ellipsis',
      render: (a) => <span title={a.reason}>{a.target}</span>,
    },
    { key: 'enf', label: 'Enforcer', width: '90px', render: (a) => a.enforcer },
    {
      key: 'pb',
      label: 'Playbook',
      width: '130px',
      className: 'ellipsis',
      render: (a) => `${a.playbook} (${a.mode})`,
    },
    {
      key: 'alert',
      label: 'Alert',
      width: '80px',
      className: 'mono',
      render: (a) => shortId(a.alertId),
    },
    {
      key: 'case',
      label: 'Case',
      width: '80px',
      className: 'mono',
      render: (a) =>
        a.caseId ? (
          <button className="link" onClick={() => openCase(a.caseId!)}>
            {shortId(a.caseId)}
          </button>
        ) : (
          '—'
        ),
    },
    {
      key: 'ttc',
      label: 'To contain',
      width: '86px',
      className: 'num',
      render: (a) => fmtMs(a.timeToContainMs),
    },
    {
      key: 'at',
      label: 'Created (UTC)',
      width: '160px',
      className: 'mono',
      render: (a) => fmtTime(a.createdAt),
    },
    {
      key: 'ops',
      label: '',
      width: '160px',
      render: (a) => (
        <span className="row-actions">
          {a.state === 'pending' && a.mode === 'approve' && (
            <>
              <button
                className="btn btn-small btn-primary"
                onClick={() => void act(() => api.approveAction({ id: a.id }))}
              >
                Approve
              </button>
              <button
                className="btn btn-small"
                onClick={() => void act(() => api.rejectAction({ id: a.id }))}
              >
                Reject
              </button>
            </>
          )}
          {a.state === 'applied' && (
            <button
              className="btn btn-small btn-danger"
              onClick={() => void act(() => api.rollbackAction({ id: a.id }))}
            >
              Roll back
            </button>
          )}
        </span>
      ),
    },
  ];
  return (
    <Panel
      title={`Actions (${list.data?.length ?? 0})`}
      className="grow"
      actions={
        <>
          <AnySelect label="state" value={state} options={ACTION_STATES} onChange={setState} />
          <RefreshButton onClick={list.reload} />
        </>
      }
    >
      <ErrorBox error={list.error ?? error} onRetry={list.reload} />
      <DataTable
        rows={list.data ?? []}
        columns={columns}
        rowKey={(a) => a.id}
        selected={sel}
        onSelect={(a) => setSel(a.id)}
        keyboard
        testId="actions-table"
        empty="No actions yet."
      />
      {selected && <ActionFacts action={selected} />}
    </Panel>
  );
}

/** The selected action's reason, error and timing, under the table. */
function ActionFacts({ action: a }: { action: Action }) {
  return (
    <div className="facts" data-testid="action-facts">
      <Field label="Reason">{a.reason}</Field>
      <Field label="Error">{a.error ?? '—'}</Field>
      <Field label="TTL">{a.ttlSec ? `${a.ttlSec} s` : '—'}</Field>
      <Field label="Applied">{a.appliedAt ? fmtTime(a.appliedAt) : '—'}</Field>
      <Field label="Expires">{a.expiresAt ? fmtTime(a.expiresAt) : '—'}</Field>
      <Field label="Attempts">{a.attempts ?? 0}</Field>
    </div>
  );
}

function Enforcers() {
  const list = useCall(() => api.listEnforcers({}), []);
  const columns: Column<EnforcerInfo>[] = [
    {
      key: 'h',
      label: 'Health',
      width: '70px',
      render: (e) => (
        <span className={e.healthy ? 'state state-applied' : 'state state-failed'}>
          {e.healthy ? 'up' : 'down'}
        </span>
      ),
    },
    { key: 'n', label: 'Enforcer', render: (e) => `${e.name} (${e.kind})` },
    { key: 'c', label: 'Circuit', width: '80px', render: (e) => e.circuit },
    { key: 'err', label: 'Last error', className: 'ellipsis', render: (e) => e.lastError ?? '' },
  ];
  return (
    <Panel title="Enforcers">
      <ErrorBox error={list.error} onRetry={list.reload} />
      <div className="fixed-table short">
        <DataTable
          rows={list.data ?? []}
          columns={columns}
          rowKey={(e) => e.name}
          empty="No enforcers configured."
        />
      </div>
    </Panel>
  );
}

function Playbooks() {
  const list = useCall(() => api.listPlaybooks({}), []);
  const [editing, setEditing] = useState<PlaybookInfo | null>(null);
  const [yaml, setYaml] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const { error, run } = useAction(list.reload);
  const save = () =>
    run(async () => {
      const saved = await api.savePlaybook({ yaml });
      setProblems(saved.problems);
    });
  return (
    <Panel
      title="Playbooks"
      className="grow"
      actions={
        editing && (
          <button className="btn btn-primary" onClick={() => void save()}>
            Save playbook
          </button>
        )
      }
    >
      <ErrorBox error={list.error ?? error} onRetry={list.reload} />
      <div className="pb-list">
        {(list.data ?? []).map((p) => (
          <button
            key={p.name}
            className={editing?.name === p.name ? 'pb on' : 'pb'}
            onClick={() => {
              setEditing(p);
              setYaml(p.yaml);
              setProblems(p.problems);
            }}
          >
            <b>{p.name}</b> <span className="tag">{p.mode}</span>{' '}
            {!p.enabled && <span className="muted">disabled</span>}
            {p.problems.length > 0 && (
              <span className="state state-failed">{p.problems.length} problems</span>
            )}
          </button>
        ))}
      </div>
      {editing && (
        <div className="pb-editor">
          <Suspense fallback={<div className="muted">Loading editor…</div>}>
            <YamlEditor
              value={yaml}
              onChange={setYaml}
              problems={[]}
              path={`playbook-${editing.name}.yml`}
            />
          </Suspense>
          {problems.map((p, i) => (
            <div key={i} className="problem">
              {p}
            </div>
          ))}
        </div>
      )}
    </Panel>
  );
}

export function ResponseView() {
  return (
    <div className="view response">
      <ContainPanel />
      <ActionsPanel />
      <div className="row2">
        <Playbooks />
        <Enforcers />
      </div>
    </div>
  );
}
