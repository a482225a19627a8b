/** How the emulator reads the forms m3ter's docs leave open (the `calcReadings` option). */
export interface CalcReadings {
  /**
   * `IN(...)`: `'first'` tests the first argument against the others (SQL's `x IN (a, b)`); `'any'` is true when
   * any argument is `true`.
   */
  readonly inTests: 'first' | 'any';
  /** `and`, `or`, `not` in lower or mixed case are keywords (else only upper case is). */
  readonly anyCaseKeywords: boolean;
  /** `NOT` (not among the documented operators) is accepted as negation. */
  readonly not: boolean;
  /** `&&`, `||`, `!` are accepted as AND, OR, NOT (else refused). */
  readonly symbolOperators: boolean;
  /** `'text'` is a string (else only double quotes make one). */
  readonly singleQuotes: boolean;
}

export const DEFAULT_CALC_READINGS: CalcReadings = {
  inTests: 'first',
  anyCaseKeywords: true,
  not: true,
  symbolOperators: false,
  singleQuotes: true,
};
