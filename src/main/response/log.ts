// Response's loggers, over the app's logger (src/main/log.ts): a message plus key=value details.
// Callers never pass secrets, personal data or raw evidence; keys that look like credentials are
// masked anyway.
import { logger as baseLogger } from '../log';
import type { Logger } from './types';

const SECRET_KEY = /pass|secret|token|key|auth|cookie/i;

function details(data?: Record<string, unknown>): string {
  if (!data) return '';
  const parts = Object.entries(data).map(
    ([k, v]) => `${k}=${SECRET_KEY.test(k) ? '[redacted]' : JSON.stringify(v)}`,
  );
  return parts.length ? ' ' + parts.join(' ') : '';
}

export function createLogger(component: string): Logger {
  const base = baseLogger(component);
  return {
    debug: (m, d) => base.debug(m + details(d)),
    info: (m, d) => base.info(m + details(d)),
    warn: (m, d) => base.warn(m + details(d)),
    error: (m, d) => base.error(m + details(d)),
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
