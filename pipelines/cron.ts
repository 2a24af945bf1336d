/**
 * Cron matching in a time zone, computed from the instant's local wall-clock fields (Intl), so daylight saving
 * changes cannot shift a run. Why not node-cron's own next-run computation: in node-cron 4.2.1 it carries the
 * UTC offset of the starting instant across a DST change (LocalizedTime.set), so e.g. "30 2 * * *" in
 * Europe/Helsinki skips the first night of summer time, and "0 4 5 * *" computed in March lands in the next
 * January. The scheduler therefore lets node-cron tick every minute (or second) in the zone and fires a job when
 * this matcher says its expression matches (test/unit/ops-schedule.test.ts checks both DST changes).
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Field {
  min: number;
  max: number;
  names?: string[];
  namesFrom?: number;
}

const FIELDS: Field[] = [
  { min: 0, max: 59 }, // second
  { min: 0, max: 59 }, // minute
  { min: 0, max: 23 }, // hour
  { min: 1, max: 31 }, // day of month
  { min: 1, max: 12, names: MONTHS, namesFrom: 1 }, // month
  { min: 0, max: 7, names: DAYS, namesFrom: 0 }, // day of week (0 and 7 = Sunday)
];

export interface CronSpec {
  expression: string;
  hasSeconds: boolean;
  sets: Set<number>[];
  /** Day of month and day of week both restricted: classic cron matches either. */
  dayOr: boolean;
}

function value(text: string, f: Field): number {
  const lower = text.toLowerCase();
  const named = f.names?.findIndex((n) => lower.startsWith(n) && lower.length <= 9) ?? -1;
  const n = named >= 0 && !/^\d+$/.test(text) ? named + (f.namesFrom ?? 0) : Number(text);
  if (!Number.isInteger(n) || n < f.min || n > f.max) throw new Error(`"${text}" is out of range ${f.min}-${f.max}`);
  return n;
}

function parseField(text: string, f: Field): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in "${part}"`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [f.min, f.max];
    else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      [lo, hi] = [value(a, f), value(b, f)];
    } else {
      lo = value(range, f);
      hi = stepText === undefined ? lo : f.max;
    }
    if (lo > hi) throw new Error(`empty range "${range}"`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expression: string): CronSpec {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) throw new Error(`expected 5 or 6 fields, got ${parts.length}`);
  const hasSeconds = parts.length === 6;
  const all = hasSeconds ? parts : ['0', ...parts];
  const sets = all.map((p, i) => parseField(p, FIELDS[i] as Field));
  const dow = sets[5] as Set<number>;
  if (dow.has(7)) dow.add(0);
  return { expression, hasSeconds, sets, dayOr: all[3] !== '*' && all[5] !== '*' };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** [second, minute, hour, day, month, weekday] of an instant on the wall clock of tz. */
export function localFields(date: Date, tz: string): number[] {
  const p: Record<string, string> = {};
  for (const part of formatter(tz).formatToParts(date)) p[part.type] = part.value;
  return [
    Number(p.second),
    Number(p.minute),
    Number(p.hour) % 24,
    Number(p.day),
    Number(p.month),
    DAYS.indexOf((p.weekday ?? '').toLowerCase().slice(0, 3)),
  ];
}

function dayMatches(spec: CronSpec, f: number[]): boolean {
  const dom = (spec.sets[3] as Set<number>).has(f[3] as number);
  const dow = (spec.sets[5] as Set<number>).has(f[5] as number);
  return spec.dayOr ? dom || dow : dom && dow;
}

/** Whether the expression fires at this instant (to the second; for 5-field expressions at second 0). */
export function cronMatches(spec: CronSpec, date: Date, tz: string): boolean {
  const f = localFields(date, tz);
  return [0, 1, 2, 4].every((i) => (spec.sets[i] as Set<number>).has(f[i] as number)) && dayMatches(spec, f);
}

/** The first instant strictly after `after` at which the expression fires, searching up to ~5 years ahead. */
export function nextCronMatch(spec: CronSpec, after: Date, tz: string): Date | null {
  const HOUR = 3_600_000;
  let t = Math.floor(after.getTime() / 1000) * 1000 + 1000;
  const limit = t + 5 * 366 * 24 * HOUR;
  while (t < limit) {
    // Coarse steps: to the next local hour while the hour (or its day or month) cannot match, then minutes, seconds.
    const f = localFields(new Date(t), tz);
    if (!(spec.sets[4] as Set<number>).has(f[4] as number) || !dayMatches(spec, f) || !(spec.sets[2] as Set<number>).has(f[2] as number)) {
      t += HOUR - (f[1] as number) * 60_000 - (f[0] as number) * 1000; // the next local hour
      continue;
    }
    if (!(spec.sets[1] as Set<number>).has(f[1] as number)) {
      t = (Math.floor(t / 60_000) + 1) * 60_000;
      continue;
    }
    if (!(spec.sets[0] as Set<number>).has(f[0] as number)) {
      t += 1000;
      continue;
    }
    return new Date(t);
  }
  return null;
}
