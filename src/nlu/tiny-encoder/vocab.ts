/**
 * The WordPiece vocabulary of the tiny encoder: special tokens, every ASCII letter, digit
 * and punctuation mark (alone and as a `##` continuation, so no ASCII word is ever
 * `[UNK]`), a few common suffixes, and a few hundred common English customer-service words.
 */

/** Special tokens, in BERT's usual roles; their ids are their positions here. */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

const WORDS = `
a an the i me my mine you your we our us it its they them their he she his her this that these those
is am are was were be been being do does did done have has had having will would can could should
may might must shall not no yes yeah yep nope ok okay sure please thanks thank cheers hello hi hey
bye goodbye good morning evening afternoon night great fine bad terrible awful happy sad angry
and or but if then so because of to in on at for from with without about into by as up down out over
what when where why how who which there here now today tomorrow yesterday soon still yet again already
order orders ordered ordering package parcel delivery deliver delivered shipping ship shipped shipment
track tracking status where arrive arrived arrival late delay delayed lost missing wrong damaged broken
cancel cancelled canceled change changed update address street city postcode zip country international
return returns refund refunds money back exchange replace replacement item items product products size
color stock available availability store shop hours open close closed weekend monday friday price
cost costs fee fees free discount code coupon promo voucher gift card cards payment pay paid failed
declined charge charged twice bill billing invoice receipt tax account login log sign password reset
email phone number name delete remove profile help support agent human person someone speak talk
chat call contact manager complaint complain problem issue issues error work working works doesn
don can won isn didn want need like love hate know think get got make made
take took give send sent receive received find found see look looking tell told ask asked wait waiting
long time day days week weeks month months hour hour minutes quickly fast slow ever never always
new old same other another more less very really too just only also all any some every each
one two three four five first last next warranty guarantee repair fix fixed quality service customer
who are bot robot assistant real right correct yes absolutely definitely maybe nothing anything
`;

const SUFFIXES = ['s', 'es', 'ed', 'ing', 'er', 'ers', 'ly', 'ment', 'tion', 'able'];

const PUNCTUATION = `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`;

/**
 * The full token list, ids by position. Deterministic: same list on every machine.
 *
 * @example buildVocab().slice(0, 5) // ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']
 */
export function buildVocab(): string[] {
  const tokens: string[] = [...SPECIAL_TOKENS];
  const seen = new Set<string>(tokens);
  const add = (t: string): void => {
    if (!seen.has(t)) { seen.add(t); tokens.push(t); }
  };
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  for (const c of chars) add(c);
  for (const c of PUNCTUATION) add(c);
  for (const c of chars) add(`##${c}`);
  for (const s of SUFFIXES) add(`##${s}`);
  // Whole words only: BERT's pre-tokenizer splits on punctuation, so "don't" never reaches
  // WordPiece as one piece; keep only what it can actually see.
  for (const w of WORDS.split(/\s+/)) if (/^[a-z0-9]+$/.test(w)) add(w);
  return tokens;
}
