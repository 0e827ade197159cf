import { describe, expect, it } from 'vitest';
import { ConversationScriptError, parseConversationScript } from '../../src/bot/conversation-script.js';

describe('conversation script format', () => {
  it('parses a script with steps, clicks and attributes, and knows each step line', () => {
    const s = parseConversationScript('c.yml', 'name: demo\nattributes: { vip: "true" }\nsteps:\n  - customer: hi\n    expect: { intent: greeting }\n  - click: Returns\n');
    expect(s.name).toBe('demo');
    expect(s.attributes).toEqual({ vip: 'true' });
    expect(s.steps[1]).toMatchObject({ click: 'Returns', expect: {} });
    expect(s.stepLines).toEqual([4, 6]);
  });

  it('names the file, the line and the allowed keys for a misspelt expectation', () => {
    const text = 'name: demo\nsteps:\n  - customer: hi\n  - customer: help\n    expect: { escalted: true }\n';
    expect(() => parseConversationScript('conversations/x.yml', text)).toThrow(ConversationScriptError);
    expect(() => parseConversationScript('conversations/x.yml', text)).toThrow(/^conversations\/x\.yml line 5: steps\[1\]\.expect\.escalted: unknown key; allowed: intent, replyContains/);
  });

  it('refuses a step with neither customer nor click, a missing name, and bad YAML', () => {
    expect(() => parseConversationScript('a.yml', 'name: a\nsteps:\n  - expect: {}\n')).toThrow(/a\.yml line 3: .*exactly one of `customer` or `click`/);
    expect(() => parseConversationScript('b.yml', 'steps:\n  - customer: hi\n')).toThrow(/b\.yml line \d+: name/);
    expect(() => parseConversationScript('c.yml', 'name: c\nsteps: [\n')).toThrow(/c\.yml line \d+: invalid YAML/);
  });
});
