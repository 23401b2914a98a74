import { describe, expect, it } from 'vitest';
import { mapConcurrent } from '../../src/bundle/concurrency.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('mapConcurrent', () => {
  it('keeps the order of the items and at most `limit` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapConcurrent(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async (n) => {
        most = Math.max(most, ++inFlight);
        await tick();
        inFlight--;
        return n * 2;
      },
    );
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    expect(most).toBe(4);
  });

  it('throws the first failure after the calls in flight settle, and starts no more', async () => {
    const started: number[] = [];
    let settled = 0;
    await expect(
      mapConcurrent([0, 1, 2, 3, 4, 5, 6, 7], 2, async (n) => {
        started.push(n);
        await tick();
        settled++;
        if (n === 1) throw new Error('boom');
        return n;
      }),
    ).rejects.toThrow('boom');
    expect(started).toEqual([0, 1, 2]);
    expect(settled).toBe(started.length);
  });

  it('handles no items', async () => {
    expect(await mapConcurrent([], 64, async () => 1)).toEqual([]);
  });
});
