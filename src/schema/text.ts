/** Small text helpers for issue messages. */

export function quoteList(items: readonly string[]): string {
  return items.map((s) => `"${s}"`).join(', ');
}

export function upperSnake(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
