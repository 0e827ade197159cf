/** Percentile (0..100) of numbers by linear interpolation; NaN for an empty list. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** The item whose `key` is the median: one of the items, not an interpolation (the lower middle of an even count). */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor((items.length - 1) / 2)];
}

/** Times `fn` once per item, returning per-call microseconds and the calls per second overall. */
export function timeEach<T>(items: readonly T[], fn: (item: T) => unknown): { micros: Float64Array; perSecond: number } {
  const micros = new Float64Array(items.length);
  const start = process.hrtime.bigint();
  for (let i = 0; i < items.length; i++) {
    const t = process.hrtime.bigint();
    fn(items[i]);
    micros[i] = Number(process.hrtime.bigint() - t) / 1000;
  }
  const totalSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { micros, perSecond: items.length / totalSeconds };
}

/**
 * Wall-clock seconds taken by an async function, with its result, plus the CPU seconds this
 * process spent meanwhile (user + system): steadier than wall time on a shared machine.
 */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { value, seconds: (performance.now() - t) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}
