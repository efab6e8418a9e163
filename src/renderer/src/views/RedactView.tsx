// Redact: open or drop a document, see each finding highlighted with its type and score, accept
// or reject each, pick an operator per type, and save the redacted copy.
import { useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { PiiPart } from '../../../shared/api';
import type { Finding } from '../../../shared/types';
import { api, errorText } from '../api';
import { ErrorBox, Panel } from '../components/Bits';
import { base64ToBytes } from '../hooks';
import {
  findingKey,
  OPERATORS,
  openForRedaction,
  useRedact,
  type OperatorName,
} from '../stores/redact';

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

function download(name: string, base64: string): void {
  const url = URL.createObjectURL(new Blob([base64ToBytes(base64)]));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Operators({
  types,
  passphrase,
  setPassphrase,
}: {
  types: string[];
  passphrase: string;
  setPassphrase(p: string): void;
}) {
  const { operators, setOperator } = useRedact();
  const anyEncrypt = types.some((t) => operators[t] === 'encrypt');
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
      {anyEncrypt && (
        <label>
          passphrase
          <input
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </label>
      )}
    </div>
  );
}

export function RedactView() {
  const { name, base64, scanning, result, error, rejected, operators } = useRedact();
  const input = useRef<HTMLInputElement>(null);
  const [passphrase, setPassphrase] = useState('');
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
        passphrase: passphrase || undefined,
      });
      download(out.name, out.base64);
      setSaved(`${out.name}: ${out.redacted} findings redacted`);
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
        {result && (
          <Operators types={types} passphrase={passphrase} setPassphrase={setPassphrase} />
        )}
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
