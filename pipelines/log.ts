import { redactSecrets } from './safe-text.js';

/** Structured log lines on stderr: `2026-11-23T18:00:00.000Z info job finished job=marts rows=12`. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

function formatValue(value: string | number | boolean | null): string {
  const text = String(value);
  return /[\s"=]/.test(text) || text === '' ? JSON.stringify(text) : text;
}

/** One log line; secrets (safe-text.ts) are redacted from every line. */
export function formatLine(level: string, message: string, fields: LogFields = {}, now = new Date()): string {
  const parts = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${formatValue(v as string | number | boolean | null)}`);
  return redactSecrets([now.toISOString(), level, message, ...parts].join(' '));
}

export function createLogger(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  return {
    info: (m, f) => write(formatLine('info', m, f)),
    warn: (m, f) => write(formatLine('warn', m, f)),
    error: (m, f) => write(formatLine('error', m, f)),
  };
}
