/**
 * Progress for long imports: on a terminal one line rewritten in place (rows, rate, ETA); otherwise nothing extra
 * (the structured log lines are the plain output for cron and systemd).
 */
import { createLogger, type Logger } from '../log.js';

export interface Progress {
  log: Logger;
  /** A reporter for a job, or undefined when not on a terminal. */
  forJob: (job: string) => ((rowsDone: number, rowsTotal?: number) => void) | undefined;
}

const fmt = new Intl.NumberFormat('fi-FI');

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { log: createLogger((line) => stream.write(`${line}\n`)), forJob: () => undefined };
  let shown = false;
  const clear = () => {
    if (shown) stream.write('\r\x1b[K');
    shown = false;
  };
  return {
    log: createLogger((line) => {
      clear();
      stream.write(`${line}\n`);
    }),
    forJob(job) {
      const started = Date.now();
      let last = 0;
      return (done, total) => {
        const now = Date.now();
        if (now - last < 200 && done !== total) return;
        last = now;
        const rate = done / Math.max(0.001, (now - started) / 1000);
        const eta = total && rate > 0 ? ` ETA ${clock((total - done) / rate)}` : '';
        const of = total ? ` / ${fmt.format(total)}` : '';
        stream.write(`\r\x1b[K${job}: ${fmt.format(done)}${of} riviä, ${fmt.format(Math.round(rate))} riviä/s${eta}`);
        shown = true;
      };
    },
  };
}
