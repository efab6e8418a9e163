// One logger per component. Lines go to stderr as `time level [component] message`.
// Never pass secrets, personal data or raw evidence to a logger.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const wanted = (process.env.HAECHI_LOG ?? (process.env.VITEST ? 'warn' : 'info')) as LogLevel;
  return order[wanted] ?? order.info;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function logger(component: string): Logger {
  const write = (level: LogLevel, message: string) => {
    if (order[level] < threshold()) return;
    process.stderr.write(`${new Date().toISOString()} ${level} [${component}] ${message}\n`);
  };
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}
