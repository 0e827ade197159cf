/**
 * One pass over a text with a valence lexicon, in the manner of VADER (Hutto & Gilbert,
 * 2014): word valences adjusted by intensifiers, negation, shouting, a contrastive "but",
 * emphasis punctuation, emoji and idioms. Pure and allocation-light: microseconds per text.
 */
import { EMOJI, PHRASES, type LexiconTable } from './lexicon-table.js';

export interface ScoreRules {
  /** Multiplier for a valence preceded by a negation within `negationWindow` words. */
  negationScalar: number;
  negationWindow: number;
  /** Weight of the clause after the last "but"/"however"; the one before gets 0.5. */
  contrastWeight: number;
  /** Added to a valence's magnitude after an intensifier ("very"), removed after a dampener ("slightly"). */
  boost: number;
  /** Added to a valence's magnitude when the word is SHOUTED in an otherwise normal text. */
  capsBoost: number;
}

export interface LexiconStats {
  words: number;
  compound: number;
  posSum: number;
  negSum: number;
  posCount: number;
  negCount: number;
  negatedPos: number;
  negatedNeg: number;
  firstClause: number;
  lastClause: number;
  contrast: boolean;
  sarcasmCue: boolean;
  maxPos: number;
  minNeg: number;
  shouted: number;
  exclamations: number;
  questions: number;
  repeatedPunct: boolean;
  emojiSum: number;
  intensifiers: number;
  politeness: number;
  questionForm: boolean;
  negations: number;
  elongated: boolean;
}

const NEGATORS = new Set(['not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'nowhere', 'cannot', 'without',
  'dont', 'cant', 'wont', 'isnt', 'arent', 'wasnt', 'werent', 'didnt', 'doesnt', 'havent', 'hasnt', 'hadnt', 'couldnt',
  'shouldnt', 'wouldnt', 'aint', 'nope', 'hardly', 'neva', 'nt']);
const INTENSIFIERS = new Set(['very', 'so', 'really', 'extremely', 'absolutely', 'totally', 'completely', 'super', 'incredibly',
  'utterly', 'truly', 'highly', 'such', 'most', 'deeply', 'hugely', 'insanely', 'remarkably', 'thoroughly', 'terribly',
  'awfully', 'seriously', 'exceptionally', 'particularly', 'especially', 'too', 'sooo', 'soo', 'mega', 'damn', 'freaking', 'bloody']);
const DAMPENERS = new Set(['slightly', 'somewhat', 'kinda', 'kindof', 'sorta', 'barely', 'marginally', 'partly', 'fairly', 'rather', 'mildly', 'bit']);
const CONTRAST = new Set(['but', 'however', 'yet', 'although', 'though']);
const POLITE = new Set(['please', 'pls', 'plz', 'kindly', 'appreciate', 'appreciated']);
const QUESTION_START = new Set(['what', 'where', 'when', 'why', 'how', 'who', 'which', 'can', 'could', 'would', 'will', 'do', 'does',
  'did', 'is', 'are', 'was', 'should', 'may', 'have', 'has', 'any', 'whats', "what's", "where's", "how's"]);
const SARCASM_OPENERS = new Set(['great', 'wonderful', 'perfect', 'brilliant', 'lovely', 'fantastic', 'awesome', 'nice', 'cool', 'wow', 'oh', 'thanks', 'gee', 'fabulous', 'amazing', 'terrific', 'super', 'sure', 'yay']);
const SARCASM_MARKERS = new Set(['another', 'again', 'still', 'yet', 'nothing', 'apparently', 'now', 'more']);
// "would like to", "looks like" are not liking anything.
const LIKE_NEUTRAL_BEFORE = new Set(['would', "i'd", "we'd", 'id', 'look', 'looks', 'looked', 'feel', 'feels', 'seem', 'seems', 'something', 'anything', 'just', 'more', 'sounds']);

