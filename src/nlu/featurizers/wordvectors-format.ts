/**
 * The compact on-disk form of pretrained word vectors, written once by the converter and
 * read at every start:
 *
 *   <dir>/vectors.bin   "PWV1" | u32 count | u32 dim | u32 sourceVocabSize |
 *                       f32 scale[count] | i8 value[count * dim]        (little endian)
 *   <dir>/words.txt     one word per line, line i = vector i, most frequent first
 *   <dir>/meta.json     what it was converted from, when, and how
 *
 * Each vector is quantised to int8 with its own scale (max |v| / 127), so a value is
 * `value * scale`; the error is under 0.4% of the vector's largest component.
 *
 * A reader keeps the most frequent rows in memory and reads the others from the file when a
 * text uses one (see `readWordVectors`).
 */
import { createHash } from 'node:crypto';
import { close, closeSync, fstat, open, read, readSync } from 'node:fs';
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';
import { WordIndex } from './wordvectors-index.js';

const MAGIC = 'PWV1';
const HEADER_BYTES = 16;
export const VECTORS_FILE = 'vectors.bin';
export const WORDS_FILE = 'words.txt';
export const META_FILE = 'meta.json';

/** A word vector table: `row(i)` (dim int8s) times `scales[i]` is word i's vector. */
export interface WordVectorTable {
  dim: number;
  count: number;
  /** Vocabulary size of the source the ranks come from (for Zipf frequencies). */
  sourceVocabSize: number;
  /** The words, row order (built on first use: serving needs only `index`). */
  readonly words: string[];
  /** word -> row; the row is also the frequency rank minus one. */
  index: Pick<WordIndex, 'get'>;
  scales: Float32Array;
  /**
   * Row r's `dim` int8 values. Valid until the next call: a row kept in memory is a view of
   * it, any other one is read from the file into a buffer the table reuses.
   */
  row(r: number): Int8Array;
  /** How many rows, the most frequent ones, are kept in memory. */
  residentRows: number;
  /** Names this exact table in a model manifest (see `tableChecksum`). */
  checksum: string;
  /** The checksum models trained before `tableChecksum` recorded: SHA-1 of all of vectors.bin (slower). */
  fileChecksum(): string;
}

export interface WordVectorMeta {
  format: 'parley-wordvectors';
  formatVersion: 1;
  source: string;
  count: number;
  dim: number;
  sourceVocabSize: number;
  quantization: 'int8-per-vector-scale';
  createdAt: string;
}

/**
 * Quantises float vectors (row-major, `dim` per word) and writes the three files into `dir`.
 * Files are written under temporary names and renamed, so a reader never sees half a table.
 *
 * @example await writeWordVectors('models/wordvectors', { words: ['the'], vectors: new Float32Array(100), dim: 100, sourceVocabSize: 400000, source: 'x' })
 */
export async function writeWordVectors(dir: string, input: { words: readonly string[]; vectors: Float32Array; dim: number; sourceVocabSize: number; source: string }): Promise<{ bytes: number; checksum: string }> {
  const { words, vectors, dim } = input;
  const count = words.length;
  if (vectors.length !== count * dim) throw new Error(`word vectors: expected ${count * dim} values for ${count} words of dim ${dim}, got ${vectors.length}`);
  for (const w of words) if (/[\r\n]/.test(w) || w.length === 0) throw new Error(`word vectors: invalid word ${JSON.stringify(w)}`);
  const buf = Buffer.alloc(HEADER_BYTES + 4 * count + count * dim);
  buf.write(MAGIC, 0, 'ascii');
  buf.writeUInt32LE(count, 4);
  buf.writeUInt32LE(dim, 8);
  buf.writeUInt32LE(input.sourceVocabSize, 12);
  const scales = new Float32Array(count);
  const values = new Int8Array(buf.buffer, buf.byteOffset + HEADER_BYTES + 4 * count, count * dim);
  for (let i = 0; i < count; i++) {
    let max = 0;
    for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(vectors[i * dim + j]));
    const scale = max > 0 ? max / 127 : 1;
    scales[i] = scale;
    for (let j = 0; j < dim; j++) values[i * dim + j] = Math.round(vectors[i * dim + j] / scale);
  }
  Buffer.from(scales.buffer).copy(buf, HEADER_BYTES);
  const meta: WordVectorMeta = {
    format: 'parley-wordvectors', formatVersion: 1, source: input.source, count, dim,
    sourceVocabSize: input.sourceVocabSize, quantization: 'int8-per-vector-scale', createdAt: new Date().toISOString(),
  };
  await mkdir(dir, { recursive: true });
  const files: Array<[string, string | Buffer]> = [
    [WORDS_FILE, words.join('\n') + '\n'],
    [META_FILE, JSON.stringify(meta, null, 2) + '\n'],
    [VECTORS_FILE, buf], // last: its presence means the table is complete
  ];
  for (const [name, content] of files) {
    const tmp = path.join(dir, `.${name}.${process.pid}.tmp`);
    await writeFile(tmp, content);
    await rename(tmp, path.join(dir, name));
  }
  return { bytes: buf.length, checksum: tableChecksum(buf, files[0][1] as string) };
}

