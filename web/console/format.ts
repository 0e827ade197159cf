/** Pure formatting helpers for the console (tested in test/console/format.test.ts). */

/** 0.8234 -> "0.82" */
export const fixed2 = (x: number): string => x.toFixed(2);

/** Waiting time for the queue: "45 s", "3 min", "1 h 05". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')}`;
}

/** "14:05" in the agent's local time. */
export function clock(ts: number): string {
  const d = new Date(ts);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** The words that drove a prediction, strongest first: "late" +1.20, "never" +0.80. */
export function explanationText(items: ReadonlyArray<{ feature: string; weight: number }>, max = 4): string {
  const positive = items.filter((i) => i.weight > 0);
  // Words and word pairs read better than character n-grams; show those when there are any.
  const words = positive.filter((i) => /^w\d*:/.test(i.feature));
  return (words.length ? words : positive)
    .slice(0, max)
    .map((i) => `“${i.feature.replace(/^(w|c|b)\d*:/, '')}” +${i.weight.toFixed(2)}`)
    .join(', ');
}

/**
 * Canned replies matching what follows a leading "/" in the composer, or undefined when the
 * text is not a "/" command.
 *
 * @example cannedMatches('/sor', [{ title: 'Sorry', text: '...' }]) // [{ title: 'Sorry', ... }]
 */
export function cannedMatches<T extends { title: string; text: string }>(input: string, canned: readonly T[]): T[] | undefined {
  if (!input.startsWith('/') || input.includes('\n')) return undefined;
  const q = input.slice(1).trim().toLowerCase();
  return canned.filter((c) => c.title.toLowerCase().includes(q) || c.text.toLowerCase().includes(q));
}
