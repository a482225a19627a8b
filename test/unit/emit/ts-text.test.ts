import { describe, expect, it } from 'vitest';
import { constructId, tsString, tsValue } from '../../../src/emit/ts-text.js';
import type { Node } from 'typescript';
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

describe('the stack writer', () => {
  it('keeps hostile text in comments: no statement comes from a header or a problem', async () => {
    const ts = await import('typescript');
    const { stackWriter } = await import('../../../src/emit/cdktf.js');
    const payload = 'x */ process.exit(1); /* \n process.exit(2)\u2028process.exit(3) // ${"`"}';
    const empty = {
      credential: [],
      integration: [],
      webhook: [],
      scheduledEvent: [],
      notificationRule: [],
      link: [],
    };
    const files = stackWriter('cdktf')(
      {
        kinds: ['webhook'],
        entities: empty,
        ignore: { ...empty, webhook: [payload] },
        secrets: [],
        problems: [
          {
            kind: 'webhook',
            key: payload,
            id: payload,
            code: 'no_natural_key',
            message: payload,
            hint: payload,
            ignore: payload,
          },
        ],
      },
      { layout: 'single', baseName: 'm3ter', modeline: () => '', header: [payload] },
    );
    const main = files.find((f) => f.path === 'main.ts')!.text;
    const source = ts.createSourceFile('main.ts', main, ts.ScriptTarget.ES2022);
    const calls: string[] = [];
    const visit = (node: Node): void => {
      if (ts.isCallExpression(node)) calls.push(node.expression.getText(source));
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(calls.filter((c) => c.includes('exit'))).toEqual([]);
    expect(calls).toContain('app.synth');
    expect((source as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
  });
});
