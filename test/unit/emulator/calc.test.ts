import { describe, expect, it } from 'vitest';
import {
  CalcError,
  calculationHolds,
  checkCalculation,
  DEFAULT_CALC_READINGS,
  evaluateCalculation,
  parseCalculation,
} from '../../../src/emulator/calc.js';

/** The documented example (REFERENCE.md §3c). */
const COMMITMENT_90 =
  '(new.amountSpent >= ((new.amount*90)/100)) AND ((old.amountSpent <= ((old.amount*90)/100)) OR (old.amountSpent == null))';

const errorOf = (text: string): CalcError => {
  try {
    parseCalculation(text);
  } catch (e) {
    if (e instanceof CalcError) return e;
    throw e;
  }
  throw new Error(`parsed: ${text}`);
};

describe('the calculation language', () => {
  it('evaluates the documented example as m3ter describes it', () => {
    const crossing = { new: { amountSpent: 95, amount: 100 }, old: { amountSpent: 80, amount: 100 } };
    expect(calculationHolds(COMMITMENT_90, crossing)).toBe(true);
    const already = { new: { amountSpent: 97, amount: 100 }, old: { amountSpent: 95, amount: 100 } };
    expect(calculationHolds(COMMITMENT_90, already)).toBe(false);
    const first = { new: { amountSpent: 95, amount: 100 }, old: {} };
    expect(calculationHolds(COMMITMENT_90, first)).toBe(true);
    expect(calculationHolds(COMMITMENT_90, { new: { amountSpent: 10, amount: 100 } })).toBe(false);
  });

  it('has the usual precedence and any-case keywords', () => {
    const e = { new: { a: 2, b: 3, s: 'x', ok: true, nested: { n: 4 } } };
    expect(calculationHolds('new.a + new.b * 2 == 8', e)).toBe(true);
    expect(calculationHolds('(new.a + new.b) * 2 == 10', e)).toBe(true);
    expect(calculationHolds('new.b % new.a == 1 and -new.a < 0', e)).toBe(true);
    expect(calculationHolds('NOT new.a > 1 OR new.s == "x"', e)).toBe(true);
    expect(calculationHolds("not (new.a > 1) or new.s == 'y'", e)).toBe(false);
    expect(calculationHolds('new.ok AND new.nested.n >= 4', e)).toBe(true);
    expect(calculationHolds('new.ok == true AND false == false', e)).toBe(true);
  });

  it('treats null and mismatched types conservatively', () => {
    const e = { new: { a: 1, s: '1' } };
    expect(calculationHolds('new.missing == null', e)).toBe(true);
    expect(calculationHolds('new.a != null', e)).toBe(true);
    expect(calculationHolds('new.missing + 1 == null', e)).toBe(true);
    expect(calculationHolds('new.missing > 0', e)).toBe(false);
    expect(calculationHolds('new.missing < 0', e)).toBe(false);
    expect(calculationHolds('new.a == new.s', e)).toBe(false);
    expect(calculationHolds('new.a / 0 == null', e)).toBe(true);
    expect(calculationHolds('old.a == null', e)).toBe(true);
  });

  it('reports where a calculation is wrong, with the fix', () => {
    expect(errorOf('new.a = 1')).toMatchObject({ at: 6 });
    expect(errorOf('new.a = 1').message).toMatch(/write ==.*character 7/);
    expect(errorOf('new.a > 1 && new.b').message).toMatch(/AND, OR or NOT/);
    expect(errorOf('(new.a > 1').message).toMatch(/expected '\)'/);
    expect(errorOf('amount > 1').message).toMatch(/new\.<field> or old\.<field>/);
    expect(errorOf('new.a > 1 > 2').message).toMatch(/do not chain/);
    expect(errorOf('new.s == "open').message).toMatch(/unterminated/);
    expect(errorOf('new.a >').message).toMatch(/the end/);
    expect(errorOf('   ').message).toMatch(/empty/);
  });

  it('checks a calculation against its event type', () => {
    expect(() => checkCalculation(COMMITMENT_90, 'configuration.commitment.updated')).not.toThrow();
    expect(() => checkCalculation(COMMITMENT_90, 'configuration.commitment.created')).toThrow(
      /no old\.\* fields/,
    );
    expect(() => checkCalculation('new.amount > 1', 'configuration.commitment.deleted')).toThrow(
      /no new\.\*/,
    );
    expect(() => checkCalculation('new.amount * 2', 'billing.bill.created')).toThrow(/Boolean/);
    expect(() => checkCalculation('new.paid', 'billing.bill.created')).not.toThrow();
  });
});

