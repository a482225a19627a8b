import { describe, expect, it } from 'vitest';
import { checkCalculation } from '../../../src/calc/index.js';

/** The two documented examples, as m3ter's OpenAPI example and its docs worked example write them. */
export const DOCUMENTED_EXAMPLES = [
  '(new.amountSpent >= ((new.amount*90)/100)) \nAND ((old.amountSpent <= ((old.amount*90)/100)) OR (old.amountSpent == null))',
  '(new.amountSpent >= ((new.amount*100)/90))\nAND ((old.amountSpent <= ((old.amount*100)/90)) OR (old.amountSpent == null))',
];

const UPDATED = 'configuration.commitment.updated';

/** Valid with no warning: the documented grammar. */
const VALID: [string, string][] = [
  ...DOCUMENTED_EXAMPLES.map((e): [string, string] => [e, UPDATED]),
  ['new.amount >= 5000', 'configuration.commitment.created'],
  ['new.amount - old.amount >= 1000', UPDATED],
  ['Math.max(new.amount, old.amount, 10) > 100', UPDATED],
  ['Math.min(new.amount, 10) < 5', UPDATED],
  ['Math.abs(new.amount - old.amount) > 10', UPDATED],
  ['isnull(old.amountSpent, 0) < new.amountSpent', UPDATED],
  ['(new.amount > 10 ? new.amount : 0) >= 20', UPDATED],
  ['new.amount > 10 ? true : false', UPDATED],
  ['new.amount ^ 2 > 100', UPDATED],
  ['2 ^ 3 ^ 2 == 512', UPDATED],
  ['-new.amount ^ 2 < 0', UPDATED],
  ['+new.amount > -5', UPDATED],
  ['Math.round(new.amount, 2) == Math.floor(new.amount) + Math.ceil(0.5, -1)', UPDATED],
  ['Math.pow(new.amount, 2) > Math.PI', UPDATED],
  ['new.amount % 2 == 0', UPDATED],
  ['new.currency != "USD" OR new.endDate < DateTime.TS_FMT', UPDATED],
  ['new.customFields.tier == "gold"', UPDATED],
  ['true', UPDATED],
  ['old.amount > 0', 'configuration.commitment.deleted'],
  ['new.amount\n  >= 10\n', UPDATED],
];

/** Valid, with a warning for a reading the docs leave open. */
const READINGS: [string, RegExp][] = [
  ['IN("completed", "succeeded") ? "true" : "false"', /IN\(\) tests/],
  ['IN(new.currency, "USD", "EUR")', /first argument/],
  ['new.amount > 1 and new.amount < 5', /'and' in lower or mixed case/],
  ['new.amount > 1 Or new.amount < 5', /'Or'/],
  ['NOT new.amount > 1', /NOT is not among the documented operators/],
  ['new.amount > 1 && new.amount < 5', /'&&' is not documented; read as AND/],
  ['new.amount > 1 || new.amount < 5', /'\|\|' is not documented; read as OR/],
  ['!(new.amount > 1)', /'!' is not documented/],
  ["new.currency == 'USD'", /single-quoted/],
  ['math.max(new.amount, 1) > 2', /documented Math\.max/],
];