const TOKEN = /(\p{Extended_Pictographic})|([\p{L}\p{N}]+(?:['\u2019][\p{L}\p{N}]+)*)|([!?]+)|([.;,:]+)/gu;
const HAS_LETTER = /\p{L}/u;
const ONLY_LETTERS = /^[\p{L}'\u2019]+$/u;

interface Word { lower: string; caps: boolean; clause: number; sentence: number }
interface Item { value: number; clause: number; index: number }

/** Only a word with upper-case letters can be shouted; the extra tests are skipped for the rest. */
function isShouted(raw: string, lower: string): boolean {
  return raw !== lower && raw.length >= 2 && raw === raw.toUpperCase() && HAS_LETTER.test(raw);
}

/** True for a non-empty run of ASCII letters only. */
function asciiLetters(chunk: string): boolean {
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) return false;
  }
  return chunk.length > 0;
}

// First words of the two-word entries, so most words skip building a bigram key.
const bigramFirstWords = new WeakMap<LexiconTable, Set<string>>();
function bigramStarts(table: LexiconTable): Set<string> {
  let set = bigramFirstWords.get(table);
  if (!set) {
    set = new Set([...table.bigrams.keys()].map((k) => k.slice(0, k.indexOf(' '))));
    bigramFirstWords.set(table, set);
  }
  return set;
}

/** Squashes a valence sum into [-1, 1] the way VADER's compound score does. */
export function squash(sum: number, alpha = 15): number {
  return sum / Math.sqrt(sum * sum + alpha);
}

function isNegation(lower: string): boolean {
  return NEGATORS.has(lower) || lower.endsWith("n't");
}

/** True when a letter repeats three times in a row ("soooo"); a cheap test before any regex. */
function elongatedWord(lower: string): boolean {
  for (let i = 2; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c === lower.charCodeAt(i - 1) && c === lower.charCodeAt(i - 2)) return true;
  }
  return false;
}

function collapseElongation(lower: string): string {
  return lower.replace(/(\p{L})\1{2,}/gu, '$1$1');
}

/** What the first pass over the chunks of a text finds: its words, emoji and punctuation. */
interface Reading {
  words: Word[];
  emoItems: Item[];
  emojiSum: number;
  exclamations: number;
  questions: number;
  repeatedPunct: boolean;
  contrast: boolean;
}

/** The chunks of `text` (split at white space) read into words, emoji and punctuation counts. */
function readWords(text: string, table: LexiconTable): Reading {
  const words: Word[] = [];
  let emojiSum = 0;
  let exclamations = 0;
  let questions = 0;
  let repeatedPunct = false;
  let clause = 0;
  let sentence = 0;
  let contrast = false;
  const emoItems: Item[] = [];

  for (const chunk of text.split(/\s+/)) {
    if (!chunk) continue;
    // Most chunks are one plain ASCII word: what the regular expressions below would find anyway.
    if (asciiLetters(chunk)) {
      const lower = chunk.toLowerCase();
      if (CONTRAST.has(lower) && words.length > 0) { clause++; contrast = true; }
      words.push({ lower, caps: isShouted(chunk, lower), clause, sentence });
      continue;
    }
    // ASCII emoticons (":)", ":-(", "<3", ":D") come whole from the lexicon.
    if (!ONLY_LETTERS.test(chunk) && (chunk.length <= 4 || !HAS_LETTER.test(chunk))) {
      const v = table.words.get(chunk.toLowerCase());
      if (v !== undefined && !/^[\p{L}\p{N}]+[!?.,]*$/u.test(chunk)) {
        emojiSum += v;
        emoItems.push({ value: v, clause, index: words.length });
        continue;
      }
    }
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(chunk); m; m = TOKEN.exec(chunk)) {
      if (m[1]) {
        const v = EMOJI.get(m[1]) ?? 0;
        if (v !== 0) { emojiSum += v; emoItems.push({ value: v, clause, index: words.length }); }
      } else if (m[2]) {
        const raw = m[2];
        let lower = raw.toLowerCase();
        if (lower.includes('\u2019')) lower = lower.replace(/\u2019/g, "'");
        if (CONTRAST.has(lower) && words.length > 0) { clause++; contrast = true; }
        words.push({ lower, caps: isShouted(raw, lower), clause, sentence });
      } else if (m[3]) {
        for (const ch of m[3]) { if (ch === '!') exclamations++; else questions++; }
        if (m[3].length >= 2) repeatedPunct = true;
        clause++; sentence++;
      } else if (m[4] && /[.;]/.test(m[4])) {
        if (m[4].length >= 2 && m[4].startsWith('..')) repeatedPunct = true;
        clause++; sentence++;
      }
    }
  }

  return { words, emoItems, emojiSum, exclamations, questions, repeatedPunct, contrast };
}

