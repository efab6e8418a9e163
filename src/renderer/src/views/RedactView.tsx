// Redact: open or drop a document, see each finding highlighted with its type and score, accept
// or reject each, pick an operator per type, and save the redacted copy; or scan a folder or
// mailbox on the Node side's machine for a report of counts per file and type.
import { useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { PiiPart } from '../../../shared/api';
import type { Finding } from '../../../shared/types';
import { api, errorText } from '../api';
import { ErrorBox, Panel, Tabs } from '../components/Bits';
import { PiiReportTable } from '../components/PiiReport';
import { base64ToBytes } from '../hooks';
import {
  findingKey,
  OPERATORS,
  openForRedaction,
  useRedact,
  type OperatorName,
} from '../stores/redact';
import {
  cancelFolderScan,
  startFolderScan,
  useFolderScan,
  type RedactMode,
} from '../stores/redactFolder';

/** Text beyond this is summarized, not rendered: a browser page is no place for 50 MB of text. */
const MAX_RENDERED_CHARS = 300_000;

function Highlighted({ part }: { part: PiiPart }) {
  const { rejected, toggle } = useRedact();
  const text = part.text.slice(0, MAX_RENDERED_CHARS);
  const pieces: ReactNode[] = [];
  let at = 0;
  const sorted = [...part.findings].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const f of sorted) {
    if (f.start < at || f.start >= text.length) continue; // overlapping or beyond the shown text
    const key = findingKey(part.part, f.start, f.end);
    const off = rejected.has(key);
    pieces.push(text.slice(at, f.start));
    pieces.push(
      <mark
        key={key}
        className={off ? 'pii pii-off' : 'pii'}
        title={`${f.type} · score ${f.score.toFixed(2)} · ${f.reasons.join(', ')} — click to ${off ? 'accept' : 'reject'}`}
        onClick={() => toggle(key)}
      >
        {text.slice(f.start, f.end)}
        <span className="pii-type">{f.type}</span>
      </mark>,
    );
    at = f.end;
  }
  pieces.push(text.slice(at));
  return (
    <pre className="doc">
      {pieces}
      {part.text.length > MAX_RENDERED_CHARS && (
        <span className="muted">{`\n… ${part.text.length - MAX_RENDERED_CHARS} more characters not shown`}</span>
      )}
    </pre>
  );
}

function FindingRow({ part, f }: { part: string; f: Finding }) {
  const { rejected, toggle } = useRedact();
  const key = findingKey(part, f.start, f.end);
  const accepted = !rejected.has(key);
  return (
    <tr className={accepted ? '' : 'row-off'}>
      <td className="finding-what" title={f.reasons.join(', ')}>
        <span className="tag">{f.type}</span>
        <div className="muted small">{f.reasons.join(', ')}</div>
      </td>
      <td className="num">{f.score.toFixed(2)}</td>
      <td className="mono" title={`part ${part}, characters ${f.start} to ${f.end}`}>
        {f.start}–{f.end}
      </td>
      <td>
        <button
          className={accepted ? 'btn btn-small btn-on' : 'btn btn-small'}
          onClick={() => toggle(key)}
        >
          {accepted ? 'accepted' : 'rejected'}
        </button>
      </td>
    </tr>
  );
}

