// Cases: the list with status and severity filters, the selected case beside it.
import { useMemo, useState } from 'react';
import type { Case, CaseStatus, Level } from '../../../shared/types';
import { CASE_STATUSES, LEVELS } from '../../../shared/types';
import { api } from '../api';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorBox, Panel } from '../components/Bits';
import { AnySelect, SearchBox } from '../components/Controls';
import { Score, Severity } from '../components/Severity';
import { fmtTime, shortId } from '../format';
import { useCall, useRefreshOn } from '../hooks';
import { useUi } from '../stores/ui';
import { CaseDetail } from './CaseDetail';
import { titleColumn, verdictColumn } from './columns';

const columns: Column<Case>[] = [
  { key: 'id', label: 'Case', width: '84px', className: 'mono', render: (c) => shortId(c.id) },
  { key: 'sev', label: 'Severity', width: '64px', render: (c) => <Severity level={c.severity} /> },
  { key: 'score', label: 'Score', width: '84px', render: (c) => <Score score={c.score} /> },
  {
    key: 'status',
    label: 'Status',
    width: '92px',
    render: (c) => <span className={`status status-${c.status}`}>{c.status}</span>,
  },
  titleColumn(),
  { key: 'n', label: 'Alerts', width: '56px', className: 'num', render: (c) => c.alertIds.length },
  {
    key: 'updated',
    label: 'Updated (UTC)',
    width: '160px',
    className: 'mono',
    render: (c) => fmtTime(c.updatedAt),
  },
  verdictColumn(),
];

export function CasesView() {
  const { caseId, selectCase } = useUi();
  const [status, setStatus] = useState<CaseStatus | ''>('');
  const [severity, setSeverity] = useState<Level | ''>('');
  const [q, setQ] = useState('');
  const list = useCall(
    () =>
      api.listCases({ status: status || undefined, severity: severity || undefined, limit: 2000 }),
    [status, severity],
  );
  useRefreshOn('case', list.reload, 2000);

  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const all = list.data ?? [];
    if (!needle) return all;
    return all.filter((c) => `${c.id} ${c.title} ${c.groupKey}`.toLowerCase().includes(needle));
  }, [list.data, q]);

  return (
    <div className="view stack">
      <Panel
        className="case-list"
        title={`Cases (${rows.length})`}
        actions={
          <>
            <SearchBox value={q} onChange={setQ} />
            <AnySelect
              label="status"
              value={status}
              options={CASE_STATUSES}
              onChange={setStatus}
              testId="case-filter-status"
            />
            <AnySelect label="severity" value={severity} options={LEVELS} onChange={setSeverity} />
          </>
        }
      >
        <ErrorBox error={list.error} onRetry={list.reload} />
        <DataTable
          rows={rows}
          columns={columns}
          rowKey={(c) => c.id}
          selected={caseId}
          onSelect={(c) => selectCase(c.id)}
          keyboard
          testId="cases-table"
          empty={list.loading ? 'Loading…' : 'No cases match.'}
        />
      </Panel>
      <Panel className="case-pane" title="Case">
        {caseId ? (
          <CaseDetail id={caseId} onChanged={list.reload} />
        ) : (
          <div className="muted pad">Select a case (j/k, click).</div>
        )}
      </Panel>
    </div>
  );
}
