import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { nextRun, parseSchedule, ScheduleError, startSchedule } from '../../src/training/retrain-schedule.js';

const next = (spec: string, from: string) => nextRun(parseSchedule(spec), new Date(from)).toISOString();

describe('parseSchedule / nextRun', () => {
  it('parses intervals, including compound ones', () => {
    expect(parseSchedule('6h')).toMatchObject({ kind: 'interval', ms: 6 * 3_600_000 });
    expect(parseSchedule('1h30m')).toMatchObject({ kind: 'interval', ms: 90 * 60_000 });
    expect(parseSchedule('2d')).toMatchObject({ kind: 'interval', ms: 2 * 86_400_000 });
    expect(next('90m', '2026-11-28T12:00:00Z')).toBe('2026-11-28T13:30:00.000Z');
  });

  it('fires a daily cron at the next matching minute, strictly after now', () => {
    expect(next('0 3 * * *', '2026-11-28T12:00:00Z')).toBe('2026-11-29T03:00:00.000Z');
    expect(next('0 3 * * *', '2026-11-28T02:59:30Z')).toBe('2026-11-28T03:00:00.000Z');
    expect(next('0 3 * * *', '2026-11-28T03:00:00Z')).toBe('2026-11-29T03:00:00.000Z');
  });

  it('supports steps, ranges and lists', () => {
    expect(next('*/15 * * * *', '2026-11-28T12:07:00Z')).toBe('2026-11-28T12:15:00.000Z');
    expect(next('*/15 * * * *', '2026-11-28T12:59:00Z')).toBe('2026-11-28T13:00:00.000Z');
    expect(next('5,35 2-4 * * *', '2026-11-28T04:36:00Z')).toBe('2026-11-29T02:05:00.000Z');
    expect(next('10-20/5 1 * * *', '2026-11-28T01:16:00Z')).toBe('2026-11-28T01:20:00.000Z');
  });

  it('handles days of the week (Sunday as 0 or 7), months and the day-of-month OR day-of-week rule', () => {
    // 2026-11-28 is a Saturday.
    expect(next('0 9 * * 1-5', '2026-11-28T12:00:00Z')).toBe('2026-11-30T09:00:00.000Z');
    expect(next('0 9 * * 7', '2026-11-28T12:00:00Z')).toBe('2026-11-29T09:00:00.000Z');
    expect(next('0 0 1 1 *', '2026-11-28T12:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    // Both restricted: the 1st of the month or any Monday, whichever comes first.
    expect(next('0 0 1 * 1', '2026-11-28T12:00:00Z')).toBe('2026-11-30T00:00:00.000Z');
    expect(next('0 0 29 2 *', '2026-11-28T12:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('explains bad schedules', () => {
    expect(() => parseSchedule('every day')).toThrow(ScheduleError);
    expect(() => parseSchedule('0 25 * * *')).toThrow(/hour "25" is outside 0-23/);
    expect(() => parseSchedule('* * *')).toThrow(/expected 5 cron fields/);
    expect(() => parseSchedule('*/0 * * * *')).toThrow(/step must be at least 1/);
    expect(() => parseSchedule('30s')).toThrow(/at least one minute/);
    expect(() => nextRun(parseSchedule('0 0 31 2 *'), new Date('2026-01-01T00:00:00Z'))).toThrow(/never fires/);
  });
});

describe('startSchedule', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('runs the job when due, never overlapping, until stopped', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-28T12:00:00Z') });
    const runs: string[] = [];
    let release: () => void = () => {};
    const job = startSchedule(parseSchedule('1m'), async () => {
      runs.push(new Date().toISOString());
      await new Promise<void>((r) => { release = r; });
    });
    expect(job.next()!.toISOString()).toBe('2026-11-28T12:01:00.000Z');
    await vi.advanceTimersByTimeAsync(59_000);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toEqual(['2026-11-28T12:01:00.000Z']);
    // The job is still running ten minutes later: no second run starts meanwhile.
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(job.next()!.toISOString()).toBe('2026-11-28T12:12:00.000Z');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toEqual(['2026-11-28T12:01:00.000Z', '2026-11-28T12:12:00.000Z']);
    release();
    job.stop();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs).toHaveLength(2);
    expect(job.next()).toBeUndefined();
  });
});

describe('server configuration of the schedule', () => {
  it('is off by default, validated when set', () => {
    expect(loadConfig({}).retrain).toMatchObject({ minNewLabels: 20, margin: 0.005 });
    expect(loadConfig({}).retrain.schedule).toBeUndefined();
    expect(loadConfig({ RETRAIN_SCHEDULE: '0 3 * * *', RETRAIN_MIN_NEW_LABELS: '50', RETRAIN_MARGIN: '0.01' }).retrain).toMatchObject({ schedule: '0 3 * * *', minNewLabels: 50, margin: 0.01 });
    expect(() => loadConfig({ RETRAIN_SCHEDULE: 'nightly' })).toThrow(/RETRAIN_SCHEDULE: schedule "nightly"/);
  });
});