function download(name: string, content: Uint8Array | string, type?: string): void {
  const url = URL.createObjectURL(new Blob([content as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The key for encrypt and hash: a passphrase, or the workstation key kept by the app. */
interface KeyChoice {
  passphrase: string;
  setPassphrase(p: string): void;
  keychain: boolean;
  setKeychain(on: boolean): void;
}

function KeyFields({ passphrase, setPassphrase, keychain, setKeychain }: KeyChoice) {
  return (
    <>
      <label title="A random key made on first use and kept sealed by this workstation's keychain">
        <input
          type="checkbox"
          data-testid="redact-keychain"
          checked={keychain}
          onChange={(e) => setKeychain(e.target.checked)}
        />
        Use the workstation key
      </label>
      {!keychain && (
        <label>
          passphrase
          <input
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </label>
      )}
    </>
  );
}

function Operators({ types, keys }: { types: string[]; keys: KeyChoice }) {
  const { operators, setOperator } = useRedact();
  return (
    <div className="operators">
      {types.map((t) => (
        <label key={t}>
          <span className="tag">{t}</span>
          <select
            value={operators[t] ?? 'replace'}
            onChange={(e) => setOperator(t, e.target.value as OperatorName)}
          >
            {OPERATORS.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </label>
      ))}
      {/* encrypt and hash need a key; Decrypt copy uses the same choice */}
      <KeyFields {...keys} />
    </div>
  );
}

function ModeTabs() {
  const { mode, setMode } = useFolderScan();
  return (
    <Tabs<RedactMode>
      tabs={[
        { id: 'document', label: 'One document' },
        { id: 'folder', label: 'Folder or mailbox' },
      ]}
      active={mode}
      onChange={setMode}
    />
  );
}

export function RedactView() {
  const mode = useFolderScan((s) => s.mode);
  return mode === 'folder' ? <FolderScanView /> : <DocumentRedact />;
}

function DocumentRedact() {
  const { name, base64, scanning, result, error, rejected, operators } = useRedact();
  const input = useRef<HTMLInputElement>(null);
  const [passphrase, setPassphrase] = useState('');
  const [keychain, setKeychain] = useState(false);
  const keys: KeyChoice = { passphrase, setPassphrase, keychain, setKeychain };
  const keyInput = keychain
    ? { key: 'keychain' as const }
    : { passphrase: passphrase || undefined };
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const types = useMemo(() => {
    const set = new Set<string>();
    for (const p of result?.parts ?? []) for (const f of p.findings) set.add(f.type);
    return [...set].sort();
  }, [result]);
  const total = result?.parts.reduce((n, p) => n + p.findings.length, 0) ?? 0;

  const save = async () => {
    if (!name || !base64) return;
    try {
      const ops: Record<string, OperatorName> = {};
      for (const t of types) ops[t] = operators[t] ?? 'replace';
      const out = await api.piiRedact({
        name,
        base64,
        operators: ops,
        rejected: [...rejected],
        ...keyInput,
      });
      download(out.name, base64ToBytes(out.base64));
      setSaved(`${out.name}: ${out.redacted} findings redacted`);
      setSaveError(null);
    } catch (e) {
      setSaveError(errorText(e));
    }
  };

  /** The open document is a redacted copy: restore its encrypted values with the chosen key. */
  const restore = async () => {
    if (!name || !base64) return;
    try {
      const out = await api.piiDecrypt({ name, base64, ...keyInput });
      download(out.name, base64ToBytes(out.base64));
      setSaved(`${out.name}: ${out.restored} values restored`);
      setSaveError(null);
    } catch (e) {
      setSaveError(errorText(e));
    }
  };

  return (
    <div className="view split">
      <Panel
        className="grow"
        title={name ? `Document: ${name}` : 'Redact personal data'}
        actions={
          <>
            <button className="btn" onClick={() => input.current?.click()}>
              Open document…
            </button>
            <button
              className="btn"
              disabled={!base64 || scanning || (!keychain && passphrase.length < 8)}
              title="Restore the values a redacted copy encrypted, with the key chosen below"
              onClick={() => void restore()}
            >
              Decrypt copy
            </button>
            <button
              className="btn btn-primary"
              disabled={!result || scanning}
              onClick={() => void save()}
            >
              Save redacted copy
            </button>
            <input
              ref={input}
              type="file"
              hidden
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void openForRedaction(f);
                e.target.value = '';
              }}
            />
          </>
        }
      >
        <ModeTabs />
        <ErrorBox error={error ?? saveError} />
        {saved && <div className="ok-box">{saved}</div>}
        {!name && (
          <div className="dropzone" onClick={() => input.current?.click()}>
            <div className="dropzone-big">Drop a document here, or open one</div>
            <div className="muted">
              Text, CSV, JSON, HTML, e-mail (.eml, .mbox), .docx, PDF. The original is never
              changed.
            </div>
          </div>
        )}
        {scanning && <div className="muted pad">Scanning {name}…</div>}
        {result?.errors.map((e, i) => (
          <div key={i} className="problem">
            {e}
          </div>
        ))}
        <div className="doc-parts">
          {result?.parts.map((p) => (
            <div key={p.part} className="doc-part">
              <div className="doc-part-head mono">
                {p.part} · {p.findings.length} findings
              </div>
              <Highlighted part={p} />
            </div>
          ))}
        </div>
      </Panel>
      <Panel className="side" title={`Findings (${total - rejected.size} accepted of ${total})`}>
        {result && <Operators types={types} keys={keys} />}
        <table className="plain findings">
          <colgroup>
            <col />
            <col style={{ width: 56 }} />
            <col style={{ width: 96 }} />
            <col style={{ width: 88 }} />
          </colgroup>
          {total > 0 && (
            <thead>
              <tr>
                <th>Type · why</th>
                <th className="num">Score</th>
                <th>Characters</th>
                <th />
              </tr>
            </thead>
          )}
          <tbody>
            {result?.parts.flatMap((p) =>
              p.findings.map((f) => (
                <FindingRow key={findingKey(p.part, f.start, f.end)} part={p.part} f={f} />
              )),
            )}
          </tbody>
        </table>
      </Panel>
    </div>
  );
}

function saveReport(kind: 'json' | 'csv'): void {
  const { report, csv } = useFolderScan.getState();
  if (!report || !csv) return;
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  if (kind === 'csv') download(`pii-report-${stamp}.csv`, csv, 'text/csv');
  else
    download(
      `pii-report-${stamp}.json`,
      JSON.stringify(report, null, 2) + '\n',
      'application/json',
    );
}

function ScanProgress() {
  const { running, cancelling, done, total, counts, message } = useFolderScan();
  const types = Object.keys(counts).sort();
  return (
    <div className="pad">
      <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <progress
          data-testid="folder-progress"
          max={total || 1}
          value={done}
          style={{ flex: 1, height: 14 }}
        />
        <span className="mono" data-testid="folder-done">
          {total ? `${done} / ${total} files` : running ? 'listing files…' : ''}
        </span>
        {running && (
          <button
            className="btn"
            data-testid="folder-cancel"
            disabled={cancelling}
            onClick={() => void cancelFolderScan()}
          >
            {cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
      </div>
      {running && message && <div className="muted small mono">{message}</div>}
      <div className="operators" data-testid="folder-counts" style={{ marginTop: 8 }}>
        {types.map((t) => (
          <span key={t}>
            <span className="tag">{t}</span> <span className="mono">{counts[t]}</span>
          </span>
        ))}
      </div>
    </div>
  );
}

function FolderScanView() {
  const { running, report, error, total } = useFolderScan();
  const [path, setPath] = useState('');
  const [types, setTypes] = useState('');
  const [scanned, setScanned] = useState('');
  const start = () => {
    setScanned(path);
    void startFolderScan(path, types);
  };
  return (
    <div className="view">
      <Panel
        className="grow"
        title="Scan a folder or mailbox"
        actions={
          <>
            <button
              className="btn"
              data-testid="folder-save-json"
              disabled={!report}
              onClick={() => saveReport('json')}
            >
              Save report JSON
            </button>
            <button
              className="btn"
              data-testid="folder-save-csv"
              disabled={!report}
              onClick={() => saveReport('csv')}
            >
              Save report CSV
            </button>
          </>
        }
      >
        <ModeTabs />
        <div className="form-row">
          <label style={{ flex: 1, display: 'flex', flexDirection: 'column', gap: 4 }}>
            <span className="muted small">
              Folder or .mbox path on the machine running Haechi — copy it from your file manager
              (Browse: right-click → Copy path)
            </span>
            <input
              data-testid="folder-path"
              value={path}
              placeholder="/home/analyst/mail or /var/mail/export.mbox"
              onChange={(e) => setPath(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && path.trim() && !running && start()}
            />
          </label>
          <label style={{ width: 280, display: 'flex', flexDirection: 'column', gap: 4 }}>
            <span className="muted small">Types (optional, comma-separated)</span>
            <input
              data-testid="folder-types"
              value={types}
              placeholder="every type"
              onChange={(e) => setTypes(e.target.value)}
            />
          </label>
          <button
            className="btn btn-primary"
            data-testid="folder-start"
            style={{ alignSelf: 'flex-end' }}
            disabled={!path.trim() || running}
            onClick={start}
          >
            Start
          </button>
        </div>
        <ErrorBox error={error} />
        {(running || report || total > 0) && <ScanProgress />}
        {report && (
          <div className="pad" data-testid="folder-summary">
            <div className={report.cancelled ? 'problem' : 'ok-box'}>
              {report.cancelled ? 'Cancelled: ' : 'Done: '}
              {report.scanned} files scanned, {report.failed} could not be read. The report holds
              counts only, never the values.
            </div>
            <PiiReportTable report={report} root={scanned} />
          </div>
        )}
      </Panel>
    </div>
  );
}
