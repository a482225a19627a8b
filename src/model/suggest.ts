/**
 * The one "did you mean" rule, used for unknown options, commands, keys, enum values and references alike: the
 * candidate fewest edits away (case-insensitive; an edit is an insertion, deletion, substitution or swap of
 * neighbours), when it is within a third of the word's length (at least 1, at most 3 edits); failing that, the one
 * candidate the word is a prefix of (3 characters or more), so `--auto` finds `--auto-approve`. Ties go to the
 * earlier candidate. A word equal to a candidate gets no suggestion.
 */

/** Work done by the edit distance, in cells of its table (read by tests that bound it). */
export const distanceWork = { cells: 0 };

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  distanceWork.cells += a.length * b.length;
  // Three rows of the table: two back (for swaps), one back, and the one being filled.
  let twoBack: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, (twoBack[j - 2] ?? 0) + 1);
      row.push(best);
    }
    twoBack = prev;
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** How many edits a word may be from a candidate to be taken for a typo of it. */
function editLimit(word: string): number {
  return Math.min(3, Math.max(1, Math.floor(word.length / 3)));
}

/** The shortest word a prefix suggestion is made for. */
const MIN_PREFIX = 3;

/** The candidate `word` is most likely a typo of, by the rule above; undefined when none is close enough. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  return nearest(word, candidates) ?? onlyPrefixed(word, candidates);
}

function nearest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const limit = editLimit(word);
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= limit && best !== word ? best : undefined;
}

function onlyPrefixed(word: string, candidates: readonly string[]): string | undefined {
  if (word.length < MIN_PREFIX) return undefined;
  const lower = word.toLowerCase();
  const found = new Set(candidates.filter((c) => c.toLowerCase().startsWith(lower) && c !== word));
  return found.size === 1 ? [...found][0] : undefined;
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
 * away; the prefix rule is answered from a sorted copy by binary search. So in a large set a typo of two or more
 * other edits gets no suggestion, and the cost per query is bounded by its length (and the log of the set's size)
 * instead of the size of the set.
 */
export function createSuggester(candidates: Iterable<string>): (word: string) => string | undefined {
  const all = [...candidates];
  if (all.length <= SCAN_LIMIT) return (word) => closest(word, all);
  const index = new Map<string, number[]>();
  const add = (variant: string, i: number): void => {
    const list = index.get(variant);
    if (!list) index.set(variant, [i]);
    else if (list.length < VARIANT_LIMIT && list[list.length - 1] !== i) list.push(i);
  };
  all.forEach((c, i) => {
    for (const v of deletions(c.toLowerCase())) add(v, i);
  });
  const sorted = all.map((c) => ({ lower: c.toLowerCase(), c })).sort((x, y) => compare(x.lower, y.lower));
  return (word) => {
    const found = new Set<number>();
    for (const v of deletions(word.toLowerCase())) {
      for (const i of index.get(v) ?? []) {
        if (found.size >= COMPARE_LIMIT) break;
        found.add(i);
      }
    }
    // In candidate order, as `closest` breaks ties.
    const near = nearest(
      word,
      [...found].sort((a, b) => a - b).map((i) => all[i] as string),
    );
    return near ?? onlyPrefixedSorted(word, sorted);
  };
}

function onlyPrefixedSorted(
  word: string,
  sorted: readonly { lower: string; c: string }[],
): string | undefined {
  if (word.length < MIN_PREFIX) return undefined;
  const lower = word.toLowerCase();
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare((sorted[mid] as { lower: string }).lower, lower) < 0) lo = mid + 1;
    else hi = mid;
  }
  // The candidates starting with `word` sit together from `lo`; skip `word` itself, as `closest` does.
  const found = new Set<string>();
  for (let i = lo; i < sorted.length && found.size < 2; i++) {
    const entry = sorted[i] as { lower: string; c: string };
    if (!entry.lower.startsWith(lower)) break;
    if (entry.c !== word) found.add(entry.c);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `s` and every string one character shorter than it. */
function deletions(s: string): string[] {
  const out = [s];
  for (let i = 0; i < s.length; i++) out.push(s.slice(0, i) + s.slice(i + 1));
  return out;
}
