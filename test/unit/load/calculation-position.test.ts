import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/load/load-config.js';
import { parseYaml } from '../../../src/load/yaml.js';
import { scalarOffsets } from '../../../src/load/scalar-position.js';

const HEAD = `notificationRules:
  - code: spend
    name: Spend
    description: Spend alert
    eventName: configuration.commitment.updated
`;

/** The line and column (1-based) of the first `marker` in `text`. */
function positionOf(text: string, marker: string): { line: number; col: number } {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`no ${marker}`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, col: (before.at(-1) as string).length + 1 };
}

async function calculationIssues(text: string) {
  const r = await loadConfig([], { env: {}, documents: [{ file: 'rules.yaml', text }] });
  return r.issues.filter((i) => i.code === 'invalid_calculation' || i.code === 'calculation_reading');
}

/** Each way YAML (and JSON) can write a calculation; `=` is the offending character in each. */
const FORMS: [string, string][] = [
  ['plain', '    calculation: new.amountSpent >= 10 AND new.amount = 5\n'],
  ['double-quoted', '    calculation: "new.amountSpent >= 10 AND new.amount = 5"\n'],
  ['single-quoted', "    calculation: 'new.amountSpent >= 10 AND new.amount = 5'\n"],
  ['double-quoted, escapes', '    calculation: "new.currency == \\"U\\\\SD\\" AND\\n new.amount = 5"\n'],
  ['single-quoted, doubled quote', "    calculation: 'new.currency == ''x'' AND new.amount = 5'\n"],
  ['plain over lines', '    calculation: new.amountSpent >= 10\n      AND new.amount = 5\n'],
  ['double-quoted over lines', '    calculation: "new.amountSpent >= 10\n\n       AND   new.amount = 5"\n'],
  ['literal block', '    calculation: |\n      (new.amountSpent >= 10)\n      AND new.amount = 5\n'],
  [
    'literal block, strip, deeper',
    '    calculation: |-\n        (new.amountSpent >= 10)\n\n          OR\n        new.amount = 5\n',
  ],
  [
    'folded block',
    '    calculation: >\n      new.amountSpent >= 10\n      AND\n\n      new.amount = 5\n    active: true\n',
  ],
  [
    'folded block, keep, comment',
    '    calculation: >+ # a note\n      new.amountSpent >= 10\n        AND new.amount = 5\n\n',
  ],
  [
    'literal block, explicit indent',
    '    calculation: |2\n       new.amountSpent >= 10\n      AND new.amount = 5\n',
  ],
  ['CRLF literal block', '    calculation: |\r\n      new.amountSpent >= 10\r\n      AND new.amount = 5\r\n'],
];

describe('a calculation error is placed at its character in the file', () => {
  it.each(FORMS)('%s', async (_name, calc) => {
    const text = HEAD.replace(/\n/g, calc.includes('\r\n') ? '\r\n' : '\n') + calc;
    const issues = (await calculationIssues(text)).filter((i) => i.severity === 'error');
    expect(issues).toHaveLength(1);
    const expected = positionOf(text.replace(/\r\n/g, '\n'), '= 5');
    expect(issues[0]).toMatchObject({
      severity: 'error',
      code: 'invalid_calculation',
      file: 'rules.yaml',
      pointer: '/notificationRules/0/calculation',
      ...expected,
      message: "'=' is not a comparison",
      hint: 'write == to compare',
    });
  });

  it('names the field a created event lacks, in a JSON document too', async () => {
    const text = `{"notificationRules": [{"code": "c", "name": "C", "description": "C",
 "eventName": "configuration.commitment.created",
 "calculation": "new.amount > 1\\nAND old.amount < 1"}]}`;
    const issues = await calculationIssues(text);
    expect(issues).toMatchObject([
      {
        code: 'invalid_calculation',
        ...positionOf(text, 'old.amount'),
        message: expect.stringMatching(/no old/),
      },
    ]);
  });

  it('warns at each undocumented form, and the config still loads', async () => {
    const text = `${HEAD}    calculation: |\n      new.amount > 1 and\n      NOT new.amount > 5\n`;
    const r = await loadConfig([], { env: {}, documents: [{ file: 'rules.yaml', text }] });
    expect(r.state).toBeDefined();
    expect(r.issues.map((i) => [i.severity, i.code, i.line, i.col])).toEqual([
      ['warning', 'calculation_reading', 7, 22],
      ['warning', 'calculation_reading', 8, 7],
    ]);
  });

  it('checks nothing when alwaysFireEvent makes m3ter ignore the calculation', async () => {
    const text = `${HEAD}    alwaysFireEvent: true\n    calculation: new.amount = 5\n`;
    expect(await calculationIssues(text)).toEqual([]);
  });

  it('falls back to the value itself when the text does not rebuild it', () => {
    const parsed = parseYaml('a.yaml', 'a: &x "one"\nb: *x\n', { full: true });
    expect(scalarOffsets(parsed.text as string, parsed.text!.indexOf('*x'), 'one')).toBeUndefined();
  });
});

describe('placing many calculation issues', () => {
  it('reads each block scalar to its end, not the rest of the file: 4,000 warned rules load in linear time', async () => {
    let text = 'notificationRules:\n';
    for (let i = 0; i < 4000; i++)
      text += `  - code: r${i}\n    name: R\n    description: D\n    eventName: configuration.commitment.updated\n    calculation: |\n      new.amount > 1 and\n      new.amount < 5\n`;
    const started = performance.now();
    const issues = await calculationIssues(text);
    // Quadratic before: about 10 s on an idle machine; linear: well under 1 s.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(issues).toHaveLength(4000);
    expect(issues.at(-1)).toMatchObject({ line: 7 * 3999 + 7, col: 22 });
  });
});
