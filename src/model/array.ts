/**
 * Appends every item of `items` to `into`. Unlike `into.push(...items)`, which passes each item as an argument,
 * it works for any length: a spread of a few hundred thousand items overflows the call stack.
 */
export function pushAll<T>(into: T[], items: Iterable<T>): void {
  for (const item of items) into.push(item);
}
