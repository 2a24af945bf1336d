/**
 * Text that leaves the process (log lines, ops.runs.message and the published data status marts, alerts, /tila)
 * must carry neither secrets nor input data. Two pure filters:
 * - redactSecrets: the registered secret values (ALERT_URL ...), credentials in URLs (`https://user:pass@host`) and
 *   token-like query parameters become `[redacted]`;
 * - duckdbReason: a DuckDB error message without the input it quotes (DuckDB repeats the offending CSV line as
 *   "Original Line: …", the SQL as "LINE 1: …", and values in quotes: "Could not convert string 'HETU…'").
 * Raw input values are kept only in ops.rejected_rows.raw_value, which is never published.
 */

const secrets = new Set<string>();

/** Remembers a secret value (e.g. the alert webhook URL) so that redactSecrets hides it wherever it appears. */
export function registerSecret(value: string | null | undefined): void {
  if (value && value.length >= 8) secrets.add(value);
}

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;
const SECRET_QUERY = /([?&;](?:token|access_token|api[_-]?key|key|sig|signature|secret|password|passwd|pwd|auth|code)=)[^&\s"']*/gi;

export function redactSecrets(text: string): string {
  let out = text;
  registerSecret(process.env.ALERT_URL);
  for (const s of secrets) out = out.split(s).join('[redacted]');
  return out.replace(URL_CREDENTIALS, '$1[redacted]@').replace(SECRET_QUERY, '$1[redacted]');
}

/**
 * The reason of a DuckDB error without quoted input: the first lines up to DuckDB's hints, with "Original Line",
 * the echoed SQL and the reader's option dump left out and quoted values replaced by '…'.
 */
export function duckdbReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (/^(Possible fixes|LINE \d+:|file = )/.test(t)) break;
    if (t === '' || /^Original Line/.test(t)) continue;
    kept.push(t.replace(/'[^'\n]*'|"[^"\n]*"/g, '…'));
  }
  return redactSecrets(kept.join('; ') || 'unknown DuckDB error');
}