/** The valence items of the words (phrases, bigrams, words shaped by their neighbours) and the counts found on the way. */
interface Scored {
  items: Item[];
  negatedPos: number;
  negatedNeg: number;
  intensifiers: number;
  politeness: number;
  negations: number;
  elongated: boolean;
}

function scoreWords(words: Word[], table: LexiconTable, rules: ScoreRules, shoutingApplies: boolean): Scored {
  const items: Item[] = [];
  let negatedPos = 0, negatedNeg = 0, intensifiers = 0, politeness = 0, negations = 0, elongated = false;

  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (isNegation(w.lower)) negations++;
    if (INTENSIFIERS.has(w.lower)) intensifiers++;
    if (POLITE.has(w.lower)) politeness++;
    const phrase = matchPhrase(words, i);
    if (phrase) {
      items.push({ value: phrase.value, clause: w.clause, index: i });
      i += phrase.length - 1;
      continue;
    }
    let v: number | undefined;
    let span = 1;
    if (i + 1 < words.length && bigramStarts(table).has(w.lower)) {
      const b = table.bigrams.get(`${w.lower} ${words[i + 1].lower}`);
      if (b !== undefined) { v = b; span = 2; }
    }
    if (v === undefined) {
      v = table.words.get(w.lower);
      if (v === undefined) {
        const collapsed = elongatedWord(w.lower) ? collapseElongation(w.lower) : w.lower;
        if (collapsed !== w.lower) {
          elongated = true;
          v = table.words.get(collapsed) ?? table.words.get(collapsed.replace(/(\p{L})\1/gu, '$1'));
        }
      }
    }
    // Negators and intensifiers shape other words' valence instead of carrying their own.
    if (v === undefined || v === 0 || isNegation(w.lower) || INTENSIFIERS.has(w.lower)) { i += span - 1; continue; }
    if (w.lower === 'like' && i > 0 && LIKE_NEUTRAL_BEFORE.has(words[i - 1].lower)) continue;
    const sign = Math.sign(v);
    for (let d = 1; d <= 2 && i - d >= 0; d++) {
      const prev = words[i - d].lower;
      const decay = d === 1 ? 1 : 0.95;
      if (INTENSIFIERS.has(prev)) v += sign * rules.boost * decay;
      else if (DAMPENERS.has(prev)) v -= sign * rules.boost * decay;
    }
    if (shoutingApplies && w.caps) v += sign * rules.capsBoost;
    let negated = false;
    for (let d = 1; d <= rules.negationWindow && i - d >= 0; d++) {
      if (words[i - d].sentence !== w.sentence) break;
      if (isNegation(words[i - d].lower)) { negated = true; break; }
    }
    if (negated) {
      if (sign > 0) negatedPos++; else negatedNeg++;
      v *= -rules.negationScalar;
    }
    items.push({ value: v, clause: w.clause, index: i });
    i += span - 1;
  }
  return { items, negatedPos, negatedNeg, intensifiers, politeness, negations, elongated };
}

/**
 * Scores one text. `rules` tune the VADER-like adjustments; every field is in the result
 * so the featurizer can pick its features.
 *
 * @example scoreText('not bad at all', loadLexicon(), DEFAULT_RULES).compound // ≈ 0.43
 */
