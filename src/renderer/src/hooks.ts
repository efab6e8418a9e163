// Small hooks shared by the views: load through the API with clear errors, refresh when the
// live stream says something changed, and keyboard handling that stays out of text inputs.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DependencyList } from 'react';
import type { Topic, TopicPayloads } from '../../shared/api';
import { api, errorText } from './api';

export interface CallState<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/** Runs `fn` when deps change; a slower older answer never overwrites a newer one. */
export function useCall<T>(fn: () => Promise<T>, deps: DependencyList): CallState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [nonce, setNonce] = useState(0);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    fn().then(
      (v) => {
        if (mine !== seq.current) return;
        setData(v);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== seq.current) return;
        setError(errorText(e));
        setLoading(false);
      },
    );
  }, [...deps, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** Calls `reload` (at most every `minMs`) after a push on `topic` that `wanted` accepts. */
export function useRefreshOn<T extends Topic>(
  topic: T,
  reload: () => void,
  minMs = 2000,
  wanted: (payload: TopicPayloads[T]) => boolean = () => true,
): void {
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const accept = useRef(wanted);
  accept.current = wanted;

  useEffect(() => {
    const off = api.on(topic, (payload) => {
      if (timer.current || !accept.current(payload)) return;
      const wait = Math.max(0, last.current + minMs - Date.now());
      timer.current = setTimeout(() => {
        timer.current = null;
        last.current = Date.now();
        reload();
      }, wait);
    });
    return () => {
      off();
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [topic, reload, minMs]);
}

/** Refreshes after live ticks that carry new alerts. */
export function useRefreshOnLive(reload: () => void, minMs = 2000): void {
  useRefreshOn('live', reload, minMs, (tick) => tick.alerts.length > 0);
}

export interface ActionState {
  /** The last failure's text; cleared by the next success. */
  error: string | null;
  busy: boolean;
  run(fn: () => Promise<unknown>): Promise<void>;
}

/** Runs a button's API call: a success clears the error and calls `done`, a failure is kept. */
export function useAction(done: () => void): ActionState {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      setError(null);
      done();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

/** True when a key press is meant for a text field (or the rule editor), not for shortcuts. */
export function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  if (t.isContentEditable) return true;
  if (t.closest('.monaco-editor')) return true;
  const tag = t.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (t as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'file'].includes(type);
  }
  return false;
}

/** A window keydown listener that ignores keys typed into fields and modified keys. */
export function useKeys(handler: (e: KeyboardEvent) => void, enabled = true): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e)) return;
      ref.current(e);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

/** Reads a File as text or base64 (for documents that cross the boundary as bytes). */
export function readFileText(file: File): Promise<string> {
  return file.text();
}

export async function readFileBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