/**
 * Rows a reader keeps in memory unless told otherwise: 20,000 of the most frequent words, 2 MB
 * for 100-d vectors instead of 10 MB for all 100,000. Words are stored most frequent first,
 * so the other rows are the rare words, a few percent of the tokens of a support message
 * (measured on the project's own sentiment and intent examples, see the README); each costs
 * one read of `dim` bytes from the operating system's file cache, a few microseconds.
 */
export const DEFAULT_RESIDENT_ROWS = 20_000;

const openAsync = promisify(open);
const readAsync = promisify(read);
const fstatAsync = promisify(fstat);
const closeAsync = promisify(close);

/** Closes a table's file when the table itself is garbage. */
const files = new FinalizationRegistry<number>((fd) => { try { closeSync(fd); } catch { /* already closed */ } });

/**
 * Reads a table written by `writeWordVectors`: the header, the scales and the first
 * `residentRows` rows into memory (no parsing of numbers); the file stays open for the others.
 *
 * @example const t = await readWordVectors('models/wordvectors'); t.index.get('refund') // 4211
 */
export async function readWordVectors(dir: string, { residentRows = DEFAULT_RESIDENT_ROWS }: { residentRows?: number } = {}): Promise<WordVectorTable> {
  const file = path.join(dir, VECTORS_FILE);
  // A numeric descriptor, not a FileHandle: the table outlives this function, and a FileHandle
  // closed by the garbage collector prints a warning (the registry below closes it quietly).
  const [fd, wordsText] = await Promise.all([openAsync(file, 'r'), readFile(path.join(dir, WORDS_FILE), 'utf8')]);
  let kept = false;
  try {
    const size = (await fstatAsync(fd)).size;
    const header = Buffer.alloc(HEADER_BYTES);
    await readAsync(fd, header, 0, HEADER_BYTES, 0);
    if (size < HEADER_BYTES || header.toString('ascii', 0, 4) !== MAGIC) {
      throw new Error(`word vectors: ${file} is not a Parley word vector file; convert it again`);
    }
    const count = header.readUInt32LE(4);
    const dim = header.readUInt32LE(8);
    const sourceVocabSize = header.readUInt32LE(12);
    if (size !== HEADER_BYTES + 4 * count + count * dim) {
      throw new Error(`word vectors: ${file} is truncated or corrupt (${size} bytes for ${count} x ${dim}); convert it again`);
    }
    const index = new WordIndex(wordsText);
    if (index.count !== count) throw new Error(`word vectors: ${WORDS_FILE} has ${index.count} words but ${VECTORS_FILE} has ${count} vectors; convert again`);
    const resident = Math.max(0, Math.min(count, Math.floor(residentRows)));
    const scales = new Float32Array(count);
    const hot = new Int8Array(resident * dim);
    const checksum = await streamTable(fd, size, header, wordsText, [
      { at: HEADER_BYTES, into: new Uint8Array(scales.buffer) },
      { at: HEADER_BYTES + 4 * count, into: new Uint8Array(hot.buffer) },
    ]);
    const valuesAt = HEADER_BYTES + 4 * count;
    const cold = new Int8Array(dim);
    let words: string[] | undefined;
    const table: WordVectorTable = {
      dim, count, sourceVocabSize, index, scales, checksum, residentRows: resident,
      row(r) {
        if (r < resident) return hot.subarray(r * dim, (r + 1) * dim);
        if (!(r >= 0 && r < count)) throw new RangeError(`word vectors: no row ${r} in a table of ${count}`);
        if (readSync(fd, cold, 0, dim, valuesAt + r * dim) !== dim) throw new Error(`word vectors: ${file} was cut short while in use; convert it again and restart`);
        return cold;
      },
      fileChecksum: () => fileSha1Prefix(fd, size),
      get words() { return (words ??= Array.from({ length: count }, (_, i) => index.word(i))); },
    };
    files.register(table, fd);
    kept = true;
    return table;
  } finally {
    if (!kept) await closeAsync(fd);
  }
}

