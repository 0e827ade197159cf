/**
 * Delay before reconnect attempt `attempt` (0-based): exponential, capped, with "equal
 * jitter" (half fixed, half random) so that a thousand widgets dropped by one server
 * restart do not all come back in the same millisecond, yet none retries instantly.
 *
 * @example backoffDelay(0) // => 250..500
 * @example backoffDelay(10) // => 15000..30000
 */
export function backoffDelay(attempt: number, { baseMs = 500, maxMs = 30_000 } = {}, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