/** Refused: the message, the 0-based character, and a hint. */
const INVALID: [string, string, RegExp, number][] = [
  ['new.amount = 5', UPDATED, /'=' is not a comparison/, 11],
  ['new.amount <> 5', UPDATED, /'<>'/, 11],
  ['new.amount > 5 & new.x < 1', UPDATED, /'&' is not an operator/, 15],
  ['Math.max(new.amount) > 1', UPDATED, /Math\.max takes two or more arguments, not 1/, 0],
  ['Math.abs(1, 2) > 1', UPDATED, /Math\.abs takes exactly one argument, not 2/, 0],
  ['Math.pow(2) > 1', UPDATED, /Math\.pow takes exactly two arguments, not 1/, 0],
  ['Math.round(1, 2, 3) > 1', UPDATED, /Math\.round takes a value and an optional scale, not 3/, 0],
  ['isnull(new.a) > 1', UPDATED, /isnull takes exactly two arguments/, 0],
  ['IN(new.a) ? 1 : 0', UPDATED, /IN takes the value tested/, 0],
  ['Math.sqrt(4) > 1', UPDATED, /unknown function 'Math\.sqrt'/, 0],
  ['old.amount > 5', 'configuration.commitment.created', /created events have no old\.\* fields/, 0],
  [
    'new.amount > 5 AND new.x > 1',
    'configuration.commitment.deleted',
    /deleted events have no new\.\* fields/,
    0,
  ],
  ['old.a > 1 OR new.amount > 5', 'billing.bill.deleted', /no new\.\* fields \(new\.amount\)/, 13],
  ['(new.amount > 5', UPDATED, /expected '\)' to close the '\(' at character 1/, 15],
  ['new.amount > 5)', UPDATED, /closes no '\('/, 14],
  ['new.amount >', UPDATED, /ends where a value is expected/, 12],
  ['new.amount + 5', UPDATED, /must be true or false, but this is a number/, 11],
  ['"yes"', UPDATED, /this is a string/, 0],
  ['', UPDATED, /empty/, 0],
  ['new.a > 1 > 0', UPDATED, /comparisons do not chain/, 10],
  ['new > 1', UPDATED, /'new' names no field/, 0],
  ['amount > 1', UPDATED, /unknown name 'amount'/, 0],
  ['New.amount > 1', UPDATED, /unknown name 'New\.amount'/, 0],
  ['new.a > 1 ? 2', UPDATED, /expected ':'/, 13],
  ['new.a == "open', UPDATED, /not closed/, 9],
  ['new.a > 1 new.b < 2', UPDATED, /unexpected 'new\.b'/, 10],
  ['new.a # 1', UPDATED, /unexpected character "#"/, 6],
  ['math.pi > 1', UPDATED, /unknown name 'math\.pi'/, 0],
  [`${'('.repeat(200)}1${')'.repeat(200)} > 0`, UPDATED, /nested too deeply/, 100],
];

describe('the offline calculation check', () => {
  it.each(VALID)('accepts %j (%s) without a word', (text, eventName) => {
    expect(checkCalculation(text, eventName)).toEqual([]);
  });

  it.each(READINGS)('accepts %j with a warning about its reading', (text, message) => {
    const found = checkCalculation(text, UPDATED);
    expect(found.every((d) => d.severity === 'warning' && d.code === 'calculation_reading')).toBe(true);
    expect(found.map((d) => d.message).join('\n')).toMatch(message);
  });

  it.each(INVALID)('refuses %j (%s) at the offending character', (text, eventName, message, at) => {
    const found = checkCalculation(text, eventName);
    const errors = found.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'invalid_calculation', at });
    expect(errors[0]?.message).toMatch(message);
  });

  it('hints at == for =', () => {
    expect(checkCalculation('new.amount = 5', UPDATED)[0]?.hint).toBe('write == to compare');
  });

  it('places the IN() warning on IN and keeps warnings before an error', () => {
    const found = checkCalculation('new.a > 1 and IN(new.b, 1, 2) and new.c = 1', UPDATED);
    expect(found.map((d) => [d.severity, d.at])).toEqual([
      ['warning', 10],
      ['warning', 14],
      ['warning', 30],
      ['error', 40],
    ]);
  });
});

describe('hostile calculations', () => {
  it('checks a calculation of operator chains nested within the limits without overflowing the stack', () => {
    // 49 levels of a 100-operator chain: under the 10,000 characters a file may hold, about 5,000 levels deep.
    let text = 'old.amount';
    for (let level = 0; level < 49; level++) text = `(${text}${'+1'.repeat(100)})`;
    text += ' == 1';
    expect(text.length).toBeLessThan(10_000);
    expect(checkCalculation(text, UPDATED)).toEqual([]);
    expect(checkCalculation(text, 'configuration.commitment.created')).toMatchObject([
      { severity: 'error', at: 49, message: expect.stringMatching(/no old\.\* fields \(old\.amount\)/) },
    ]);
  });

  it.each(['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__'])(
    'refuses %s(), a name of every JavaScript object but no documented function',
    (name) => {
      const found = checkCalculation(`${name}(1) == 1`, UPDATED);
      expect(found).toMatchObject([{ severity: 'error', at: 0, message: `unknown function '${name}'` }]);
    },
  );
});

describe('a long flat chain', () => {
  it('is refused for its length, not called nesting', () => {
    const text = Array.from({ length: 102 }, (_, i) => `new.a${i} == 1`).join(' AND ');
    const [error] = checkCalculation(text, UPDATED);
    expect(error).toMatchObject({ severity: 'error', message: "more than 100 'AND' operators in a row" });
    expect(checkCalculation(`new.a == ${'1+'.repeat(101)}1`, UPDATED)[0]?.message).toBe(
      "more than 100 '+' operators in a row",
    );
  });
});
