// The top bar's figures: mode, counts, events per second, demo feed; refreshed every two seconds.
import { create } from 'zustand';
import type { StatusInfo } from '../../../shared/api';
import { api, connectionState, errorText, onConnectionState, type ConnectionState } from '../api';

const POLL_MS = 2000;

interface StatusState {
  status: StatusInfo | null;
  error: string | null;
  connection: ConnectionState;
  refresh(): Promise<void>;
}

export const useStatus = create<StatusState>()((set) => ({
  status: null,
  error: null,
  connection: connectionState(),
  refresh: async () => {
    try {
      set({ status: await api.status({}), error: null });
    } catch (e) {
      set({ error: errorText(e) });
    }
  },
}));

let timer: ReturnType<typeof setInterval> | null = null;

export function startStatus(): void {
  if (timer) return;
  const { refresh } = useStatus.getState();
  void refresh();
  timer = setInterval(() => void refresh(), POLL_MS);
  onConnectionState((connection) => {
    useStatus.setState({ connection });
    if (connection === 'open') void refresh();
  });
}
