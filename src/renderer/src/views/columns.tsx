// Column sets shared by the tables that list alerts, and columns the case table uses too.
import type { Alert, Verdict } from '../../../shared/types';
import type { Column } from '../components/DataTable';
import { Score, Severity, VerdictTag } from '../components/Severity';
import { fmtClock, fmtTime, shortId } from '../format';

/** "255.255.255.255" in the table's monospace font plus the cell padding. */
export const SOURCE_IP_PX = '132px';

/** The row's title, cut with an ellipsis; the whole title on hover. */
export function titleColumn<T extends { title: string }>(): Column<T> {
  return {
    key: 'title',
    label: 'Title',
    className: 'ellipsis',
    render: (r) => <span title={r.title}>{r.title}</span>,
  };
}

export function verdictColumn<T extends { verdict?: Verdict }>(): Column<T> {
  return {
    key: 'verdict',
    label: 'Verdict',
    width: '64px',
    render: (r) => <VerdictTag verdict={r.verdict} short />,
  };
}

const scoreColumn: Column<Alert> = {
  key: 'score',
  label: 'Score',
  width: '80px',
  render: (a) => <Score score={a.score} />,
};

const severityColumn: Column<Alert> = {
  key: 'sev',
  label: 'Severity',
  width: '74px',
  render: (a) => <Severity level={a.severity} />,
};

const sourceIpColumn: Column<Alert> = {
  // Wide enough for any IPv4 address in full: two addresses must never look alike.
  key: 'ip',
  label: 'Source IP',
  width: SOURCE_IP_PX,
  className: 'mono ellipsis',
  render: (a) => <span title={a.sourceIp}>{a.sourceIp ?? '—'}</span>,
};

export const alertColumns: Column<Alert>[] = [
  {
    key: 'time',
    label: 'Time (UTC)',
    width: '122px',
    className: 'mono',
    render: (a) => <span title={`${fmtTime(a.time)} UTC`}>{fmtTime(a.time).slice(5)}</span>,
  },
  scoreColumn,
  severityColumn,
  titleColumn(),
  {
    key: 'host',
    label: 'Host',
    width: '110px',
    className: 'mono ellipsis',
    render: (a) => <span title={a.host}>{a.host ?? '—'}</span>,
  },
  sourceIpColumn,
  {
    key: 'case',
    label: 'Case',
    width: '48px',
    className: 'mono',
    render: (a) => shortId(a.caseId),
  },
  verdictColumn(),
];

export const liveColumns: Column<Alert>[] = [
  {
    key: 'time',
    label: 'Received',
    width: '118px',
    className: 'mono',
    render: (a) => fmtClock(a.createdAt),
  },
  scoreColumn,
  severityColumn,
  titleColumn(),
  {
    key: 'host',
    label: 'Host',
    width: '140px',
    className: 'mono ellipsis',
    render: (a) => a.host ?? '—',
  },
  sourceIpColumn,
];
