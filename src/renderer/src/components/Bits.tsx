// Small pieces used everywhere: error and empty states, tabs, key hints, panels.
import type { ReactNode } from 'react';

/** An API failure, shown where the data would have been. Never throws. */
export function ErrorBox({ error, onRetry }: { error: string | null; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div className="error-box" role="alert">
      <span className="error-title">Failed</span>
      <span className="error-text">{error}</span>
      {onRetry && (
        <button className="btn btn-small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** A detail pane before its data: the error with Retry, "Loading…", or "<what> not found." */
export function NotLoaded(props: {
  error: string | null;
  loading: boolean;
  onRetry(): void;
  what: string;
}) {
  if (props.error) return <ErrorBox error={props.error} onRetry={props.onRetry} />;
  return <div className="muted pad">{props.loading ? 'Loading…' : `${props.what} not found.`}</div>;
}

export function Tabs<T extends string>(props: {
  tabs: { id: T; label: string; count?: number }[];
  active: T;
  onChange(id: T): void;
}) {
  return (
    <div className="tabs" role="tablist">
      {props.tabs.map((t) => (
        <button
          key={t.id}
          role="tab"
          aria-selected={t.id === props.active}
          className={t.id === props.active ? 'tab active' : 'tab'}
          onClick={() => props.onChange(t.id)}
        >
          {t.label}
          {t.count !== undefined && <span className="tab-count">{t.count}</span>}
        </button>
      ))}
    </div>
  );
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="kbd">{children}</kbd>;
}

export function Panel(props: {
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`panel ${props.className ?? ''}`}>
      <header className="panel-head">
        <h2>{props.title}</h2>
        <div className="panel-actions">{props.actions}</div>
      </header>
      <div className="panel-body">{props.children}</div>
    </section>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kv">
      <span className="kv-k">{label}</span>
      <span className="kv-v">{children}</span>
    </div>
  );
}