describe('the whole documented grammar', () => {
  const event = { new: { amount: 150, amountSpent: 95, currency: 'USD', neg: -2.5 }, old: { amount: 100 } };
  const value = (text: string) => evaluateCalculation(parseCalculation(text), event);

  it.each([
    ['2 ^ 3', 8],
    ['2 ^ 3 ^ 2', 512],
    ['-2 ^ 2', -4],
    ['2 ^ -1', 0.5],
    ['+new.amount', 150],
    ['- -new.amount', 150],
    ['Math.max(new.amount, old.amount, 7)', 150],
    ['Math.min(new.amount, old.amount)', 100],
    ['Math.abs(old.amount - new.amount)', 50],
    ['Math.pow(2, 10)', 1024],
    ['Math.round(2.5)', 3],
    ['Math.round(new.neg)', -3],
    ['Math.round(1.005, 2)', 1.01],
    ['Math.round(1234.5, -2)', 1200],
    ['Math.floor(2.79, 1)', 2.7],
    ['Math.ceil(2.71, 1)', 2.8],
    ['Math.floor(-2.5)', -3],
    ['Math.PI > 3.14 AND Math.PI < 3.15', true],
    ['DateTime.TS_FMT', "yyyy-MM-dd'T'HH:mm:ss.SSSX"],
    ['isnull(old.amountSpent, 0)', 0],
    ['isnull(new.amountSpent, 0)', 95],
    ['isnull(old.missing, old.other)', null],
    ['new.amount > 100 ? "big" : "small"', 'big'],
    ['new.amount > 200 ? 1 : new.amount > 100 ? 2 : 3', 2],
    ['old.missing > 1 ? 1 : 0', 0],
    ['IN(new.currency, "EUR", "USD")', true],
    ['IN(new.currency, "EUR", "GBP")', false],
    ['IN("completed", "succeeded") ? "true" : "false"', 'false'],
    ['Math.max(new.amount, old.missing)', null],
    ['new.amount % 7', 3],
  ])('%s is %j', (text, expected) => {
    expect(value(text)).toEqual(expected);
  });

  it('reads the open forms by its calcReadings option', () => {
    const any = { ...DEFAULT_CALC_READINGS, inTests: 'any' as const, symbolOperators: true };
    expect(calculationHolds('IN(new.a > 1, new.a < 0)', { new: { a: 2 } }, any)).toBe(true);
    expect(calculationHolds('new.a > 1 && !(new.a > 5) || false', { new: { a: 2 } }, any)).toBe(true);
    expect(() => parseCalculation('new.a > 1 && new.a < 5')).toThrow(/'&&' is not an operator/);
    expect(() => parseCalculation('IN(new.a)')).toThrow(/IN takes at least 2 arguments, not 1/);
    expect(() => parseCalculation('IN(new.a)', any)).not.toThrow();
    const strict = { ...DEFAULT_CALC_READINGS, anyCaseKeywords: false, not: false, singleQuotes: false };
    expect(() => parseCalculation('new.a > 1 and new.a < 5', strict)).toThrow(
      /unknown name 'and'|unexpected/,
    );
    expect(() => parseCalculation('NOT new.a > 1', strict)).toThrow(/NOT is not an operator/);
    expect(() => parseCalculation("new.s == 'x'", strict)).toThrow(/unexpected character/);
    expect(calculationHolds('NOT new.a > 1', { new: { a: 0 } })).toBe(true);
  });

  it('refuses wrong arity and unknown functions', () => {
    expect(errorOf('Math.max(1) > 0').message).toMatch(/Math\.max takes at least 2 arguments, not 1/);
    expect(errorOf('Math.abs(1, 2) > 0').message).toMatch(/Math\.abs takes 1 arguments, not 2/);
    expect(errorOf('Math.round(1, 2, 3) > 0').message).toMatch(/1 to 2/);
    expect(errorOf('isnull(1) > 0').message).toMatch(/isnull takes 2/);
    expect(errorOf('Math.sqrt(4) > 0').message).toMatch(/unknown function 'Math\.sqrt'/);
    expect(errorOf('new.a > 1 ? 2').message).toMatch(/expected ':'/);
  });

  it('evaluate-style checks accept the documented forms and refuse non-Boolean tops', () => {
    const updated = 'configuration.commitment.updated';
    for (const ok of [
      'Math.max(new.amount, old.amount) > 100',
      'Math.abs(new.amount - old.amount) >= 10',
      'isnull(old.amountSpent, 0) < new.amountSpent',
      'new.amount > 10 ? true : false',
      'new.amount ^ 2 > 100',
      'IN(new.currency, "USD")',
    ])
      expect(() => checkCalculation(ok, updated), ok).not.toThrow();
    expect(() => checkCalculation('Math.abs(new.amount)', updated)).toThrow(/Boolean/);
    expect(() => checkCalculation('new.amount ^ 2', updated)).toThrow(/Boolean/);
    expect(() => checkCalculation('isnull(old.a, 1) > 0', 'billing.bill.created')).toThrow(/no old/);
  });
});

describe('Math.round half up, exactly', () => {
  it.each([
    ['Math.round(0.49999999999999994) == 0', true],
    ['Math.round(-0.49999999999999994) == 0', true],
    ['Math.round(4503599627370495.5) == 4503599627370496', true],
    ['Math.round(2.5) == 3', true],
    ['Math.round(-2.5) == -3', true],
    ['Math.round(1.005, 2) == 1.01', true],
  ])('%s', (text, holds) => {
    expect(calculationHolds(text, {})).toBe(holds);
  });
});
