import { describe, expect, it } from 'vitest';
import { orderedChanges, sameAttributes } from '../../../src/plan/diff.js';
import { seededRandom } from '../../../src/model/random.js';

/** diffAttributes skips ordering when nothing changed; the shortcut must agree with the full diff on every pair. */
describe('diffAttributes shortcut', () => {
  it('finds "no change" exactly when the full diff finds none, on 20,000 seeded pairs', () => {
    const rnd = seededRandom(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const leaf = (): unknown =>
      pick([null, undefined, 0, 1, '', 'a', true, false, [1], [], { x: 1 }, { x: null }, {}]);
    const value = (depth: number): unknown => {
      if (depth > 0 && rnd() < 0.3) {
        const o: Record<string, unknown> = {};
        for (const k of ['p', 'q', 'r']) if (rnd() < 0.6) o[k] = value(depth - 1);
        return o;
      }
      return leaf();
    };
    const attrs = (): Record<string, unknown> => {
      const o: Record<string, unknown> = {};
      for (const k of ['name', 'url', 'settings', 'active']) if (rnd() < 0.7) o[k] = value(2);
      return o;
    };
    let same = 0;
    for (let i = 0; i < 20_000; i++) {
      const a = attrs();
      // Half the pairs start equal and are nudged a little, so "the same" is common.
      const b = rnd() < 0.5 ? attrs() : (structuredClone(a) as Record<string, unknown>);
      if (rnd() < 0.3) b[pick(['name', 'settings', 'active'])] = value(2);
      const full = orderedChanges('webhook', a, b).length === 0;
      expect(sameAttributes(a, b), JSON.stringify({ a, b })).toBe(full);
      if (full) same++;
    }
    expect(same).toBeGreaterThan(2_000);
  });
});
