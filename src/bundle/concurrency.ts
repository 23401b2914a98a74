/** How many certificates a plan issues at once by default: enough to keep libuv's pool busy. */
export const DEFAULT_CONCURRENCY = 64;

/**
 * `fn` over `items` with at most `limit` calls in flight, results in the items' order. Key
 * generation and signing run on libuv's thread pool, so a few dozen in flight use every core
 * without holding thousands of pending keys in memory. The first failure stops new calls and is
 * thrown once those in flight have settled.
 */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
