// Sources & Intel: event sources with their state and counts, the quarantine of lines that did
// not parse, and the indicator store.
import { useRef, useState } from 'react';
import type { QuarantineEntry } from '../../../shared/api';
import type { Indicator, SourceStatus } from '../../../shared/types';
import { api, errorText } from '../api';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorBox, Panel } from '../components/Bits';
import { RefreshButton, SearchBox } from '../components/Controls';
import { fmtCount, fmtMs, fmtRate, fmtTime } from '../format';
import { useAction, useCall, useRefreshOn } from '../hooks';
import { AddSource } from './SourceForm';
import { useUi } from '../stores/ui';

/** A right-aligned count of a source's lines. */
function countColumn(
  key: string,
  label: string,
  width: string,
  count: (s: SourceStatus) => number,
): Column<SourceStatus> {
  return { key, label, width, className: 'num', render: (s) => fmtCount(count(s)) };
}

function Sources() {
  const list = useCall(() => api.listSources({}), []);
  useRefreshOn('source', list.reload, 1000);
  const [sel, setSel] = useState<string | null>(null);
  const { error, run: act } = useAction(list.reload);
  const columns: Column<SourceStatus>[] = [
    {
      key: 'state',
      label: 'State',
      width: '80px',
      render: (s) => <span className={`state state-${s.state}`}>{s.state}</span>,
    },
    { key: 'name', label: 'Name', className: 'ellipsis', render: (s) => s.name },
    { key: 'kind', label: 'Kind', width: '90px', render: (s) => s.kind },
    { key: 'eps', label: 'ev/s', width: '64px', className: 'num', render: (s) => fmtRate(s.eps) },
    { key: 'lag', label: 'Lag', width: '70px', className: 'num', render: (s) => fmtMs(s.lagMs) },
    countColumn('read', 'Read', '80px', (s) => s.read),
    countColumn('parsed', 'Parsed', '80px', (s) => s.parsed),
    countColumn('rej', 'Rejected', '72px', (s) => s.rejected),
    countColumn('drop', 'Dropped', '72px', (s) => s.dropped),
    {
      key: 'err',
      label: 'Last error',
      className: 'ellipsis',
      render: (s) => <span title={s.lastError}>{s.lastError ?? ''}</span>,
    },
    {
      key: 'ops',
      label: '',
      width: '160px',
      render: (s) => (
        <span className="row-actions">
          <button
            className="btn btn-small"
            onClick={() =>
              void act(() =>
                s.state === 'running'
                  ? api.stopSource({ id: s.id })
                  : api.startSource({ id: s.id }),
              )
            }
          >
            {s.state === 'running' ? 'Stop' : 'Start'}
          </button>
          <button
            className="btn btn-small btn-danger"
            onClick={() => void act(() => api.removeSource({ id: s.id }))}
          >
            Remove
          </button>
        </span>
      ),
    },
  ];
  return (
    <Panel title="Sources" className="grow" actions={<RefreshButton onClick={list.reload} />}>
      <ErrorBox error={list.error ?? error} onRetry={list.reload} />
      <DataTable
        rows={list.data ?? []}
        columns={columns}
        rowKey={(s) => s.id}
        selected={sel}
        onSelect={(s) => setSel(s.id)}
        empty="No sources configured."
      />
      <AddSource onSaved={list.reload} />
    </Panel>
  );
}

const quarantineColumns: Column<QuarantineEntry>[] = [
  {
    key: 'at',
    label: 'Time (UTC)',
    width: '160px',
    className: 'mono',
    render: (q) => fmtTime(q.at),
  },
  { key: 'src', label: 'Source', width: '120px', render: (q) => q.source },
  { key: 'pos', label: 'Position', width: '120px', className: 'mono', render: (q) => q.position },
  {
    key: 'why',
    label: 'Reason',
    className: 'ellipsis',
    render: (q) => <span title={q.reason}>{q.reason}</span>,
  },
];

const indicatorColumns: Column<Indicator>[] = [
  {
    key: 'type',
    label: 'Type',
    width: '64px',
    render: (i) => <span className="tag">{i.type}</span>,
  },
  {
    key: 'value',
    label: 'Value',
    className: 'mono ellipsis',
    render: (i) => <span title={i.value}>{i.value}</span>,
  },
  { key: 'src', label: 'Source', width: '110px', className: 'ellipsis', render: (i) => i.source },
  { key: 'conf', label: 'Conf.', width: '50px', className: 'num', render: (i) => i.confidence },
  {
    key: 'tlp',
    label: 'TLP',
    width: '64px',
    render: (i) =>
      i.tlp ? <span className={`tlp tlp-${i.tlp.toLowerCase()}`}>{i.tlp}</span> : '—',
  },
  {
    key: 'until',
    label: 'Valid until',
    width: '160px',
    className: 'mono',
    render: (i) => fmtTime(i.validUntil),
  },
];

function Intel() {
  const [q, setQ] = useState('');
  const file = useRef<HTMLInputElement>(null);
  const notify = useUi((s) => s.notify);
  const stamp = useUi((s) => s.intelStamp);
  const list = useCall(() => api.listIndicators({ q: q || undefined, limit: 2000 }), [q, stamp]);
  const [sel, setSel] = useState<string | null>(null);
  const importIntel = async (f: File) => {
    try {
      const r = await api.importIntel({ name: f.name, content: await f.text() });
      notify('info', `${f.name}: ${r.added} added, ${r.updated} updated, ${r.rejected} rejected`);
      list.reload();
    } catch (e) {
      notify('error', `${f.name}: ${errorText(e)}`);
    }
  };
  return (
    <Panel
      title={`Indicators${list.data ? ` (${fmtCount(list.data.total)})` : ''}`}
      className="grow"
      actions={
        <>
          <SearchBox value={q} onChange={setQ} />
          <button className="btn" onClick={() => file.current?.click()}>
            Import intel…
          </button>
          <input
            ref={file}
            type="file"
            hidden
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void importIntel(f);
              e.target.value = '';
            }}
          />
        </>
      }
    >
      <ErrorBox error={list.error} onRetry={list.reload} />
      <DataTable
        rows={list.data?.indicators ?? []}
        columns={indicatorColumns}
        rowKey={(i) => i.id}
        selected={sel}
        onSelect={(i) => setSel(i.id)}
        keyboard
        empty="No indicators. Import a STIX bundle, MISP event or blocklist."
      />
    </Panel>
  );
}

function Quarantine() {
  const list = useCall(() => api.listQuarantine({ limit: 500 }), []);
  return (
    <Panel title="Quarantine" className="grow" actions={<RefreshButton onClick={list.reload} />}>
      <ErrorBox error={list.error} onRetry={list.reload} />
      <DataTable
        rows={list.data ?? []}
        columns={quarantineColumns}
        rowKey={(q) => `${q.source}:${q.position}:${q.at}`}
        empty="Nothing quarantined."
      />
    </Panel>
  );
}

export function SourcesView() {
  return (
    <div className="view grid2">
      <Sources />
      <Intel />
      <Quarantine />
    </div>
  );
}
