/**
 * FNV-1a, 32 bit, over the UTF-8 bytes of a string. Stable across runs, platforms and
 * Node versions, so a hashed feature index saved in a model means the same term forever.
 *
 * @example fnv1a32('hello') // 1335831723 (0x4f9f2cab)
 */
export function fnv1a32(text: string, seed = FNV_OFFSET): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) h = fnvChar(h, text.charCodeAt(i));
  return h >>> 0;
}

export const FNV_OFFSET = 0x811c9dc5;

/** Mixes one UTF-16 code unit into an FNV-1a state as its UTF-8 bytes (surrogates as 3 bytes each). */
export function fnvChar(h: number, c: number): number {
  if (c < 0x80) return Math.imul(h ^ c, 0x01000193);
  if (c < 0x800) {
    h = Math.imul(h ^ (0xc0 | (c >> 6)), 0x01000193);
    return Math.imul(h ^ (0x80 | (c & 0x3f)), 0x01000193);
  }
  h = Math.imul(h ^ (0xe0 | (c >> 12)), 0x01000193);
  h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), 0x01000193);
  return Math.imul(h ^ (0x80 | (c & 0x3f)), 0x01000193);
}

/** Hashes `s.slice(start, end)` continuing from state `h`, without allocating the substring. */
export function fnvRange(h: number, s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) h = fnvChar(h, s.charCodeAt(i));
  return h;
}
