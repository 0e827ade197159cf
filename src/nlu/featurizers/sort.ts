/**
 * Sorts `a[0..n)` ascending in place. Much faster than `TypedArray.prototype.sort` on the
 * short arrays (tens to hundreds of items) a featurizer produces for one text.
 */
export function sortInts(a: Int32Array, n = a.length): Int32Array {
  quick(a, 0, n - 1);
  return a;
}

function quick(a: Int32Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    const mid = (lo + hi) >>> 1;
    // Median of three as pivot.
    let p = a[mid];
    const x = a[lo], z = a[hi];
    if ((x <= p && p <= z) || (z <= p && p <= x)) { /* p */ } else if ((p <= x && x <= z) || (z <= x && x <= p)) p = x; else p = z;
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < p) i++;
      while (a[j] > p) j--;
      if (i <= j) { const t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    // Recurse into the smaller side, loop on the larger one.
    if (j - lo < hi - i) { quick(a, lo, j); lo = i; } else { quick(a, i, hi); hi = j; }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > v) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
  }
}

/** From this many values on, `sortBounded` distributes by digits (below, their fixed cost is too much). */
const RADIX_MIN = 64;
const DIGIT_BITS = 9;
const counts = new Int32Array((1 << DIGIT_BITS) + 1);
/** More values than this in one top-digit bucket (skewed input): the full radix sort instead. */
const MAX_BUCKET = 16;

/**
 * Sorts `a[0..n)` ascending like `sortInts`, for values in [0, bound). From 64 values on: one
 * counting pass by the top nine bits, then an insertion sort that only reorders within the
 * (short) buckets; hashed buckets spread evenly, so this is about three times as fast as the
 * quicksort on the hundreds of buckets of a long text. Skewed input (a full bucket) gets an
 * LSD radix sort, nine bits a pass. `scratch` needs room for `n` values.
 */
export function sortBounded(a: Int32Array, n: number, bound: number, scratch: Int32Array): Int32Array {
  if (n < RADIX_MIN) return sortInts(a, n);
  const bits = 32 - Math.clz32(Math.max(bound - 1, 1));
  if (topDigitSort(a, n, Math.max(bits - DIGIT_BITS, 0), scratch)) return a;
  let src = a;
  let dst = scratch;
  for (let shift = 0; shift < bits; shift += DIGIT_BITS) {
    radixPass(src, dst, n, shift);
    const t = src; src = dst; dst = t;
  }
  if (src !== a) a.set(src.subarray(0, n));
  return a;
}

/** Sorts by the digit at `shift` (the top one) into `scratch`, then by insertion back into `a`; false, untouched, when a bucket is too full. */
function topDigitSort(a: Int32Array, n: number, shift: number, scratch: Int32Array): boolean {
  if (!countDigits(a, n, shift)) return false;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    scratch[counts[v >>> shift]++] = v;
  }
  for (let i = 0; i < n; i++) {
    const v = scratch[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
  }
  return true;
}

/** Bucket starts of the top digits of `a[0..n)` in `counts`; false when a bucket holds more than MAX_BUCKET values. */
function countDigits(a: Int32Array, n: number, shift: number): boolean {
  const size = 1 << DIGIT_BITS;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[(a[i] >>> shift) + 1]++;
  for (let d = 1; d <= size; d++) {
    if (counts[d] > MAX_BUCKET) return false;
    counts[d] += counts[d - 1];
  }
  return true;
}

/** One stable counting pass of `src[0..n)` into `dst` by the digit at `shift`. */
function radixPass(src: Int32Array, dst: Int32Array, n: number, shift: number): void {
  const mask = (1 << DIGIT_BITS) - 1;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[((src[i] >>> shift) & mask) + 1]++;
  for (let d = 1; d <= mask + 1; d++) counts[d] += counts[d - 1];
  for (let i = 0; i < n; i++) {
    const v = src[i];
    dst[counts[(v >>> shift) & mask]++] = v;
  }
}
