import { describe, expect, it } from 'vitest';
import { errorPointerIndex } from '../../../src/load/load-config.js';
import type { Issue } from '../../../src/model/errors.js';
import { closest, createSuggester, distanceWork } from '../../../src/model/suggest.js';

describe('"did you mean" at 100,000 declared entities', () => {
  const codes = Array.from({ length: 100_000 }, (_, i) => `billing_rule_${i}`);
  let built: ((s: string) => string | undefined) | undefined;
  const large = () => (built ??= createSuggester(codes));

  it('answers 4,000 dangling references with bounded work per query', () => {
    const suggest = large();
    distanceWork.cells = 0;
    const guesses: (string | undefined)[] = [];
    for (let i = 0; i < 4_000; i++) guesses.push(suggest(`biling_rule_${i * 25}`));
    // One deletion away from its code: found through the index.
    expect(guesses.slice(0, 3)).toEqual(['billing_rule_0', 'billing_rule_25', 'billing_rule_50']);
    // At most 64 comparisons of ~16 x ~16 cells a query; a scan of all codes would be 100,000 comparisons.
    expect(distanceWork.cells).toBeLessThan(4_000 * 64 * 20 * 20);
    expect(suggest('no_such_thing_at_all')).toBeUndefined();
  });

  it('agrees with closest() for a small set', () => {
    const few = ['billing', 'alerts', 'usage_high'];
    const suggest = createSuggester(few);
    for (const q of ['biling', 'alert', 'usage_hi', 'zzz', 'Billing'])
      expect(suggest(q)).toBe(closest(q, few));
  });

  it('suggests a swapped or substituted character in a large set', () => {
    const suggest = large();
    expect(suggest('billign_rule_7')).toBe('billing_rule_7');
    expect(suggest('billing_rule_7x')).toBe('billing_rule_7');
    expect(suggest('billing_rulf_7')).toBe('billing_rule_7');
  });
});

describe('the loader’s error bookkeeping at 100,000 entities', () => {
  it('indexes 4,000 errors once and answers each entity with one probe', () => {
    const issues: Issue[] = Array.from({ length: 4_000 }, (_, i) => ({
      severity: 'error',
      code: 'schema',
      message: 'bad',
      file: 'm3ter.yaml',
      pointer: `/notificationRules/${i * 25}/calculation`,
    })) as unknown as Issue[];
    issues.push({ ...issues[0], severity: 'warning', pointer: '/webhooks/3' } as Issue);
    let reads = 0;
    const counted = issues.map((i) => new Proxy(i, { get: (t, k) => (reads++, Reflect.get(t, k)) }));
    const hasErrorUnder = errorPointerIndex(counted);
    let under = 0;
    for (let i = 0; i < 100_000; i++) if (hasErrorUnder(`/notificationRules/${i}`)) under++;
    expect(under).toBe(4_000);
    expect(hasErrorUnder('/notificationRules')).toBe(true);
    expect(hasErrorUnder('')).toBe(true);
    expect(hasErrorUnder('/webhooks/3')).toBe(false);
    expect(hasErrorUnder('/notificationRules/1/calc')).toBe(false);
    // Each issue read a couple of times while indexing, never per entity.
    expect(reads).toBeLessThanOrEqual(2 * issues.length);
  });
});
