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
