// The shell: navigation, the status bar, File menu, global shortcuts and drag-and-drop.
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { api, errorText } from './api';
import { Kbd } from './components/Bits';
import { fmtCount, fmtRate } from './format';
import { useKeys } from './hooks';
import { importFile } from './stores/imports';
import { subscribeLive, useLive } from './stores/live';
import { openForRedaction } from './stores/redact';
import { startStatus, useStatus } from './stores/status';
import { useUi, VIEWS, type ViewName } from './stores/ui';
import { AlertsView } from './views/AlertsView';
import { CasesView } from './views/CasesView';
import { ImportView } from './views/ImportView';
import { LiveView } from './views/LiveView';
import { RedactView } from './views/RedactView';
import { ResponseView } from './views/ResponseView';
import { SourcesView } from './views/SourcesView';

// The rule editor carries Monaco: load it only when the Rules view opens.
const RulesView = lazy(() => import('./views/RulesView'));

function CurrentView({ view }: { view: ViewName }) {
  switch (view) {
    case 'live':
      return <LiveView />;
    case 'alerts':
      return <AlertsView />;
    case 'cases':
      return <CasesView />;
    case 'import':
      return <ImportView />;
    case 'rules':
      return (
        <Suspense fallback={<div className="muted pad">Loading the rule editor…</div>}>
          <RulesView />
        </Suspense>
      );
    case 'sources':
      return <SourcesView />;
    case 'response':
      return <ResponseView />;
    case 'redact':
      return <RedactView />;
  }
}

function Nav() {
  const { view, show } = useUi();
  return (
    <nav className="nav">
      <div className="brand" title="Haechi">
        <span className="brand-mark">獬</span>
        <span className="brand-name">Haechi</span>
      </div>
      {VIEWS.map((v, i) => (
        <button
          key={v.name}
          className={v.name === view ? 'nav-item active' : 'nav-item'}
          onClick={() => show(v.name)}
          data-testid={`nav-${v.name}`}
          title={`${v.label}  (g ${v.key} or ${i + 1})`}
        >
          <span className="nav-label">{v.label}</span>
          <span className="nav-key">{i + 1}</span>
        </button>
      ))}
    </nav>
  );
}

function FileMenu({ onPick }: { onPick(kind: 'events' | 'intel' | 'redact'): void }) {
  const [open, setOpen] = useState(false);
  const pick = (k: 'events' | 'intel' | 'redact') => {
    setOpen(false);
    onPick(k);
  };
  return (
    <div className="menu" onMouseLeave={() => setOpen(false)}>
      <button className="btn" onClick={() => setOpen(!open)} data-testid="menu-file">
        File ▾
      </button>
      {open && (
        <div className="menu-list" role="menu">
          <button role="menuitem" onClick={() => pick('events')} data-testid="menu-import">
            Import events… <Kbd>Ctrl O</Kbd>
          </button>
          <button role="menuitem" onClick={() => pick('intel')}>
            Import threat intel…
          </button>
          <button role="menuitem" onClick={() => pick('redact')}>
            Open document for redaction…
          </button>
        </div>
      )}
    </div>
  );
}

function StatusBar({ onPick }: { onPick(kind: 'events' | 'intel' | 'redact'): void }) {
  const { status, error, connection } = useStatus();
  const eps = useLive((s) => s.eps);
  const { theme, toggleTheme, setHelp } = useUi();
  const conn = connection === 'electron' ? 'desktop' : connection;
  return (
    <header className="topbar">
      <FileMenu onPick={onPick} />
      <div className="stats">
        <span className={`conn conn-${connection}`} title="connection to the Node side">
          {status?.mode ?? conn}
        </span>
        {status && (
          <>
            <span>
              <b>{fmtRate(eps || status.eps)}</b> ev/s
            </span>
            <span>
              <b data-testid="stat-events">{fmtCount(status.events)}</b> events
            </span>
            <span>
              <b data-testid="stat-alerts">{fmtCount(status.alerts)}</b> alerts
            </span>
            <span>
              <b>{fmtCount(status.cases)}</b> cases
            </span>
            <span title={`${status.rulesRejected} rules rejected`}>
              <b>{fmtCount(status.rulesLoaded)}</b> rules
            </span>
            <span className={status.demo ? 'demo-on' : 'muted'}>
              demo {status.demo ? 'on' : 'off'}
            </span>
          </>
        )}
        {error && (
          <span className="error-inline" title={error}>
            status: {error}
          </span>
        )}
      </div>
      <div className="topbar-right">
        <button
          className="btn"
          onClick={toggleTheme}
          data-testid="theme-toggle"
          title="toggle theme (t)"
        >
          {theme === 'dark' ? 'Light' : 'Dark'} theme
        </button>
        <button className="btn" onClick={() => setHelp(true)} title="keyboard shortcuts (?)">
          ?
        </button>
      </div>
    </header>
  );
}

