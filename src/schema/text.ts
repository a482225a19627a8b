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

/** Work done by the edit distance, in cells of its table (read by tests that bound it). */
export const distanceWork = { cells: 0 };

function distance(a: string, b: string): number {
  distanceWork.cells += a.length * b.length;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/** The candidate closest to `s` (case-insensitive), if it is close enough to be a likely typo. */
export function closest(s: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  const lower = s.toLowerCase();
  for (const c of candidates) {
    const d = distance(lower, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(s.length / 3)) && best !== s
    ? best
    : undefined;
}

/** Up to this many candidates, a suggester compares with every one (exactly `closest`). */
const SCAN_LIMIT = 256;
/** Candidates kept per deletion variant, and compared per query, in a large set. */
const VARIANT_LIMIT = 8;
const COMPARE_LIMIT = 64;

/**
 * `closest` for many queries against one candidate set, with bounded work per query. A small set (up to 256) is
 * scanned as `closest` does. A large one is indexed once by every candidate's single-character deletions
 * (lower-cased, the "symmetric delete" scheme): a query looks up its own deletions and compares only with the
 * candidates found there (at most 64), which are those one insertion, deletion, substitution or adjacent swap
 * away. So in a large set a typo of two or more other edits gets no suggestion, and the cost per query is bounded
 * by its length instead of the size of the set.
 */
export function createSuggester(candidates: Iterable<string>): (s: string) => string | undefined {
  const all = [...candidates];
  if (all.length <= SCAN_LIMIT) return (s) => closest(s, all);
  const index = new Map<string, number[]>();
  const add = (variant: string, i: number): void => {
    const list = index.get(variant);
    if (!list) index.set(variant, [i]);
    else if (list.length < VARIANT_LIMIT && list[list.length - 1] !== i) list.push(i);
  };
  all.forEach((c, i) => {
    for (const v of deletions(c.toLowerCase())) add(v, i);
  });
  return (s) => {
    const found = new Set<number>();
    for (const v of deletions(s.toLowerCase())) {
      for (const i of index.get(v) ?? []) {
        if (found.size >= COMPARE_LIMIT) break;
        found.add(i);
      }
    }
    // In candidate order, as `closest` breaks ties.
    return closest(
      s,
      [...found].sort((a, b) => a - b).map((i) => all[i] as string),
    );
  };
}

/** `s` and every string one character shorter than it. */
function deletions(s: string): string[] {
  const out = [s];
  for (let i = 0; i < s.length; i++) out.push(s.slice(0, i) + s.slice(i + 1));
  return out;
}
