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
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { WordIndex } from './wordvectors-index.js';

const MAGIC = 'PWV1';
const HEADER_BYTES = 16;
export const VECTORS_FILE = 'vectors.bin';
export const WORDS_FILE = 'words.txt';
export const META_FILE = 'meta.json';

/** Word vectors in memory: row i of `values` (dim int8s) times `scales[i]` is word i's vector. */
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
  values: Int8Array;
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
 * Reads a table written by `writeWordVectors` (~10 MB for 100k x 100-d; no parsing of
 * numbers, the int8 block is used in place).
 *
 * @example const t = await readWordVectors('models/wordvectors'); t.index.get('refund') // 4211
 */
export async function readWordVectors(dir: string): Promise<WordVectorTable> {
  const [buf, wordsText] = await Promise.all([readFile(path.join(dir, VECTORS_FILE)), readFile(path.join(dir, WORDS_FILE), 'utf8')]);
  if (buf.length < HEADER_BYTES || buf.toString('ascii', 0, 4) !== MAGIC) {
    throw new Error(`word vectors: ${path.join(dir, VECTORS_FILE)} is not a Parley word vector file; convert it again`);
  }
  const count = buf.readUInt32LE(4);
  const dim = buf.readUInt32LE(8);
  const sourceVocabSize = buf.readUInt32LE(12);
  if (buf.length !== HEADER_BYTES + 4 * count + count * dim) {
    throw new Error(`word vectors: ${path.join(dir, VECTORS_FILE)} is truncated or corrupt (${buf.length} bytes for ${count} x ${dim}); convert it again`);
  }
  const index = new WordIndex(wordsText);
  if (index.count !== count) throw new Error(`word vectors: ${WORDS_FILE} has ${index.count} words but ${VECTORS_FILE} has ${count} vectors; convert again`);
  // Copy the scales out: a Float32Array view needs a 4-byte aligned offset, which a Buffer does not promise.
  const scales = new Float32Array(count);
  Buffer.from(scales.buffer).set(buf.subarray(HEADER_BYTES, HEADER_BYTES + 4 * count));
  const values = new Int8Array(buf.buffer, buf.byteOffset + HEADER_BYTES + 4 * count, count * dim);
  let words: string[] | undefined;
  return {
    dim, count, sourceVocabSize, index, scales, values, checksum: tableChecksum(buf, wordsText),
    fileChecksum: () => sha1Prefix(buf),
    get words() { return (words ??= Array.from({ length: count }, (_, i) => index.word(i))); },
  };
}

/**
 * First 16 hex digits of the SHA-1 of the header, the per-vector scales, every 97th vector
 * byte and the word list. Hashing all 10 MB took ~20 ms of every start; any other table
 * (other words, other vectors, other quantisation) differs in what this covers.
 */
export function tableChecksum(buf: Uint8Array, wordsText: string): string {
  const count = new DataView(buf.buffer, buf.byteOffset, HEADER_BYTES).getUint32(4, true);
  const head = HEADER_BYTES + 4 * count;
  const sample = new Uint8Array(Math.ceil((buf.length - head) / SAMPLE_STRIDE));
  for (let i = head, k = 0; i < buf.length; i += SAMPLE_STRIDE, k++) sample[k] = buf[i];
  return createHash('sha1').update(buf.subarray(0, head)).update(sample).update(wordsText).digest('hex').slice(0, 16);
}

const SAMPLE_STRIDE = 97;

function sha1Prefix(buf: Uint8Array): string {
  return createHash('sha1').update(buf).digest('hex').slice(0, 16);
}
