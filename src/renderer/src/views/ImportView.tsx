// Import: pick or drop log files; each import shows events read, records rejected with their
// reasons, and the alerts and cases it raised.
import { useRef } from 'react';
import { Panel } from '../components/Bits';
import { fmtCount, fmtMs } from '../format';
import { importFile, useImports, type ImportRun } from '../stores/imports';
import { useUi } from '../stores/ui';

const REJECTED_SHOWN = 100;

function RunCard({ run }: { run: ImportRun }) {
  const show = useUi((s) => s.show);
  const r = run.result;
  return (
    <div className={`run run-${run.state}`} data-testid="import-run">
      <div className="run-head">
        <b className="mono">{run.name}</b>
        <span className="muted">{fmtCount(run.bytes)} bytes</span>
        <span className={`state state-${run.state}`}>{run.state}</span>
      </div>
      {run.error && (
        <div className="error-box" role="alert">
          <span className="error-title">Failed</span>
          <span className="error-text">{run.error}</span>
        </div>
      )}
      {r && (
        <>
          <div className="run-figures" data-testid="import-result">
            <span>
              <b data-testid="import-events">{fmtCount(r.events)}</b> events
            </span>
            <span>
              <b>{fmtCount(r.rejected.length)}</b> rejected
            </span>
            <span>
              <b>{fmtCount(r.matches)}</b> matches
            </span>
            <button className="link" onClick={() => show('alerts')} data-testid="import-alerts">
              <b>{fmtCount(r.alerts)}</b> alerts
            </button>
            <button className="link" onClick={() => show('cases')}>
              <b>{fmtCount(r.cases)}</b> cases
            </button>
            <span className="muted">{fmtMs(r.ms)}</span>
          </div>
          {r.rejected.length > 0 && (
            <table className="plain rejected">
              <thead>
                <tr>
                  <th>Record</th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                {r.rejected.slice(0, REJECTED_SHOWN).map((x) => (
                  <tr key={x.record}>
                    <td className="num mono">{x.record > 0 ? x.record : 'file'}</td>
                    <td>{x.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {r.rejected.length > REJECTED_SHOWN && (
            <div className="muted">
              {r.rejected.length - REJECTED_SHOWN} more rejected records not shown.
            </div>
          )}
        </>
      )}
    </div>
  );
}

export function ImportView() {
  const runs = useImports((s) => s.runs);
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="view">
      <Panel
        className="grow"
        title="Import log files"
        actions={
          <button className="btn btn-primary" onClick={() => input.current?.click()}>
            Choose files…
          </button>
        }
      >
        <input
          ref={input}
          type="file"
          multiple
          hidden
          onChange={(e) => {
            for (const f of Array.from(e.target.files ?? [])) void importFile(f);
            e.target.value = '';
          }}
        />
        <div className="dropzone" onClick={() => input.current?.click()}>
          <div className="dropzone-big">Drop log files anywhere in the window</div>
          <div className="muted">
            JSON or NDJSON events (flat and nested Windows shapes), or log text: access logs,
            syslog, CEF, Zeek, Suricata EVE, service logs. Each file is matched against the loaded
            rules.
          </div>
        </div>
        <div className="runs">
          {runs.map((r) => (
            <RunCard key={r.id} run={r} />
          ))}
        </div>
      </Panel>
    </div>
  );
}