function Help() {
  const setHelp = useUi((s) => s.setHelp);
  const rows: [string, string][] = [
    [
      'g then l a c i r s p d',
      'switch view (Live, Alerts, Cases, Import, Rules, Sources, Response, Redact)',
    ],
    ['1 … 8', 'switch view by number'],
    ['j / k, ↓ / ↑', 'move in the table'],
    ['PageDown / PageUp, Home / End', 'jump in the table'],
    ['Enter', 'open (an alert’s case; a live alert in Alerts)'],
    ['/', 'search in the current view'],
    ['Ctrl O', 'import a log file'],
    ['t', 'toggle dark / light theme'],
    ['?', 'this help; Esc closes'],
  ];
  return (
    <div className="overlay" onClick={() => setHelp(false)}>
      <div className="dialog" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard</h2>
        <table className="plain">
          <tbody>
            {rows.map(([k, v]) => (
              <tr key={k}>
                <td>
                  <Kbd>{k}</Kbd>
                </td>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Notices() {
  const { notices, dismiss } = useUi();
  return (
    <div className="notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} onClick={() => dismiss(n.id)}>
          {n.text}
        </div>
      ))}
    </div>
  );
}

/** g+letter and number keys switch views; t toggles the theme; ? shows help. */
function useGlobalKeys(): void {
  const { show, toggleTheme, setHelp } = useUi();
  const pendingG = useRef(0);
  useKeys((e) => {
    if (e.key === 'Escape') return setHelp(false);
    if (pendingG.current && Date.now() - pendingG.current < 1500) {
      pendingG.current = 0;
      const v = VIEWS.find((x) => x.key === e.key);
      if (v) {
        e.preventDefault();
        show(v.name);
      }
      return;
    }
    if (e.key === 'g') {
      pendingG.current = Date.now();
      return;
    }
    const n = Number(e.key);
    if (n >= 1 && n <= VIEWS.length) return show(VIEWS[n - 1].name);
    if (e.key === 't') return toggleTheme();
    if (e.key === '?') return setHelp(true);
  });
}

/** Files dropped anywhere: documents go to Redact when it is open, logs to importEvents. */
function useDrop(onFiles: (files: File[]) => void): boolean {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  useEffect(() => {
    const hasFiles = (e: DragEvent) =>
      !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth.current++;
      setOver(true);
    };
    const leave = () => {
      depth.current = Math.max(0, depth.current - 1);
      if (!depth.current) setOver(false);
    };
    const overFn = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      depth.current = 0;
      setOver(false);
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length) onFiles(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overFn);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('drop', drop);
    };
  }, [onFiles]);
  return over;
}

async function importIntelFile(file: File): Promise<void> {
  const { notify, show, intelChanged } = useUi.getState();
  try {
    const r = await api.importIntel({ name: file.name, content: await file.text() });
    notify(
      'info',
      `${file.name}: ${r.added} indicators added, ${r.updated} updated, ${r.rejected} rejected`,
    );
    intelChanged();
    show('sources');
  } catch (e) {
    notify('error', `${file.name}: ${errorText(e)}`);
  }
}

export function App() {
  const { view, theme, help, show } = useUi();
  const inputs = {
    events: useRef<HTMLInputElement>(null),
    intel: useRef<HTMLInputElement>(null),
    redact: useRef<HTMLInputElement>(null),
  };

  useEffect(() => {
    subscribeLive();
    startStatus();
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useGlobalKeys();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        inputs.events.current?.click();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const [onFiles] = useState(() => (files: File[]) => {
    if (useUi.getState().view === 'redact') return void openForRedaction(files[0]);
    useUi.getState().show('import');
    for (const f of files) void importFile(f);
  });
  const dragging = useDrop(onFiles);

  const takeFiles = (kind: 'events' | 'intel' | 'redact', list: FileList | null) => {
    const files = Array.from(list ?? []);
    if (kind === 'events') {
      show('import');
      for (const f of files) void importFile(f);
    } else if (kind === 'intel') {
      for (const f of files) void importIntelFile(f);
    } else if (files[0]) {
      show('redact');
      void openForRedaction(files[0]);
    }
  };

  return (
    <div className="app">
      <Nav />
      <div className="main">
        <StatusBar onPick={(k) => inputs[k].current?.click()} />
        <CurrentView view={view} />
      </div>
      {(['events', 'intel', 'redact'] as const).map((k) => (
        <input
          key={k}
          ref={inputs[k]}
          type="file"
          multiple={k !== 'redact'}
          hidden
          data-testid={`file-input-${k}`}
          onChange={(e) => {
            takeFiles(k, e.target.files);
            e.target.value = '';
          }}
        />
      ))}
      {dragging && (
        <div className="drop-overlay">
          <div>Drop to {view === 'redact' ? 'scan for personal data' : 'import events'}</div>
        </div>
      )}
      {help && <Help />}
      <Notices />
    </div>
  );
}