export function scoreText(text: string, table: LexiconTable, rules: ScoreRules): LexiconStats {
  // In three functions rather than one: each is compiled (optimised) on its own, sooner than one large function would be.
  const { words, emoItems, emojiSum, exclamations, questions, repeatedPunct, contrast } = readWords(text, table);
  const capsWords = words.reduce((n, w) => n + (w.caps ? 1 : 0), 0);
  // Shouting only means something when the rest of the text is not in capitals too.
  const shoutingApplies = capsWords > 0 && capsWords < words.length;
  const scored = scoreWords(words, table, rules, shoutingApplies);
  const { items, negatedPos, negatedNeg, intensifiers, negations, elongated } = scored;
  let { politeness } = scored;
  for (const e of emoItems) items.push(e);

  const first = words[0]?.lower ?? '';
  const sarcasmCue = words.length > 2 && SARCASM_OPENERS.has(first) && words.some((w, i) => i > 0 && SARCASM_MARKERS.has(w.lower))
    && (negations > 0 || items.some((it) => it.value < 0));
  // "Great, another delay": a cheerful opener followed by bad news is not praise.
  if (sarcasmCue) for (const it of items) if (it.index === 0 && it.value > 0) it.value = -it.value;

  // A contrastive "but": what comes after it is what the writer means.
  let lastContrastClause = -1;
  for (let i = words.length - 1; i >= 1; i--) {
    if (CONTRAST.has(words[i].lower)) { lastContrastClause = words[i].clause; break; }
  }
  let sum = 0, posSum = 0, negSum = 0, posCount = 0, negCount = 0, maxPos = 0, minNeg = 0;
  let lastClauseId = 0, firstClauseId = Number.MAX_SAFE_INTEGER;
  for (const it of items) {
    if (it.clause > lastClauseId) lastClauseId = it.clause;
    if (it.clause < firstClauseId) firstClauseId = it.clause;
  }
  let lastClause = 0, firstClause = 0;
  for (const it of items) {
    let v = it.value;
    if (lastContrastClause >= 0) v *= it.clause >= lastContrastClause ? rules.contrastWeight : 0.5;
    sum += v;
    if (v > 0) { posSum += v; posCount++; if (v > maxPos) maxPos = v; }
    else if (v < 0) { negSum += v; negCount++; if (v < minNeg) minNeg = v; }
    if (it.clause === lastClauseId) lastClause += it.value;
    if (it.clause === firstClauseId) firstClause += it.value;
  }
  if (sum !== 0) {
    // Emphasis punctuation strengthens whatever direction the text already has.
    const emphasis = Math.min(exclamations, 4) * 0.292 + (questions > 1 ? Math.min(questions, 3) * 0.18 : 0);
    sum += Math.sign(sum) * emphasis;
  }

  const questionForm = questions > 0 || QUESTION_START.has(first);
  for (let i = 0; i + 1 < words.length; i++) {
    const a = words[i].lower, b = words[i + 1].lower;
    if ((a === 'could' || a === 'can' || a === 'would') && b === 'you') politeness++;
    if (a === 'thank' && b === 'you') politeness++;
  }

  return {
    words: words.length,
    compound: squash(sum),
    posSum, negSum, posCount, negCount, negatedPos, negatedNeg,
    firstClause: squash(firstClause), lastClause: squash(lastClause),
    contrast, sarcasmCue, maxPos, minNeg,
    shouted: shoutingApplies ? capsWords : words.length > 1 && capsWords === words.length ? capsWords : 0,
    exclamations, questions, repeatedPunct, emojiSum, intensifiers, politeness, questionForm, negations, elongated,
  };
}

// Phrases indexed by their first word, so each word tries only the few that can match.
const PHRASES_BY_FIRST = new Map<string, Array<readonly [string[], number]>>();
for (const entry of PHRASES) {
  const list = PHRASES_BY_FIRST.get(entry[0][0]) ?? [];
  list.push(entry);
  PHRASES_BY_FIRST.set(entry[0][0], list);
}

function matchPhrase(words: Word[], i: number): { value: number; length: number } | undefined {
  const candidates = PHRASES_BY_FIRST.get(words[i].lower);
  if (!candidates) return undefined;
  let best: { value: number; length: number } | undefined;
  for (const [tokens, value] of candidates) {
    if (i + tokens.length > words.length || (best && best.length >= tokens.length)) continue;
    let ok = true;
    for (let k = 0; k < tokens.length; k++) if (words[i + k].lower !== tokens[k]) { ok = false; break; }
    if (ok) best = { value, length: tokens.length };
  }
  return best;
}
