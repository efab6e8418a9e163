// Column sets shared by the tables that list alerts.
import type { Alert } from '../../../shared/types';
import type { Column } from '../components/DataTable';
import { Score, Severity, VerdictTag } from '../components/Severity';
import { fmtClock, fmtTime, shortId } from '../format';

/** "255.255.255.255" in the table's monospace font plus the cell padding. */
export const SOURCE_IP_PX = '132px';

export const alertColumns: Column<Alert>[] = [
  {
    key: 'time',
    label: 'Time (UTC)',
    width: '122px',
    className: 'mono',
    render: (a) => <span title={`${fmtTime(a.time)} UTC`}>{fmtTime(a.time).slice(5)}</span>,
  },
  { key: 'score', label: 'Score', width: '80px', render: (a) => <Score score={a.score} /> },
  { key: 'sev', label: 'Severity', width: '74px', render: (a) => <Severity level={a.severity} /> },
  {
    key: 'title',
    label: 'Title',
    className: 'ellipsis',
    render: (a) => <span title={a.title}>{a.title}</span>,
  },
  {
    key: 'host',
    label: 'Host',
    width: '110px',
    className: 'mono ellipsis',
    render: (a) => <span title={a.host}>{a.host ?? '—'}</span>,
  },
  {
    // Wide enough for any IPv4 address in full: two addresses must never look alike.
    key: 'ip',
    label: 'Source IP',
    width: SOURCE_IP_PX,
    className: 'mono ellipsis',
    render: (a) => <span title={a.sourceIp}>{a.sourceIp ?? '—'}</span>,
  },
  {
    key: 'case',
    label: 'Case',
    width: '48px',
    className: 'mono',
    render: (a) => shortId(a.caseId),
  },
  {
    key: 'verdict',
    label: 'Verdict',
    width: '64px',
    render: (a) => <VerdictTag verdict={a.verdict} short />,
  },
];

export const liveColumns: Column<Alert>[] = [
  {
    key: 'time',
    label: 'Received',
    width: '118px',
    className: 'mono',
    render: (a) => fmtClock(a.createdAt),
  },
  { key: 'score', label: 'Score', width: '80px', render: (a) => <Score score={a.score} /> },
  { key: 'sev', label: 'Severity', width: '74px', render: (a) => <Severity level={a.severity} /> },
  {
    key: 'title',
    label: 'Title',
    className: 'ellipsis',
    render: (a) => <span title={a.title}>{a.title}</span>,
  },
  {
    key: 'host',
    label: 'Host',
    width: '140px',
    className: 'mono ellipsis',
    render: (a) => a.host ?? '—',
  },
  {
    key: 'ip',
    label: 'Source IP',
    width: SOURCE_IP_PX,
    className: 'mono ellipsis',
    render: (a) => <span title={a.sourceIp}>{a.sourceIp ?? '—'}</span>,
  },
];
