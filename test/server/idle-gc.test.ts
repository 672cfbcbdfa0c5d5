import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IdleCollector } from '../../server/src/node/idle-gc.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('idle collection', () => {
  it('collects once after a burst of work, when things are calm, and not while work goes on', async () => {
    const collected: number[] = [];
    const c = new IdleCollector(40, (ms) => collected.push(ms));
    for (let i = 0; i < 5; i++) {
      c.touch();
      await sleep(10);
    }
    assert.equal(collected.length, 0, 'no collection while work keeps coming');
    await sleep(150);
    assert.equal(collected.length, 1, 'one collection after the burst');
    await sleep(100);
    assert.equal(collected.length, 1, 'nothing more without new work');
    c.touch();
    c.dispose();
    await sleep(100);
    assert.equal(collected.length, 1, 'disposed: nothing pending runs');
  });

  it('lets caches go just before each collection (and only then)', async () => {
    const events: string[] = [];
    const c = new IdleCollector(30, () => events.push('collected'), () => events.push('forget caches'));
    c.touch();
    await sleep(5);
    assert.deepEqual(events, [], 'nothing while the burst may go on');
    await sleep(120);
    assert.deepEqual(events, ['forget caches', 'collected']);
    c.dispose();
  });

  it('still collects when letting the caches go throws', async () => {
    const c = new IdleCollector(20, undefined, () => {
      throw new Error('a cache that cannot let go');
    });
    // Garbage only a full collection frees (nothing else allocates here to trigger one).
    const garbage = new WeakRef({ payload: new Array(1000).fill('x') });
    c.touch();
    await sleep(150);
    assert.equal(garbage.deref(), undefined, 'the collection ran');
    c.dispose();
  });
});
