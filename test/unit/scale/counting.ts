/** A Map that counts every element it hands out and every lookup: operation counts instead of timings. */
export class CountingMap<K, V> extends Map<K, V> {
  static ops = 0;

  override get(key: K): V | undefined {
    CountingMap.ops++;
    return super.get(key);
  }

  override has(key: K): boolean {
    CountingMap.ops++;
    return super.has(key);
  }

  override *values(): MapIterator<V> {
    for (const v of super.values()) {
      CountingMap.ops++;
      yield v;
    }
  }

  override *keys(): MapIterator<K> {
    for (const k of super.keys()) {
      CountingMap.ops++;
      yield k;
    }
  }

  override *entries(): MapIterator<[K, V]> {
    for (const e of super.entries()) {
      CountingMap.ops++;
      yield e;
    }
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  override forEach(fn: (value: V, key: K, map: Map<K, V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

/** Replaces every map of `resources` by a counting one. */
export function countingResources<T extends Record<string, Map<string, unknown>>>(resources: T): T {
  for (const kind of Object.keys(resources)) {
    (resources as Record<string, Map<string, unknown>>)[kind] = new CountingMap(resources[kind]);
  }
  return resources;
}
