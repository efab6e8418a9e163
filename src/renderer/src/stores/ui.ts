// Which view is showing, what is selected in it, the theme, and short notices. One store, small.
import { create } from 'zustand';

export type ViewName =
  'live' | 'alerts' | 'cases' | 'import' | 'rules' | 'sources' | 'response' | 'redact';

export interface ViewDef {
  name: ViewName;
  label: string;
  /** Second key after `g`. */
  key: string;
}

export const VIEWS: ViewDef[] = [
  { name: 'live', label: 'Live', key: 'l' },
  { name: 'alerts', label: 'Alerts', key: 'a' },
  { name: 'cases', label: 'Cases', key: 'c' },
  { name: 'import', label: 'Import', key: 'i' },
  { name: 'rules', label: 'Rules', key: 'r' },
  { name: 'sources', label: 'Sources & Intel', key: 's' },
  { name: 'response', label: 'Response', key: 'p' },
  { name: 'redact', label: 'Redact', key: 'd' },
];

export type Theme = 'dark' | 'light';

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

interface UiState {
  view: ViewName;
  alertId: string | null;
  caseId: string | null;
  theme: Theme;
  help: boolean;
  notices: Notice[];
  /** Bumped after an intel import from anywhere, so the indicator list reloads. */
  intelStamp: number;
  intelChanged(): void;
  show(view: ViewName): void;
  openAlert(id: string): void;
  openCase(id: string): void;
  selectAlert(id: string | null): void;
  selectCase(id: string | null): void;
  toggleTheme(): void;
  setHelp(on: boolean): void;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
}

function initialTheme(): Theme {
  const saved = localStorage.getItem('haechi.theme');
  return saved === 'light' ? 'light' : 'dark';
}

let noticeId = 1;

export const useUi = create<UiState>()((set) => ({
  view: 'live',
  alertId: null,
  caseId: null,
  theme: initialTheme(),
  help: false,
  notices: [],
  intelStamp: 0,
  intelChanged: () => set((s) => ({ intelStamp: s.intelStamp + 1 })),
  show: (view) => set({ view }),
  openAlert: (id) => set({ view: 'alerts', alertId: id }),
  openCase: (id) => set({ view: 'cases', caseId: id }),
  selectAlert: (id) => set({ alertId: id }),
  selectCase: (id) => set({ caseId: id }),
  toggleTheme: () =>
    set((s) => {
      const theme: Theme = s.theme === 'dark' ? 'light' : 'dark';
      localStorage.setItem('haechi.theme', theme);
      return { theme };
    }),
  setHelp: (help) => set({ help }),
  notify: (kind, text) => {
    const id = noticeId++;
    set((s) => ({ notices: [...s.notices.slice(-4), { id, kind, text }] }));
    setTimeout(() => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })), 6000);
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));
