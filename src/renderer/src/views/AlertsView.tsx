// Alerts: a dense table with filters; the selected alert's explanation, raw events and verdict
// buttons beside it. Enter opens the alert's case.
import { useMemo, useState } from 'react';
import type { Level } from '../../../shared/types';
import { LEVELS, VERDICTS } from '../../../shared/types';
import { api } from '../api';
import { DataTable } from '../components/DataTable';
import { ErrorBox, Field, NotLoaded, Panel } from '../components/Bits';
import { AnySelect, RefreshButton, SearchBox } from '../components/Controls';
import { RawEvents, ScoreParts } from '../components/Evidence';
import { DetailTitle, VerdictTag } from '../components/Severity';
import { fmtTime } from '../format';
import { useAction, useCall, useRefreshOnLive } from '../hooks';
import { useUi } from '../stores/ui';
import { alertColumns } from './columns';

function AlertDetail({ id, onChanged }: { id: string; onChanged(): void }) {
  const openCase = useUi((s) => s.openCase);
  const { data, error, loading, reload } = useCall(() => api.getAlert({ id }), [id]);
  const verdictCall = useAction(() => {
    reload();
    onChanged();
  });
  const setVerdict = (verdict: (typeof VERDICTS)[number]) =>
    verdictCall.run(() => api.setVerdict({ alertId: id, verdict }));

  if (error || !data)
    return <NotLoaded error={error} loading={loading} onRetry={reload} what={`Alert ${id}`} />;
  const { alert, events } = data;
  return (
    <div className="detail" data-testid="alert-detail">
      <DetailTitle level={alert.severity} title={alert.title} />
      <div className="kvs kvs-one">
        <Field label="Score">{alert.score}</Field>
        <Field label="Time">{fmtTime(alert.time)}</Field>
        <Field label="Host">{alert.host ?? '—'}</Field>
        <Field label="Source IP">{alert.sourceIp ?? '—'}</Field>
        <Field label="Rule">{alert.ruleId}</Field>
        <Field label="Verdict">
          <VerdictTag verdict={alert.verdict} />
        </Field>
        <Field label="Case">
          {alert.caseId ? (
            <button
              className="link"
              onClick={() => openCase(alert.caseId!)}
              data-testid="open-case"
            >
              {alert.caseId}
            </button>
          ) : (
            '—'
          )}
        </Field>
        {alert.tags.length > 0 && (
          <Field label="Tags">
            {alert.tags.map((t) => (
              <span key={t} className="tag">
                {t}
              </span>
            ))}
          </Field>
        )}
      </div>
      <div className="verdicts">
        {VERDICTS.map((v) => (
          <button
            key={v}
            className={`btn verdict-btn verdict-btn-${v} ${alert.verdict === v ? 'on' : ''}`}
            disabled={verdictCall.busy}
            onClick={() => void setVerdict(v)}
          >
            {v}
          </button>
        ))}
      </div>
      <ErrorBox error={verdictCall.error} />
      <h4>Why this score</h4>
      <ScoreParts parts={alert.parts} score={alert.score} />
      <h4>Raw events ({events.length})</h4>
      <RawEvents events={events} />
    </div>
  );
}

export function AlertsView() {
  const { alertId, selectAlert, openCase } = useUi();
  const [minScore, setMinScore] = useState(0);
  const [severity, setSeverity] = useState<Level | ''>('');
  const [q, setQ] = useState('');
  const list = useCall(
    () => api.listAlerts({ limit: 2000, minScore: minScore || undefined }),
    [minScore],
  );
  useRefreshOnLive(list.reload, 3000);

  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (list.data ?? []).filter(
      (a) =>
        (!severity || a.severity === severity) &&
        (!needle ||
          `${a.title} ${a.host ?? ''} ${a.sourceIp ?? ''} ${a.ruleId}`
            .toLowerCase()
            .includes(needle)),
    );
  }, [list.data, q, severity]);

  return (
    <div className="view split">
      <Panel
        className="grow"
        title={`Alerts (${rows.length})`}
        actions={
          <>
            <SearchBox value={q} onChange={setQ} blurOnEscape />
            <AnySelect label="severity" value={severity} options={LEVELS} onChange={setSeverity} />
            <select
              value={minScore}
              onChange={(e) => setMinScore(Number(e.target.value))}
              aria-label="minimum score"
            >
              {[0, 40, 70, 90].map((s) => (
                <option key={s} value={s}>
                  score ≥ {s}
                </option>
              ))}
            </select>
            <RefreshButton onClick={list.reload} />
          </>
        }
      >
        <ErrorBox error={list.error} onRetry={list.reload} />
        <DataTable
          rows={rows}
          columns={alertColumns}
          rowKey={(a) => a.id}
          selected={alertId}
          onSelect={(a) => selectAlert(a.id)}
          onOpen={(a) => a.caseId && openCase(a.caseId)}
          keyboard
          testId="alerts-table"
          empty={
            list.loading ? 'Loading…' : 'No alerts. Import a log file or turn the demo feed on.'
          }
        />
      </Panel>
      <Panel className="side" title="Alert">
        {alertId ? (
          <AlertDetail id={alertId} onChanged={list.reload} />
        ) : (
          <div className="muted pad">Select an alert (j/k, click). Enter opens its case.</div>
        )}
      </Panel>
    </div>
  );
}
