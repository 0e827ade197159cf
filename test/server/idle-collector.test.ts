import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { collectWhenIdle } from '../../src/server/idle-collector.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('collecting garbage when the server goes quiet', () => {
  it('collects once per quiet spell after work, never while work goes on, never before any', async () => {
    let work = 0;
    const collections: number[] = [];
    const collector = collectWhenIdle({ work: () => work, idleMs: 60, collect: () => collections.push(work), minGrowthBytes: 0 });
    try {
      await sleep(150);
      expect(collections).toEqual([]); // nothing done yet: nothing to collect

      const busy = setInterval(() => work++, 10);
      await sleep(250);
      clearInterval(busy);
      expect(collections).toEqual([]); // work every 10 ms: never quiet for 60
      const last = work;
      await sleep(200);
      expect(collections).toEqual([last]); // once, after the last piece of work
      await sleep(200);
      expect(collections).toEqual([last]); // and not again while nothing happens

      work++;
      await sleep(200);
      expect(collections).toEqual([last, last + 1]);
    } finally {
      collector.stop();
    }
  });

  it('collects after the first quiet spell, then only once the heap grew by minGrowthBytes since the last collection', async () => {
    let work = 0;
    let heap = 100;
    const collections: number[] = [];
    const collector = collectWhenIdle({
      work: () => work, idleMs: 40, minGrowthBytes: 50, heapSize: () => heap,
      collect: () => { collections.push(heap); heap = 110; }, // what the collection leaves
    });
    try {
      work++; // the first quiet spell collects what starting left, down to 110
      await sleep(150);
      expect(collections).toEqual([100]);
      work++; heap = 140; // a light quiet spell: +30
      await sleep(150);
      expect(collections).toEqual([100]);
      work++; heap = 170; // +60 since the collection: collected
      await sleep(150);
      expect(collections).toEqual([100, 170]);
      work++; heap = 150; // +40: not again
      await sleep(150);
      expect(collections).toEqual([100, 170]);
    } finally {
      collector.stop();
    }
  });

  it('runs a real full collection: the heap it reports shrinks by the garbage left behind', async () => {
    // What --expose-gc gives the server, obtained here without the flag.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    let work = 0;
    const reported = new Promise<{ heapBefore: number; heapAfter: number }>((resolve) => {
      const collector = collectWhenIdle({ work: () => work, idleMs: 40, collect: gc, minGrowthBytes: 0, onCollected: (info) => { collector.stop(); resolve(info); } });
    });
    // Work that leaves garbage in the old generation, as turns in flight do under load: objects
    // that lived through collections (here two) before they were dropped.
    let garbage: unknown[] | undefined = Array.from({ length: 200_000 }, (_, i) => ({ i, text: `message ${i}` }));
    gc();
    gc();
    work++;
    garbage = undefined;
    const { heapBefore, heapAfter } = await reported;
    expect(garbage).toBeUndefined();
    expect(heapBefore - heapAfter).toBeGreaterThan(5_000_000);
  });
});
