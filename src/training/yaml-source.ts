import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { IntentsError } from './errors.js';

/** A parsed YAML file that can say on which line any value sits. */
export interface YamlSource {
  value: unknown;
  /** 1-based line of the node at `path` (or of its nearest existing parent). */
  lineOf(path: ReadonlyArray<string | number>): number;
}

/**
 * Parses YAML text, keeping positions. Syntax errors become an IntentsError at the line
 * the parser reports.
 *
 * @example
 * const src = parseYamlSource('intents/a.yml', 'name: a\nexamples:\n  - hi\n');
 * src.lineOf(['examples', 0]) // 3
 */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const reason = first.message.split('\n')[0];
    const line = openingQuoteLine(text, first.code, reason, first.pos[0]) ?? lineCounter.linePos(first.pos[0]).line;
    throw new IntentsError(`invalid YAML: ${reason} (check indentation, colons and quotes)`, file, line);
  }
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  return {
    value: doc.toJS(),
    lineOf: (path) => lineAt(nodeStart(doc, path)),
  };
}

/**
 * The parser reports an unclosed quote where the file ends; the line that opened it is
 * the one to fix: the last line before the error with an odd number of that quote.
 */
function openingQuoteLine(text: string, code: string, reason: string, offset: number): number | undefined {
  if (code !== 'MISSING_CHAR') return undefined;
  const quote = /closing (["'])/.exec(reason)?.[1];
  if (!quote) return undefined;
  const lines = text.slice(0, offset).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    if ((lines[i].split(quote).length - 1) % 2 === 1) return i + 1;
  }
  return undefined;
}

/**
 * Start offset of the node at `path`: for a mapping entry its key (so an error points at
 * `examples:` rather than the line after), for a list item the item; when the path goes
 * further than the document, the deepest node that exists.
 */
function nodeStart(doc: Document, path: ReadonlyArray<string | number>): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment);
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else break;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[0] : undefined;
}
