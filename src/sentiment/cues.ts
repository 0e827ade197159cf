const STRONG_WORDS =
  /\b(?:ridiculous|unacceptable|worst|useless|terrible|awful|pathetic|disgusting|outrageous|furious|angry|livid|scam|joke|incompetent|fed up|sick of|had enough|third time|fourth time|never again|wtf|damn|rubbish|garbage)\b/i;

/**
 * Signs of frustration in the wording itself, beyond the sentiment model: shouting in
 * capitals, "!!!", "???", strong words. Returns a score in [0, 1] and the reasons.
 *
 * @example textCues('WHERE IS MY ORDER??? This is ridiculous!!!')
 * // { score: 1, reasons: ['shouting (caps)', 'exclamation marks', 'repeated question marks', 'strong words'] }
 */
export function textCues(text: string): { score: number; reasons: string[] } {
  let score = 0;
  const reasons: string[] = [];
  const words = text.match(/\p{L}{3,}/gu) ?? [];
  const shouted = words.filter((w) => w === w.toUpperCase() && w !== w.toLowerCase());
  if (shouted.length >= 2 && shouted.length * 2 >= words.length) {
    score += 0.35;
    reasons.push('shouting (caps)');
  }
  if (/!{2,}/.test(text)) {
    score += 0.25;
    reasons.push('exclamation marks');
  }
  if (/\?{2,}/.test(text)) {
    score += 0.15;
    reasons.push('repeated question marks');
  }
  if (STRONG_WORDS.test(text)) {
    score += 0.35;
    reasons.push('strong words');
  }
  return { score: Math.min(1, score), reasons };
}
