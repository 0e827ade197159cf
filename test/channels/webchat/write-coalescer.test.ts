import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WriteCoalescer } from '../../../src/channels/webchat/write-coalescer.js';
import { socketPairs, spin } from '../../helpers/socket-pair.js';

/** A stream that records each chunk its consumer receives: corked writes arrive as one batch. */
function socket(onWrite?: () => void) {
  const stream = new PassThrough();
  const batches: string[][] = [];
  stream._writev = (chunks, done) => { batches.push(chunks.map((c) => String(c.chunk))); onWrite?.(); done(); };
  stream._write = (chunk, _enc, done) => { batches.push([String(chunk)]); onWrite?.(); done(); };
  return { stream, batches };
}

const openPair = socketPairs();

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('WriteCoalescer', () => {
  it('sends the frames a socket gets during one event-loop turn in one write, after the turn', async () => {
    const coalescer = new WriteCoalescer();
    const a = socket();
    coalescer.hold(a.stream); a.stream.write('ack');
    coalescer.hold(a.stream); a.stream.write('typing');
    coalescer.hold(a.stream); a.stream.write('reply');
    expect(a.batches).toEqual([]);
    await nextTurn();
    expect(a.batches).toEqual([['ack', 'typing', 'reply']]);
  });

  it('holds at most maxHeld sockets: the next one releases the held ones at once', async () => {
    const coalescer = new WriteCoalescer(2);
    const [a, b, c] = [socket(), socket(), socket()];
    coalescer.hold(a.stream); a.stream.write('a1');
    coalescer.hold(b.stream); b.stream.write('b1');
    coalescer.hold(a.stream); a.stream.write('a2');
    expect([a.batches, b.batches]).toEqual([[], []]);
    coalescer.hold(c.stream); c.stream.write('c1'); // a third socket: a and b go out now
    await new Promise((r) => process.nextTick(r)); // uncork writes on the next tick
    expect(a.batches).toEqual([['a1', 'a2']]);
    expect(b.batches).toEqual([['b1']]);
    expect(c.batches).toEqual([]);
    await nextTurn();
    expect(c.batches).toEqual([['c1']]);
  });

  it('releases frames held during the check phase before the next poll phase reads sockets', async () => {
    const log: string[] = [];
    const p = await openPair(() => log.push('read'));
    const coalescer = new WriteCoalescer();
    const a = socket(() => log.push('sent'));
    await new Promise<void>((done) => {
      setImmediate(() => {
        // A turn slice running in the check phase writes a reply; a customer writes meanwhile.
        coalescer.hold(a.stream); a.stream.write('reply');
        p.write();
        spin(3); // the 0 ms timer is due and the byte has arrived before this phase ends
        setTimeout(done, 20);
      });
    });
    // With setImmediate alone the reply would wait for that read (and every other one).
    expect(log).toEqual(['sent', 'read']);
    expect(a.batches).toEqual([['reply']]);
  });
});
