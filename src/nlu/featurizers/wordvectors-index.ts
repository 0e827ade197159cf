/**
 * Word -> row lookup for a word vector table, built straight from the text of words.txt.
 *
 * Why not a Map: a Map of 100,000 words needs 100,000 string objects (split, then hashed one
 * by one): ~100 ms at every start and ~9 MB of heap. This keeps the file's one string, the
 * start offset of each line and an open-addressing table of rows: one pass over the text.
 */
export class WordIndex {
  /** Start of word i in `text`; word i ends one before starts[i + 1] (the newline). */
  private readonly starts: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  private text: string;
  /** Words with a character beyond Latin-1, by row (see the end of the constructor). */
  private readonly wide: Map<number, string> | undefined;
  readonly count: number;

  /** `text`: one word per line, line i = row i; a trailing newline is optional. The first of duplicate words wins. */
  constructor(text: string) {
    this.text = text;
    let count = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === NEWLINE) count++;
    if (text.length > 0 && text.charCodeAt(text.length - 1) !== NEWLINE) count++;
    this.count = count;
    this.starts = new Int32Array(count + 1);
    let size = 16;
    while (size < count * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size).fill(-1);
    let row = 0;
    let start = 0;
    let h = FNV_OFFSET;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : NEWLINE;
      if (c !== NEWLINE) { h = Math.imul(h ^ c, FNV_PRIME); continue; }
      if (i === text.length && start === i) break; // the trailing newline already ended the last word
      this.starts[row] = start;
      this.insert(h, row, start, i);
      row++;
      start = i + 1;
      h = FNV_OFFSET;
    }
    this.starts[count] = text.length + (text.charCodeAt(text.length - 1) === NEWLINE ? 0 : 1);
    // One character beyond Latin-1 ("’", "€": 6 of 100,000 words) makes V8 store the whole
    // text at two bytes a character, 1.6 MB instead of 0.8. Those words are kept aside and
    // their characters replaced, so that the text is stored at one byte a character.
    const wideChar = /[^\u0000-\u00ff]/g;
    const rows = new Set<number>();
    for (const match of text.matchAll(wideChar)) rows.add(this.rowAt(match.index!));
    if (rows.size > 0) {
      this.wide = new Map([...rows].map((r) => [r, this.word(r)]));
      this.text = Buffer.from(text.replace(wideChar, '\u0001'), 'latin1').toString('latin1');
    }
  }

  /**
   * The row of `word`, or undefined.
   *
   * @example new WordIndex('the\nrefund\n').get('refund') // 1
   */
  get(word: string): number | undefined {
    let h = FNV_OFFSET;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const row = this.slots[s];
      if (row < 0) return undefined;
      // No stored hashes (1 MB): at this table's load (under one half) a lookup visits about
      // 1.3 slots, and a wrong word almost always differs in length or its first character.
      if (this.equals(row, word)) return row;
    }
  }

  /** Word of row i. */
  word(i: number): string {
    return this.wide?.get(i) ?? this.text.slice(this.starts[i], this.starts[i + 1] - 1);
  }

  /** The row whose word holds character `i` of the text (binary search over `starts`). */
  private rowAt(i: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private insert(h: number, row: number, from: number, to: number): void {
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const other = this.slots[s];
      if (other < 0) { this.slots[s] = row; return; }
      if (this.sameRange(other, from, to)) return;
    }
  }

  private equals(row: number, word: string): boolean {
    const a = this.starts[row];
    if (this.starts[row + 1] - 1 - a !== word.length) return false; // a kept-aside word has its length in the text too
    if (this.wide !== undefined) {
      const wide = this.wide.get(row);
      if (wide !== undefined) return wide === word;
    }
    for (let i = 0; i < word.length; i++) if (this.text.charCodeAt(a + i) !== word.charCodeAt(i)) return false;
    return true;
  }

  private sameRange(row: number, from: number, to: number): boolean {
    const a = this.starts[row];
    const len = to - from;
    if (this.starts[row + 1] - 1 - a !== len) return false;
    for (let i = 0; i < len; i++) if (this.text.charCodeAt(a + i) !== this.text.charCodeAt(from + i)) return false;
    return true;
  }
}

const NEWLINE = 10;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
