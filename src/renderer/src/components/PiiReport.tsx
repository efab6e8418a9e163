// A folder scan's report as a table: one row per file, one column per finding type, the counts
// only (the report never holds a value). Files are shown relative to the scanned folder.
import type { PiiBatchReport } from '../../../shared/api';

/** Rows beyond this are left out of the table (the JSON and CSV downloads hold them all). */
const MAX_ROWS = 2000;

export function relativeTo(root: string, file: string): string {
  const base = root.trim().replace(/[\\/]+$/, '');
  return file.startsWith(base + '/') || file.startsWith(base + '\\')
    ? file.slice(base.length + 1)
    : file;
}

/** A problem's text with the scanned folder left out of the paths it names. */
function shortenPaths(root: string, text: string): string {
  const base = root.trim().replace(/[\\/]+$/, '');
  return base ? text.split(base + '/').join('') : text;
}

export function PiiReportTable({ report, root }: { report: PiiBatchReport; root: string }) {
  const types = Object.keys(report.totals).sort();
  const rows = report.files.slice(0, MAX_ROWS);
  return (
    <div style={{ overflowX: 'auto' }}>
      <table className="plain" data-testid="folder-report">
        <thead>
          <tr>
            <th>File</th>
            <th>Kind</th>
            {types.map((t) => (
              <th key={t} className="num">
                <span className="tag">{t}</span>
              </th>
            ))}
            <th>Problems</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((f) => (
            <tr key={f.file} data-testid="folder-report-row">
              <td className="mono" title={f.file} style={{ overflowWrap: 'anywhere' }}>
                {relativeTo(root, f.file)}
              </td>
              <td>{f.kind ?? 'error'}</td>
              {types.map((t) => (
                <td key={t} className="num">
                  {f.counts[t] ?? ''}
                </td>
              ))}
              <td
                className="muted small"
                style={{ minWidth: 220, maxWidth: 420, overflowWrap: 'anywhere' }}
              >
                {f.errors
                  .map((e) => (e.startsWith(`${f.file}: `) ? e.slice(f.file.length + 2) : e))
                  .map((e) => shortenPaths(root, e))
                  .join('; ')}
              </td>
            </tr>
          ))}
          {report.files.length > MAX_ROWS && (
            <tr>
              <td colSpan={types.length + 3} className="muted">
                {report.files.length - MAX_ROWS} more files in the saved report
              </td>
            </tr>
          )}
        </tbody>
        <tfoot>
          <tr>
            <th>Total</th>
            <th />
            {types.map((t) => (
              <th key={t} className="num" data-testid={`folder-total-${t}`}>
                {report.totals[t]}
              </th>
            ))}
            <th />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
