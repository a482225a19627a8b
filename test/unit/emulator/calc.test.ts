import { describe, expect, it } from 'vitest';
import {
  CalcError,
  calculationHolds,
  checkCalculation,
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
