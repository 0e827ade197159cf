import { describe, expect, it } from 'vitest';
import { initialSnapshot } from '../../src/escalation/index.js';
import { readState, WrittenStates, type EngineState } from '../../src/bot/state.js';

const stateAt = (seq: number): EngineState => ({ snapshot: initialSnapshot({}), answered: { greeting: seq }, lastHandledSeq: seq });

describe('engine state', () => {
  it('starts a new conversation (no state yet) from the initial snapshot with its attributes', () => {
    expect(readState({}, { vip: 'true' })).toEqual({ snapshot: initialSnapshot({ vip: 'true' }), answered: {}, lastHandledSeq: 0 });
    expect(readState(undefined)).toEqual({ snapshot: initialSnapshot({}), answered: {}, lastHandledSeq: 0 });
  });

  it('reads a stored state through the schema, and starts over from a damaged one', () => {
    const stored = JSON.parse(JSON.stringify(stateAt(3))) as Record<string, unknown>;
    expect(readState(stored)).toEqual(stateAt(3));
    const damaged = { ...stored, snapshot: { owner: 'nobody' } };
    expect(readState(damaged, { vip: 'true' })).toEqual({ snapshot: initialSnapshot({ vip: 'true' }), answered: {}, lastHandledSeq: 3 });
  });

  it('takes the state it remembers writing when the stored one has its seq, and validates any other', () => {
    const states = new WrittenStates();
    const written = stateAt(5);
    states.remember('c1', written);
    expect(states.read('c1', JSON.parse(JSON.stringify(written)))).toBe(written);
    // Another instance handled a later turn: its state is read from the store, validated.
    const newer = JSON.parse(JSON.stringify(stateAt(7))) as Record<string, unknown>;
    expect(states.read('c1', newer)).not.toBe(written);
    expect(states.read('c1', newer)).toEqual(stateAt(7));
    expect(states.read('c1', { ...newer, snapshot: 'garbage' }).snapshot).toEqual(initialSnapshot({}));
    // Another conversation is never answered from this one's entry.
    expect(states.read('c2', JSON.parse(JSON.stringify(written)))).not.toBe(written);
  });

  it('forgets the oldest conversation beyond its bound', () => {
    const states = new WrittenStates(2);
    const [a, b, c] = [stateAt(1), stateAt(1), stateAt(1)];
    states.remember('a', a);
    states.remember('b', b);
    states.remember('c', c);
    expect(states.read('a', { ...a })).not.toBe(a);
    expect(states.read('b', { ...b })).toBe(b);
    expect(states.read('c', { ...c })).toBe(c);
  });
});
