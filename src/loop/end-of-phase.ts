/**
 * Runs `fn` once, as soon as the event loop has finished the phase it is in: whichever of
 * `setImmediate` (the check phase, right after this poll phase) and a 0 ms timer (the timers
 * phase, right after this check phase) comes first. `setImmediate` alone, asked for during the
 * check phase (say, by the continuations of a commit that ran there), waits for the whole next
 * poll phase: under load, hundreds of socket reads.
 *
 * @example
 * endOfPhase(flush); // the writes of this phase commit before the next one starts
 */
export function endOfPhase(fn: () => void): void {
  let ran = false;
  const once = () => {
    if (ran) return;
    ran = true;
    clearImmediate(immediate);
    clearTimeout(timer);
    fn();
  };
  const immediate = setImmediate(once);
  const timer = setTimeout(once, 0);
}
