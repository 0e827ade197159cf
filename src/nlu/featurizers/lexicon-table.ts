/**
 * The word valences the lexicon featurizer reads: VADER's lexicon (shipped by the
 * `vader-sentiment` package, read from its `vader_lexicon.txt`), adjusted for
 * customer-service wording, plus the project's own emoji and phrase tables.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface LexiconTable {
  /** Single words and emoticons (lowercase) -> valence, roughly in [-4, 4]. */
  words: Map<string, number>;
  /** Two-word entries ("fed up", "can't stand") -> valence. */
  bigrams: Map<string, number>;
  /** First 12 hex chars of the SHA-256 of the lexicon file, stored in model settings. */
  hash: string;
  entries: number;
}

// Support conversations use these words neutrally ("please cancel my order", "can you
// help me"): VADER's general-purpose valence would make polite requests look emotional.
const DOMAIN_OVERRIDES: ReadonlyArray<readonly [string, number]> = [
  // Nouns of the trade: "customer support", "customer care", "store credit", "free shipping".
  ['support', 0], ['care', 0.3], ['credit', 0], ['free', 0.6],
  ['cancel', 0], ['cancelled', 0], ['canceled', 0], ['refund', 0], ['please', 0], ['help', 0.3],
  ['problem', -0.8], ['problems', -0.8], ['complaint', -0.6], ['issue', -0.5], ['joke', -1.2],
  ['late', -1.2], ['later', 0], ['delay', -1.3], ['delays', -1.3], ['ripoff', -2.6], ['overpriced', -1.8],
  ['unhelpful', -1.9], ['useless', -2.0], ['rude', -2.0], ['refunded', 0.4], ['missing', -1.0],
  ['mess', -1.6], ['garbage', -2.4], ['rubbish', -2.2], ['trash', -2.0], ['junk', -2.0], ['meh', -0.8],
  ['disappointing', -2.2], ['letdown', -2.0], ['flawless', 3.0], ['gorgeous', 3.0], ['stunning', 3.0],
  ['bland', -1.4], ['tedious', -1.8], ['boring', -2.0], ['dull', -1.7], ['mediocre', -1.6], ['clumsy', -1.5],
  ['forgettable', -1.6], ['predictable', -1.0], ['unwatchable', -3.0], ['overlong', -1.3], ['pointless', -2.0],
  ['lifeless', -2.0], ['heartfelt', 2.2], ['captivating', 2.6], ['delightful', 2.9], ['riveting', 2.5],
  ['superb', 3.0], ['masterpiece', 3.2], ['must-see', 2.5], ['thin', -0.6], ['flat', -0.9],
  ['unfunny', -2.0], ['wooden', -1.2], ['tired', -1.4], ['stale', -1.6], ['slow', -0.9], ['sluggish', -1.4],
];

/** Emoji are read by code point; ASCII emoticons come from VADER's own table. */
export const EMOJI: ReadonlyMap<string, number> = new Map([
  ['😀', 2.2], ['😃', 2.2], ['😄', 2.4], ['😁', 2.2], ['😊', 2.4], ['🙂', 1.6], ['😍', 3.0], ['🥰', 3.0],
  ['😘', 2.4], ['🤩', 3.0], ['😎', 1.6], ['😂', 1.4], ['🤣', 1.4], ['😅', 0.4], ['😉', 1.4], ['👍', 2.0],
  ['👏', 2.2], ['🙌', 2.4], ['💯', 2.2], ['🎉', 2.4], ['✨', 1.6], ['👌', 2.0], ['❤', 3.0], ['♥', 3.0],
  ['💕', 3.0], ['💖', 3.0], ['😇', 2.0], ['🥳', 2.6], ['⭐', 1.8], ['🌟', 2.0], ['🙏', 1.2], ['😌', 1.4],
  ['😡', -3.0], ['😠', -2.8], ['🤬', -3.4], ['😤', -2.2], ['😞', -2.2], ['😔', -1.8], ['😢', -2.2],
  ['😭', -2.4], ['😩', -2.4], ['😫', -2.4], ['🙄', -1.8], ['👎', -2.4], ['💔', -2.6], ['😒', -1.8],
  ['😕', -1.4], ['🙁', -1.8], ['☹', -2.0], ['😣', -2.0], ['😖', -2.2], ['🤦', -2.0], ['😑', -1.0],
  ['😐', -0.4], ['🤮', -3.0], ['🤢', -2.6], ['😬', -1.0], ['😱', -1.6], ['💩', -2.6], ['😰', -1.8],
]);

