// Severity at a glance: colour and text together, never colour alone.
import type { Level, Verdict } from '../../../shared/types';

const SHORT: Record<Level, string> = {
  critical: 'CRIT',
  high: 'HIGH',
  medium: 'MED',
  low: 'LOW',
  informational: 'INFO',
};

export function Severity({ level, long }: { level: Level; long?: boolean }) {
  return (
    <span className={`sev sev-${level}`} title={level}>
      {long ? level : (SHORT[level] ?? level)}
    </span>
  );
}

/** The score with a bar whose colour follows the severity band the score falls in. */
export function Score({ score }: { score: number }) {
  const band = score >= 90 ? 'critical' : score >= 70 ? 'high' : score >= 40 ? 'medium' : 'low';
  return (
    <span className="score" title={`score ${score} of 100`}>
      <span className="score-num">{Math.round(score)}</span>
      <span className="score-bar">
        <span className={`score-fill sev-bg-${band}`} style={{ width: `${score}%` }} />
      </span>
    </span>
  );
}

const VERDICT_SHORT: Record<Verdict, string> = {
  'true-positive': 'TP',
  'false-positive': 'FP',
  benign: 'benign',
};

/** The heading of an alert's or a case's detail pane: its severity, then its title. */
export function DetailTitle({ level, title }: { level: Level; title: string }) {
  return (
    <div className="detail-title">
      <Severity level={level} long />
      <h3>{title}</h3>
    </div>
  );
}

export function VerdictTag({ verdict, short }: { verdict?: Verdict; short?: boolean }) {
  if (!verdict) return <span className="muted">—</span>;
  return (
    <span className={`verdict verdict-${verdict}`} title={verdict}>
      {short ? VERDICT_SHORT[verdict] : verdict}
    </span>
  );
}
