/**
 * Runs `work` over `items` with at most `limit` in flight. Before each start, `shouldStart` is asked; once it says
 * no, nothing more starts and the items left are returned (in order), while those in flight finish.
 * When `work` throws, the returned promise rejects with that error (the others in flight still run to their end).
 */
export async function runBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  shouldStart: () => boolean,
): Promise<T[]> {
  let next = 0;
  let stoppedAt: number | undefined;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (stoppedAt !== undefined || next >= items.length) return;
      if (!shouldStart()) {
        stoppedAt ??= next;
        return;
      }
      const item = items[next++] as T;
      await work(item);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  return stoppedAt === undefined ? [] : items.slice(stoppedAt);
}
