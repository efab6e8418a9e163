// The explanation of a score and the raw events behind an alert: what an analyst checks first.
import { useState } from 'react';
import type { HaechiEvent, ScorePart } from '../../../shared/types';
import { fmtTime } from '../format';

export function ScoreParts({ parts, score }: { parts: ScorePart[]; score: number }) {
  if (!parts.length) return <div className="muted">No score parts recorded.</div>;
  const total = parts.reduce((s, p) => s + p.points, 0);
  return (
    <table className="parts" data-testid="score-parts">
      <tbody>
        {parts.map((p, i) => (
          <tr key={i}>
            <td className="part-kind">
              <span className={`kind kind-${p.kind}`}>{p.kind}</span>
            </td>
            <td className="part-label">
              <div>{p.label}</div>
              {p.detail && <div className="muted small">{p.detail}</div>}
            </td>
            <td className="num part-points">
              {p.points >= 0 ? '+' : ''}
              {p.points}
            </td>
          </tr>
        ))}
        <tr className="parts-total">
          <td />
          <td>score {total !== score ? `(parts sum ${total}, capped)` : ''}</td>
          <td className="num">{score}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** Pretty-prints JSON raw text when it is JSON; otherwise shows it as it came. */
function prettyRaw(raw: string): string {
  const t = raw.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return raw;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return raw;
  }
}

function EventBlock({ event, open }: { event: HaechiEvent; open: boolean }) {
  const [show, setShow] = useState(open);
  const [mode, setMode] = useState<'raw' | 'norm'>('raw');
  const where = event.position?.file
    ? `${event.position.file}${event.position.record ? `:${event.position.record}` : ''}`
    : event.source;
  return (
    <div className="event" data-testid="raw-event">
      <button className="event-head" onClick={() => setShow(!show)} aria-expanded={show}>
        <span className="caret">{show ? '▾' : '▸'}</span>
        <span className="mono">{fmtTime(event.time)}</span>
        <span className="tag">{event.format}</span>
        <span className="muted ellipsis">{where}</span>
      </button>
      {show && (
        <div className="event-body">
          <div className="seg">
            <button className={mode === 'raw' ? 'on' : ''} onClick={() => setMode('raw')}>
              raw
            </button>
            <button className={mode === 'norm' ? 'on' : ''} onClick={() => setMode('norm')}>
              normalized
            </button>
          </div>
          <pre className="raw">
            {mode === 'raw' ? prettyRaw(event.raw) : JSON.stringify(event.norm, null, 2)}
          </pre>
        </div>
      )}
    </div>
  );
}

export function RawEvents({ events, limit = 200 }: { events: HaechiEvent[]; limit?: number }) {
  if (!events.length) return <div className="muted">No events stored for this.</div>;
  const shown = events.slice(0, limit);
  return (
    <div className="events">
      {shown.map((e, i) => (
        <EventBlock key={e.id} event={e} open={i === 0} />
      ))}
      {events.length > limit && (
        <div className="muted">{events.length - limit} more events not shown.</div>
      )}
    </div>
  );
}
