import { describe, expect, it } from 'vitest';
import { parseClientFrame } from '../../../src/channels/webchat/protocol.js';

describe('parseClientFrame', () => {
  it('accepts every client frame type', () => {
    const frames = [
      { type: 'hello' },
      { type: 'hello', conversationId: 'web:1', resumeToken: 'a.b', lastSeq: 3, customer: { id: 'c1', attributes: { vip: 'true' } } },
      { type: 'message', clientId: 'abc_123-X', text: 'hi' },
      { type: 'quickReply', clientId: 'q1', value: 'track order' },
      { type: 'thumbs', messageId: 'bot-1', value: 'down' },
      { type: 'typing', on: true },
      { type: 'ping' },
    ];
    for (const f of frames) expect(parseClientFrame(JSON.stringify(f))).toEqual({ ok: true, frame: f });
  });

  it('refuses text that is not JSON', () => {
    expect(parseClientFrame('<html>')).toEqual({ ok: false, code: 'malformed', reason: 'frame is not valid JSON' });
  });

  it('refuses unknown types and names the field', () => {
    const r = parseClientFrame('{"type":"shout"}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^type: /);
  });

  it('refuses unknown fields (strict frames)', () => {
    const r = parseClientFrame('{"type":"ping","admin":true}');
    expect(r.ok).toBe(false);
  });

  it('refuses a bad thumbs value and a negative lastSeq', () => {
    expect(parseClientFrame('{"type":"thumbs","messageId":"m","value":"meh"}')).toMatchObject({ ok: false, reason: expect.stringMatching(/^value: /) });
    expect(parseClientFrame('{"type":"hello","lastSeq":-1}')).toMatchObject({ ok: false, reason: expect.stringMatching(/^lastSeq: /) });
  });

  it('echoes a valid clientId of a refused message so the widget knows which one failed', () => {
    expect(parseClientFrame('{"type":"message","clientId":"c-9","text":5}')).toMatchObject({ ok: false, code: 'malformed', clientId: 'c-9' });
    // An invalid clientId is not echoed back.
    const r = parseClientFrame('{"type":"message","clientId":"<b>","text":"x"}');
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/^clientId: /) });
    expect((r as { clientId?: string }).clientId).toBeUndefined();
  });

  it('refuses JSON that is not an object', () => {
    expect(parseClientFrame('null').ok).toBe(false);
    expect(parseClientFrame('[1]').ok).toBe(false);
  });
});
