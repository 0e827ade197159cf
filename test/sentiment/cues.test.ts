import { describe, expect, it } from 'vitest';
import { textCues } from '../../src/sentiment/cues.js';

describe('textCues', () => {
  it('finds shouting, exclamation and question runs, strong words', () => {
    expect(textCues('WHERE IS MY ORDER??? This is ridiculous!!!').reasons).toEqual(['shouting (caps)', 'exclamation marks', 'repeated question marks', 'strong words']);
    expect(textCues('where is my order?').score).toBe(0);
    expect(textCues('I got a DVD from the UK').reasons).not.toContain('shouting (caps)');
  });
});
