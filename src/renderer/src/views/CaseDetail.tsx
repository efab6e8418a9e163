// One case: its alerts, the raw events behind them, the timeline, notes, observables, actions,
// and the status and verdict an analyst sets.
import { useState } from 'react';
import type { CaseDetail as Detail } from '../../../shared/api';
import type { CaseStatus, Level, Verdict } from '../../../shared/types';
import { CASE_STATUSES, LEVELS, VERDICTS } from '../../../shared/types';
import { api } from '../api';
import { DataTable } from '../components/DataTable';
import { ErrorBox, Field, NotLoaded, Tabs } from '../components/Bits';
import { RawEvents } from '../components/Evidence';
import { DetailTitle } from '../components/Severity';
import { fmtMs, fmtTime } from '../format';
import { useAction, useCall, useRefreshOn } from '../hooks';
import { useUi } from '../stores/ui';
import { alertColumns } from './columns';

type Tab = 'alerts' | 'events' | 'timeline' | 'notes' | 'observables' | 'actions';

function Notes({ detail, onAdded }: { detail: Detail; onAdded(): void }) {
  const [text, setText] = useState('');
  const { error, run } = useAction(onAdded);
  const add = async () => {
    if (!text.trim()) return;
    await run(async () => {
      await api.addCaseNote({ caseId: detail.case.id, text: text.trim() });
      setText('');
    });
  };
  return (
    <div className="notes">
      {detail.notes.map((n) => (
        <div key={n.id} className="note">
          <div className="note-head">
            <span className="mono">{fmtTime(n.at)}</span> <b>{n.author}</b>
          </div>
          <div className="note-text">{n.text}</div>
        </div>
      ))}
      {!detail.notes.length && <div className="muted">No notes yet.</div>}
      <textarea
        value={text}
        placeholder="Add a note (Ctrl+Enter to save)"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && e.ctrlKey && void add()}
        rows={3}
      />
      <button className="btn btn-primary" onClick={() => void add()} disabled={!text.trim()}>
        Add note
      </button>
      <ErrorBox error={error} />
    </div>
  );
}

function Timeline({ detail }: { detail: Detail }) {
  const entries = [...detail.timeline].sort((a, b) => b.at - a.at);
  if (!entries.length) return <div className="muted">Empty timeline.</div>;
  return (
    <ol className="timeline">
      {entries.map((t, i) => (
        <li key={i} className={`tl tl-${t.kind}`}>
          <span className="mono tl-at">{fmtTime(t.at)}</span>
          <span className="tag">{t.kind}</span>
          <span className="tl-text">{t.text}</span>
          <span className="muted tl-actor">{t.actor}</span>
        </li>
      ))}
    </ol>
  );
}

function Observables({ detail }: { detail: Detail }) {
  if (!detail.case.observables.length) return <div className="muted">No observables.</div>;
  return (
    <table className="plain">
      <tbody>
        {detail.case.observables.map((o) => (
          <tr key={`${o.type}:${o.value}`}>
            <td className="tag-cell">
              <span className="tag">{o.type}</span>
            </td>
            <td className="mono">{o.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Actions({ detail }: { detail: Detail }) {
  if (!detail.actions.length) return <div className="muted">No actions for this case.</div>;
  return (
    <table className="plain">
      <thead>
        <tr>
          <th>State</th>
          <th>Action</th>
          <th>Target</th>
          <th>Enforcer</th>
          <th>Playbook</th>
          <th>Contain</th>
        </tr>
      </thead>
      <tbody>
        {detail.actions.map((a) => (
          <tr key={a.id}>
            <td>
              <span className={`state state-${a.state}`}>{a.state}</span>
            </td>
            <td>{a.kind}</td>
            <td className="mono">{a.target}</td>
            <td>{a.enforcer}</td>
            <td>{a.playbook}</td>
            <td className="num">{fmtMs(a.timeToContainMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CaseControls({ detail, onChanged }: { detail: Detail; onChanged(): void }) {
  const { error, run } = useAction(onChanged);
  const c = detail.case;
  const update = (patch: { status?: CaseStatus; severity?: Level; verdict?: Verdict }) =>
    run(() => api.updateCase({ id: c.id, ...patch }));
  return (
    <>
      <div className="controls">
        <label>
          Status
          <select
            value={c.status}
            onChange={(e) => void update({ status: e.target.value as CaseStatus })}
            data-testid="case-status"
          >
            {CASE_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Severity
          <select
            value={c.severity}
            onChange={(e) => void update({ severity: e.target.value as Level })}
          >
            {LEVELS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Verdict
          <select
            value={c.verdict ?? ''}
            onChange={(e) => e.target.value && void update({ verdict: e.target.value as Verdict })}
          >
            <option value="">—</option>
            {VERDICTS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBox error={error} />
    </>
  );
}

export function CaseDetail({ id, onChanged }: { id: string; onChanged(): void }) {
  const openAlert = useUi((s) => s.openAlert);
  const [tab, setTab] = useState<Tab>('alerts');
  const [alertSel, setAlertSel] = useState<string | null>(null);
  const { data, error, loading, reload } = useCall(() => api.getCase({ id }), [id]);
  useRefreshOn('case', reload, 1500, (c) => c.id === id);
  const changed = () => {
    reload();
    onChanged();
  };

  if (error || !data)
    return <NotLoaded error={error} loading={loading} onRetry={reload} what={`Case ${id}`} />;
  const c = data.case;
  return (
    <div className="detail" data-testid="case-detail">
      <DetailTitle level={c.severity} title={c.title} />
      <div className="kvs">
        <Field label="Case">{c.id}</Field>
        <Field label="Score">{c.score}</Field>
        <Field label="Grouped by">{c.groupKey}</Field>
        <Field label="Opened">{fmtTime(c.createdAt)}</Field>
        <Field label="Updated">{fmtTime(c.updatedAt)}</Field>
        <Field label="Assignee">{c.assignee ?? '—'}</Field>
      </div>
      <CaseControls detail={data} onChanged={changed} />
      <Tabs<Tab>
        active={tab}
        onChange={setTab}
        tabs={[
          { id: 'alerts', label: 'Alerts', count: data.alerts.length },
          { id: 'events', label: 'Raw events', count: data.events.length },
          { id: 'timeline', label: 'Timeline', count: data.timeline.length },
          { id: 'notes', label: 'Notes', count: data.notes.length },
          { id: 'observables', label: 'Observables', count: c.observables.length },
          { id: 'actions', label: 'Actions', count: data.actions.length },
        ]}
      />
      <div className="tab-body">
        {tab === 'alerts' && (
          <div className="fixed-table">
            <DataTable
              rows={data.alerts}
              columns={alertColumns}
              rowKey={(a) => a.id}
              selected={alertSel}
              onSelect={(a) => setAlertSel(a.id)}
              onOpen={(a) => openAlert(a.id)}
              empty="No alerts."
            />
          </div>
        )}
        {tab === 'events' && <RawEvents events={data.events} />}
        {tab === 'timeline' && <Timeline detail={data} />}
        {tab === 'notes' && <Notes detail={data} onAdded={changed} />}
        {tab === 'observables' && <Observables detail={data} />}
        {tab === 'actions' && <Actions detail={data} />}
      </div>
    </div>
  );
}
