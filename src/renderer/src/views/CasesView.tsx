// Cases: the list with status and severity filters, the selected case beside it.
import { useMemo, useRef, useState } from 'react';
import type { Case, CaseStatus, Level } from '../../../shared/types';
import { CASE_STATUSES, LEVELS } from '../../../shared/types';
import { api } from '../api';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorBox, Panel } from '../components/Bits';
import { Score, Severity, VerdictTag } from '../components/Severity';
import { fmtTime, shortId } from '../format';
import { useCall, useKeys, useRefreshOn } from '../hooks';
import { useUi } from '../stores/ui';
import { CaseDetail } from './CaseDetail';

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
  {
    key: 'title',
    label: 'Title',
    className: 'ellipsis',
    render: (c) => <span title={c.title}>{c.title}</span>,
  },
  { key: 'n', label: 'Alerts', width: '56px', className: 'num', render: (c) => c.alertIds.length },
  {
    key: 'updated',
    label: 'Updated (UTC)',
    width: '160px',
    className: 'mono',
    render: (c) => fmtTime(c.updatedAt),
  },
  {
    key: 'verdict',
    label: 'Verdict',
    width: '64px',
    render: (c) => <VerdictTag verdict={c.verdict} short />,
  },
];

export function CasesView() {
  const { caseId, selectCase } = useUi();
  const [status, setStatus] = useState<CaseStatus | ''>('');
  const [severity, setSeverity] = useState<Level | ''>('');
  const [q, setQ] = useState('');
  const search = useRef<HTMLInputElement>(null);
  const list = useCall(
    () =>
      api.listCases({ status: status || undefined, severity: severity || undefined, limit: 2000 }),
    [status, severity],
  );
  useRefreshOn('case', list.reload, 2000);
  useKeys((e) => {
    if (e.key === '/') {
      e.preventDefault();
      search.current?.focus();
    }
  });

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
            <input
              ref={search}
              className="search"
              placeholder="Search  /"
              value={q}
              onChange={(e) => setQ(e.target.value)}
            />
            <select
              value={status}
              onChange={(e) => setStatus(e.target.value as CaseStatus | '')}
              aria-label="status"
              data-testid="case-filter-status"
            >
              <option value="">any status</option>
              {CASE_STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
            <select
              value={severity}
              onChange={(e) => setSeverity(e.target.value as Level | '')}
              aria-label="severity"
            >
              <option value="">any severity</option>
              {LEVELS.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
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
