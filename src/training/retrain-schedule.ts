/**
 * When the server retrains: an interval ("6h", "90m", "1h30m") or a 5-field cron expression
 * (minute hour day-of-month month day-of-week, UTC) with `*`, numbers, ranges `a-b`, steps
 * `*\/n` and `a-b/n`, and lists `a,b`. Names (MON, JAN) and `L`/`W`/`#` are not supported.
 */

export type Schedule =
  | { kind: 'interval'; ms: number; source: string }
  | { kind: 'cron'; minutes: Set<number>; hours: Set<number>; days: Set<number>; months: Set<number>; weekdays: Set<number>; anyDay: boolean; anyWeekday: boolean; source: string };

export class ScheduleError extends Error {
  constructor(source: string, reason: string) {
    super(`schedule "${source}": ${reason}; write an interval like "6h" or "30m", or a cron expression like "0 3 * * *" (03:00 UTC daily)`);
    this.name = 'ScheduleError';
  }
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const FIELDS: Array<{ name: string; min: number; max: number }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
];

/**
 * Parses a schedule; throws ScheduleError naming what is wrong.
 *
 * @example parseSchedule('6h')          // { kind: 'interval', ms: 21600000 }
 * @example parseSchedule('*\/15 2-4 * * 1-5') // every 15 minutes from 02:00 to 04:45 UTC, Monday to Friday
 */
export function parseSchedule(source: string): Schedule {
  const text = source.trim();
  if (/^(\d+[smhd])+$/i.test(text)) {
    let ms = 0;
    for (const [, n, unit] of text.toLowerCase().matchAll(/(\d+)([smhd])/g)) ms += Number(n) * UNIT_MS[unit];
    if (ms < 60_000) throw new ScheduleError(source, 'an interval must be at least one minute');
    return { kind: 'interval', ms, source: text };
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw new ScheduleError(source, `expected 5 cron fields, got ${parts.length}`);
  const sets = parts.map((p, i) => parseField(source, p, FIELDS[i]));
  // Sunday is 0 or 7.
  if (sets[4].has(7)) { sets[4].delete(7); sets[4].add(0); }
  return { kind: 'cron', minutes: sets[0], hours: sets[1], days: sets[2], months: sets[3], weekdays: sets[4], anyDay: parts[2] === '*', anyWeekday: parts[4] === '*', source: text };
}

function parseField(source: string, field: string, { name, min, max }: (typeof FIELDS)[number]): Set<number> {
  const out = new Set<number>();
  for (const item of field.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!m) throw new ScheduleError(source, `${name} "${item}" is not a number, range, list or step`);
    const from = m[1] === '*' ? min : Number(m[2]);
    const to = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < min || to > max || from > to) throw new ScheduleError(source, `${name} "${item}" is outside ${min}-${max}`);
    if (step < 1) throw new ScheduleError(source, `${name} step must be at least 1`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/**
 * The next time strictly after `from` that the schedule fires. Pure.
 *
 * @example nextRun(parseSchedule('0 3 * * *'), new Date('2026-11-28T12:00:00Z')) // 2026-11-29T03:00:00.000Z
 */
export function nextRun(schedule: Schedule, from: Date): Date {
  if (schedule.kind === 'interval') return new Date(from.getTime() + schedule.ms);
  const t = new Date(from.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  // Day-of-month and day-of-week: when both are restricted, either may match (as in cron).
  const dayMatches = (d: Date) => {
    const dom = schedule.days.has(d.getUTCDate());
    const dow = schedule.weekdays.has(d.getUTCDay());
    if (schedule.anyDay && schedule.anyWeekday) return true;
    if (schedule.anyDay) return dow;
    if (schedule.anyWeekday) return dom;
    return dom || dow;
  };
  const limit = from.getTime() + 5 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!schedule.months.has(t.getUTCMonth() + 1)) { t.setUTCMonth(t.getUTCMonth() + 1, 1); t.setUTCHours(0, 0, 0, 0); continue; }
    if (!dayMatches(t)) { t.setUTCDate(t.getUTCDate() + 1); t.setUTCHours(0, 0, 0, 0); continue; }
    if (!schedule.hours.has(t.getUTCHours())) { t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0); continue; }
    if (!schedule.minutes.has(t.getUTCMinutes())) { t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0); continue; }
    return t;
  }
  throw new ScheduleError(schedule.source, 'never fires (e.g. 31 February)');
}

export interface ScheduledJob {
  stop(): void;
  /** When the job runs next (undefined once stopped). */
  next(): Date | undefined;
}

/**
 * Runs `job` on a schedule. A run that is still going when the next one is due is not
 * overlapped: the next time is computed after each run ends. Errors go to `onError`.
 *
 * @example
 * const job = startSchedule(parseSchedule('6h'), () => retrain({ store }), { onError: log.error });
 * // on shutdown: job.stop()
 */
export function startSchedule(schedule: Schedule, job: () => Promise<unknown>, { onError = () => {}, now = () => new Date() }: { onError?: (e: unknown) => void; now?: () => Date } = {}): ScheduledJob {
  let timer: NodeJS.Timeout | undefined;
  let due: Date | undefined;
  let stopped = false;
  const arm = (at: Date) => {
    if (stopped) return;
    due = at;
    // setTimeout overflows above ~24.8 days: wake up earlier and wait again for the same time.
    const wait = Math.min(Math.max(0, at.getTime() - now().getTime()), 2 ** 31 - 1);
    timer = setTimeout(() => {
      if (now().getTime() < at.getTime()) return arm(at);
      job().catch(onError).finally(() => arm(nextRun(schedule, now())));
    }, wait);
    timer.unref();
  };
  arm(nextRun(schedule, now()));
  return {
    stop() { stopped = true; due = undefined; if (timer) clearTimeout(timer); },
    next: () => due,
  };
}
