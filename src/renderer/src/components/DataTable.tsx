// A dense, virtualized table with keyboard navigation: j/k or arrows move, Enter opens,
// Home/End and PageUp/PageDown jump. Only the rows in view are rendered, so thousands are cheap.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useKeys } from '../hooks';

export interface Column<T> {
  key: string;
  label: string;
  /** CSS width (`80px`, `20%`); the rest share the remaining space. */
  width?: string;
  className?: string;
  render(row: T): ReactNode;
}

interface Props<T> {
  rows: T[];
  columns: Column<T>[];
  rowKey(row: T): string;
  selected?: string | null;
  onSelect?(row: T): void;
  onOpen?(row: T): void;
  rowClass?(row: T): string;
  empty?: ReactNode;
  /** The view's main table takes j/k/Enter from anywhere in the window. */
  keyboard?: boolean;
  testId?: string;
  rowHeight?: number;
}

const OVERSCAN = 8;
/** Columns without a width share the rest, but never shrink below this. */
const FLEX_MIN_PX = 150;

/** Fixed px widths plus a floor for the flexible columns: the table scrolls sideways before the
 * title column disappears. */
export function minWidth<T>(columns: Column<T>[]): number {
  return columns.reduce((sum, c) => {
    const px = c.width?.endsWith('px') ? Number.parseFloat(c.width) : NaN;
    return sum + (Number.isNaN(px) ? FLEX_MIN_PX : px);
  }, 0);
}

function useViewportHeight(ref: React.RefObject<HTMLDivElement | null>): number {
  const [h, setH] = useState(400);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setH(el.clientHeight));
    ro.observe(el);
    setH(el.clientHeight);
    return () => ro.disconnect();
  }, [ref]);
  return h;
}

export function DataTable<T>(props: Props<T>) {
  const { rows, columns, rowKey, selected, onSelect, onOpen, keyboard, rowHeight = 26 } = props;
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const height = useViewportHeight(box);
  const index = selected ? rows.findIndex((r) => rowKey(r) === selected) : -1;

  // Keep the selected row in view when it moves by keyboard.
  useEffect(() => {
    const el = box.current;
    if (!el || index < 0) return;
    const top = index * rowHeight;
    const headerH = rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight - headerH) {
      el.scrollTop = top + rowHeight - el.clientHeight + headerH;
    }
  }, [index, rowHeight]);

  const move = (delta: number) => {
    if (!rows.length || !onSelect) return;
    const from = index < 0 ? (delta > 0 ? -1 : rows.length) : index;
    const next = Math.max(0, Math.min(rows.length - 1, from + delta));
    onSelect(rows[next]);
  };

  const onKey = (e: KeyboardEvent | React.KeyboardEvent) => {
    const page = Math.max(1, Math.floor(height / rowHeight) - 2);
    const moves: Record<string, number> = {
      j: 1,
      ArrowDown: 1,
      k: -1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      End: rows.length,
      Home: -rows.length,
    };
    if (e.key in moves) {
      e.preventDefault();
      move(moves[e.key]);
    } else if (e.key === 'Enter' && index >= 0 && onOpen) {
      e.preventDefault();
      onOpen(rows[index]);
    }
  };
  useKeys(onKey, !!keyboard);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  const visible = rows.slice(first, last);

  return (
    <div
      className="table-box"
      ref={box}
      tabIndex={keyboard ? -1 : 0}
      data-testid={props.testId}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={keyboard ? undefined : onKey}
    >
      <table
        className="grid"
        style={{ ['--row-h' as string]: `${rowHeight}px`, minWidth: minWidth(columns) }}
      >
        <colgroup>
          {columns.map((c) => (
            <col key={c.key} style={c.width ? { width: c.width } : undefined} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} className={c.className}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {first > 0 && <tr style={{ height: first * rowHeight }} aria-hidden />}
          {visible.map((row) => {
            const key = rowKey(row);
            const cls = [key === selected ? 'selected' : '', props.rowClass?.(row) ?? ''];
            return (
              <tr
                key={key}
                className={cls.join(' ').trim() || undefined}
                data-key={key}
                aria-selected={key === selected}
                onClick={() => onSelect?.(row)}
                onDoubleClick={() => onOpen?.(row)}
              >
                {columns.map((c) => (
                  <td key={c.key} className={c.className}>
                    {c.render(row)}
                  </td>
                ))}
              </tr>
            );
          })}
          {last < rows.length && (
            <tr style={{ height: (rows.length - last) * rowHeight }} aria-hidden />
          )}
        </tbody>
      </table>
      {rows.length === 0 && <div className="empty">{props.empty ?? 'Nothing to show.'}</div>}
    </div>
  );
}
