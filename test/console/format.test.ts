import { describe, expect, it } from 'vitest';
import { cannedMatches, duration, explanationText } from '../../web/console/format.js';

describe('console formatting', () => {
  it('formats waiting time', () => {
    expect(duration(4_400)).toBe('4 s');
    expect(duration(3 * 60_000 + 10_000)).toBe('3 min');
    expect(duration(65 * 60_000)).toBe('1 h 05');
  });

  it('shows the words that drove a prediction, words before character n-grams', () => {
    expect(explanationText([{ feature: 'c:ate', weight: 0.9 }, { feature: 'w:late', weight: 0.5 }, { feature: 'w:order', weight: -0.2 }, { feature: 'w:two weeks', weight: 0.3 }])).toBe('“late” +0.50, “two weeks” +0.30');
    expect(explanationText([{ feature: 'c:ate', weight: 0.9 }])).toBe('“ate” +0.90');
    expect(explanationText([])).toBe('');
  });

  it('matches canned replies after a leading slash only', () => {
    const canned = [{ title: 'Sorry', text: 'I am sorry.' }, { title: 'Order number', text: 'Your order number?' }];
    expect(cannedMatches('/', canned)).toEqual(canned);
    expect(cannedMatches('/ord', canned)?.map((c) => c.title)).toEqual(['Order number']);
    expect(cannedMatches('/SORRY', canned)?.map((c) => c.title)).toEqual(['Sorry']);
    expect(cannedMatches('sorry', canned)).toBeUndefined();
    expect(cannedMatches('/x\nmore', canned)).toBeUndefined();
  });
});
