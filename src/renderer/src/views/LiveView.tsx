// Live: events per second, the newest alerts as they stream in, and the demo feed switch.
import { useMemo, useState } from 'react';
import type { Alert, Level } from '../../../shared/types';
import { LEVELS } from '../../../shared/types';
import { api, errorText } from '../api';
import { DataTable } from '../components/DataTable';
import { ErrorBox, Panel } from '../components/Bits';
import { Severity } from '../components/Severity';
import { Sparkline } from '../components/Sparkline';
import { fmtCount, fmtRate } from '../format';
import { RING_SIZE, useLive } from '../stores/live';
import { useStatus } from '../stores/status';
import { useUi } from '../stores/ui';
import { liveColumns } from './columns';

const RATES = [10, 100, 1000, 5000];

function DemoSwitch() {
  const status = useStatus((s) => s.status);
  const refresh = useStatus((s) => s.refresh);
  const [rate, setRate] = useState(100);
  const [error, setError] = useState<string | null>(null);
  const on = !!status?.demo;

  const toggle = async (next: boolean, r = rate) => {
    try {
      await api.setDemo({ on: next, rate: r });
      setError(null);
      await refresh();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div className="demo">
      <button
        className={on ? 'btn btn-on' : 'btn'}
        onClick={() => void toggle(!on)}
        data-testid="demo-toggle"
        aria-pressed={on}
      >
        <span className={on ? 'dot dot-on' : 'dot'} /> Demo feed {on ? 'on' : 'off'}
      </button>
      <select
        value={rate}
        aria-label="demo rate"
        onChange={(e) => {
          const r = Number(e.target.value);
          setRate(r);
          if (on) void toggle(true, r);
        }}
      >
        {RATES.map((r) => (
          <option key={r} value={r}>
            {fmtRate(r)} events/s
          </option>
        ))}
      </select>
      <ErrorBox error={error} />
    </div>
  );
}

/** The most frequent values of `key` among the alerts in the stream. */
function top(alerts: Alert[], key: (a: Alert) => string | undefined, n = 8): [string, number][] {
  const counts = new Map<string, number>();
  for (const a of alerts) {
    const k = key(a);
    if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort((x, y) => y[1] - x[1]).slice(0, n);
}

function TopList({ title, rows }: { title: string; rows: [string, number][] }) {
  const max = rows[0]?.[1] ?? 1;
  return (
    <div className="top">
      <h4>{title}</h4>
      {rows.length === 0 && <div className="muted small">—</div>}
      {rows.map(([k, n]) => (
        <div key={k} className="top-row" title={k}>
          <span className="top-bar" style={{ width: `${(n / max) * 100}%` }} />
          <span className="top-key ellipsis">{k}</span>
          <span className="top-n">{n}</span>
        </div>
      ))}
    </div>
  );
}

function severityCounts(alerts: Alert[]): Record<Level, number> {
  const counts = { informational: 0, low: 0, medium: 0, high: 0, critical: 0 };
  for (const a of alerts) counts[a.severity]++;
  return counts;
}

export function LiveView() {
  const { alerts, held, history, eps, events, paused, setPaused } = useLive();
  const status = useStatus((s) => s.status);
  const openAlert = useUi((s) => s.openAlert);
  const [selected, setSelected] = useState<string | null>(null);
  const counts = useMemo(() => severityCounts(alerts), [alerts]);
  const topRules = useMemo(() => top(alerts, (a) => a.title), [alerts]);
  const topIps = useMemo(() => top(alerts, (a) => a.sourceIp ?? a.host), [alerts]);

  return (
    <div className="view view-live">
      <div className="kpis">
        <div className="kpi kpi-wide">
          <div className="kpi-label">
            Events per second
            {history.length > 1 && (
              <span className="muted">
                {' '}
                · peak {fmtRate(Math.max(...history.map((p) => p.eps)))}/s · last {history.length} s
              </span>
            )}
          </div>
          <div className="kpi-row">
            <div className="kpi-value" data-testid="live-eps">
              {fmtRate(eps)}
            </div>
            <Sparkline points={history} />
          </div>
        </div>
        <div className="kpi">
          <div className="kpi-label">Events</div>
          <div className="kpi-value">{fmtCount(events || status?.events)}</div>
        </div>
        <div className="kpi">
          {/* The same alerts as the table beside it: its rows, newest RING_SIZE kept. */}
          <div className="kpi-label">
            Alerts in the list <span className="muted">(newest {fmtCount(RING_SIZE)} kept)</span>
          </div>
          <div className="kpi-value" data-testid="live-received">
            {fmtCount(alerts.length)}
          </div>
          {paused && (
            <div className="muted" data-testid="live-held">
              +{fmtCount(held.length)} held while paused
            </div>
          )}
        </div>
        <div className="kpi">
          <div className="kpi-label">In the list, by severity</div>
          <div className="sev-counts">
            {[...LEVELS].reverse().map((l) => (
              <span key={l} className="sev-count">
                <Severity level={l} /> {counts[l]}
              </span>
            ))}
          </div>
        </div>
      </div>
      <div className="view-row">
        <Panel
          className="grow"
          title="Newest alerts"
          actions={
            <>
              <DemoSwitch />
              <button className="btn" onClick={() => setPaused(!paused)} aria-pressed={paused}>
                {paused ? 'Resume' : 'Pause'}
              </button>
            </>
          }
        >
          <DataTable
            rows={alerts}
            columns={liveColumns}
            rowKey={(a) => a.id}
            selected={selected}
            onSelect={(a) => setSelected(a.id)}
            onOpen={(a) => openAlert(a.id)}
            keyboard
            testId="live-alerts"
            empty={
              status?.demo
                ? 'Waiting for alerts…'
                : 'No alerts yet. Turn the demo feed on, or import a log file (drop it anywhere).'
            }
          />
        </Panel>
        <Panel className="live-side" title="In the list">
          <TopList title="Top rules" rows={topRules} />
          <TopList title="Top sources (address or host)" rows={topIps} />
        </Panel>
      </div>
    </div>
  );
}
