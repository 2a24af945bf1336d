/**
 * Progress for long imports: on a terminal one line rewritten in place (rows, rate, ETA); otherwise nothing extra
 * (the structured log lines are the plain output for cron and systemd).
 */
import { createLogger, type Logger } from '../log.js';
import type { JobProgress } from '../runner.js';

export interface Progress {
  log: Logger;
  /** A reporter for a job attempt, or undefined when not on a terminal. */
  forJob: (job: string) => JobProgress | undefined;
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
      let rows = false;
      // Jobs that report rows get rows, rate and ETA; the others an elapsed-time line, once a second.
      const ticker = setInterval(() => {
        if (rows) return;
        stream.write(`\r\x1b[K${job}: käynnissä / running ${clock((Date.now() - started) / 1000)}`);
        shown = true;
      }, 1000);
      ticker.unref();
      return {
        update(done, total) {
          rows = true;
          const now = Date.now();
          if (now - last < 200 && done !== total) return;
          last = now;
          const rate = done / Math.max(0.001, (now - started) / 1000);
          const eta = total && rate > 0 ? ` ETA ${clock((total - done) / rate)}` : '';
          const of = total ? ` / ${fmt.format(total)}` : '';
          stream.write(`\r\x1b[K${job}: ${fmt.format(done)}${of} riviä, ${fmt.format(Math.round(rate))} riviä/s${eta}`);
          shown = true;
        },
        done() {
          clearInterval(ticker);
          clear();
        },
      };
    },
  };
}