/**
 * Reads the file once from start to end in 1 MB chunks, copying the given byte ranges out
 * and computing `tableChecksum` on the way, so the whole file is never in memory at once.
 */
async function streamTable(fd: number, size: number, header: Buffer, wordsText: string, copies: Array<{ at: number; into: Uint8Array }>): Promise<string> {
  const checksum = new TableChecksum(header.readUInt32LE(4), size);
  const chunk = Buffer.alloc(1 << 20);
  for (let pos = 0; pos < size;) {
    const { bytesRead } = await readAsync(fd, chunk, 0, Math.min(chunk.length, size - pos), pos);
    if (bytesRead === 0) throw new Error('word vectors: the file shrank while it was read; convert it again');
    const end = pos + bytesRead;
    checksum.add(pos, chunk.subarray(0, bytesRead));
    for (const { at, into } of copies) {
      const from = Math.max(pos, at);
      const to = Math.min(end, at + into.length);
      if (from < to) into.set(chunk.subarray(from - pos, to - pos), from - at);
    }
    pos = end;
  }
  return checksum.digest(wordsText);
}

/** First 16 hex digits of the SHA-1 of the whole file, read in 1 MB chunks rather than into one 10 MB buffer. */
function fileSha1Prefix(fd: number, size: number): string {
  const hash = createHash('sha1');
  const chunk = Buffer.alloc(Math.min(size, 1 << 20));
  for (let pos = 0; pos < size;) {
    const n = readSync(fd, chunk, 0, Math.min(chunk.length, size - pos), pos);
    if (n === 0) throw new Error('word vectors: the file shrank while it was read; convert it again');
    hash.update(chunk.subarray(0, n));
    pos += n;
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * First 16 hex digits of the SHA-1 of the header, the per-vector scales, every 97th vector
 * byte and the word list. Hashing all 10 MB took ~20 ms of every start; any other table
 * (other words, other vectors, other quantisation) differs in what this covers.
 */
export function tableChecksum(buf: Uint8Array, wordsText: string): string {
  const count = new DataView(buf.buffer, buf.byteOffset, HEADER_BYTES).getUint32(4, true);
  return new TableChecksum(count, buf.length).add(0, buf).digest(wordsText);
}

const SAMPLE_STRIDE = 97;

/** `tableChecksum` over a file given in consecutive pieces (the reader's 1 MB chunks). */
class TableChecksum {
  private readonly hash = createHash('sha1');
  private readonly head: number;
  private readonly sample: Uint8Array;

  constructor(count: number, size: number) {
    this.head = HEADER_BYTES + 4 * count;
    this.sample = new Uint8Array(Math.ceil((size - this.head) / SAMPLE_STRIDE));
  }

  /** The bytes at offset `pos` of the file; pieces come in order, each right after the last. */
  add(pos: number, bytes: Uint8Array): this {
    const { head } = this;
    const end = pos + bytes.length;
    if (pos < head) this.hash.update(bytes.subarray(0, Math.min(bytes.length, head - pos)));
    // Sampled offsets head, head + 97, ... that fall in [pos, end).
    for (let i = head + Math.ceil(Math.max(0, pos - head) / SAMPLE_STRIDE) * SAMPLE_STRIDE; i < end; i += SAMPLE_STRIDE) {
      this.sample[(i - head) / SAMPLE_STRIDE] = bytes[i - pos];
    }
    return this;
  }

  digest(wordsText: string): string {
    return this.hash.update(this.sample).update(wordsText).digest('hex').slice(0, 16);
  }
}
