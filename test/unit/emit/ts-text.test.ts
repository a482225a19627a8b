import { describe, expect, it } from 'vitest';
import { constructId, tsString, tsValue } from '../../../src/emit/ts-text.js';
import type { Json } from '../../../src/model/errors.js';
import { hostileString, seededRandom } from './hostile.js';

/** TypeScript literals of hostile strings evaluate back to exactly the string, and show nothing hidden. */
describe('ts-text', () => {
  it('tsString round-trips hostile strings and escapes controls, separators and bidi marks', () => {
    const random = seededRandom(7);
    const samples = [
      '\u2028\u2029',
      '\u202E\u2066x\u200F',
      '\u0000\u0007\u007f\u0085',
      '\ud800',
      '*/ ${x} `',
      '日本🚀é',
    ];
    for (let i = 0; i < 300; i++) samples.push(hostileString(random));
    for (const s of samples) {
      const lit = tsString(s);
      expect(new Function(`return ${lit};`)()).toBe(s);
      expect(lit).not.toMatch(
        /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\ufeff]/,
      );
    }
    expect(tsString('日本🚀é')).toBe('"日本🚀é"');
  });

  it('tsValue keeps __proto__ an own key and numbers exact', () => {
    const v = JSON.parse('{"__proto__": {"a": [1.5, -0, null, true, "x\\n"]}, "b": {}}') as Json;
    const back = new Function(`return ${tsValue(v, 0)};`)() as object;
    expect(Object.keys(back)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(back).toEqual(v);
    expect(Object.is((back as { __proto__: { a: unknown[] } })['__proto__'].a[1], -0)).toBe(true);
  });

  it('constructId is code-free, unique and stable', () => {
    const taken = new Set<string>();
    expect(constructId('webhook', 'bill alerts/prod', taken)).toBe('webhook-bill-alerts-prod');
    expect(constructId('webhook', 'bill_alerts-prod', taken)).toBe('webhook-bill_alerts-prod');
    expect(constructId('webhook', 'Bill alerts prod', taken)).toBe('webhook-Bill-alerts-prod-2');
    expect(constructId('rule', '\u202E', taken)).toMatch(/^rule-[0-9a-f]{8}$/);
  });
});