/** Idioms whose meaning is not the sum of their words; matched on lowercase token runs. */
export const PHRASES: ReadonlyArray<readonly [string[], number]> = [
  [['thanks', 'for', 'nothing'], -2.6], [['thank', 'you', 'for', 'nothing'], -2.6],
  [['yeah', 'right'], -1.6], [['just', 'great'], -2.0], [['oh', 'great'], -2.0], [['so', 'much', 'for'], -1.6],
  [['waste', 'of'], -2.4], [['never', 'again'], -2.4], [['last', 'time', 'i'], -1.4], [['still', 'waiting'], -1.8],
  [['still', 'no'], -1.6], [['still', 'not'], -1.6], [['no', 'one'], -1.2], [['once', 'again'], -1.0],
  [['as', 'usual'], -1.0], [['not', 'worth'], -2.0], [['worth', 'every'], 2.4], [['fell', 'apart'], -2.2],
  [['falls', 'apart'], -2.2], [['falls', 'flat'], -2.2], [['fell', 'flat'], -2.2], [['no', 'problem'], 1.2],
  [['no', 'worries'], 1.2], [['well', 'done'], 2.2], [['a', 'must'], 1.6], [['highly', 'recommend'], 2.8],
  [['do', 'not', 'buy'], -2.6], [['don\'t', 'buy'], -2.6], [['give', 'up'], -1.4], [['gave', 'up'], -1.4],
  [['sent', 'back'], -0.8], [['ran', 'out'], -0.4], [['fed', 'up'], -2.2], [['sick', 'of'], -2.2],
  [['tired', 'of'], -2.0], [['not', 'even'], -1.0], [['at', 'least'], 0.2], [['could', 'be', 'better'], -1.2],
  [['could', 'have', 'been'], -1.0], [['blown', 'away'], 2.8], [['fall', 'asleep'], -1.8], [['fell', 'asleep'], -1.8],
];

let cached: LexiconTable | undefined;

const NEWLINE = 0x0a;
const TAB = 0x09;

/**
 * Reads the lexicon once per process (about 7,500 entries, a few milliseconds).
 *
 * @example loadLexicon().words.get('great') // 3.1
 */
export function loadLexicon(): LexiconTable {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  let file: string;
  try {
    file = require.resolve('vader-sentiment/vader_lexicon.txt');
  } catch (cause) {
    throw new Error("lexicon featurizer: the 'vader-sentiment' package is not installed (it ships the lexicon file); run npm install", { cause });
  }
  // Bytes, not one string: terms cut out of a string are slices that keep the whole 420 KB
  // file alive for the life of the process; decoded from the bytes, each is its own string.
  const raw = readFileSync(file);
  const words = new Map<string, number>();
  const bigrams = new Map<string, number>();
  let entries = 0;
  for (let start = 0, end = 0; start < raw.length; start = end + 1) {
    const newline = raw.indexOf(NEWLINE, start);
    end = newline < 0 ? raw.length : newline;
    const tab = raw.indexOf(TAB, start);
    if (tab <= start || tab >= end) continue;
    const term = raw.toString('utf8', start, tab).toLowerCase();
    const valence = Number.parseFloat(raw.toString('latin1', tab + 1, end));
    if (!Number.isFinite(valence)) continue;
    entries++;
    // The file holds a few duplicates differing in case ("ok"/"OK"): the first one wins.
    if (term.includes(' ')) { if (!bigrams.has(term)) bigrams.set(term, valence); }
    else if (!words.has(term)) words.set(term, valence);
  }
  for (const [w, v] of DOMAIN_OVERRIDES) words.set(w, v);
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 12);
  cached = { words, bigrams, hash, entries };
  return cached;
}
