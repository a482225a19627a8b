/**
 * The readings m3ter-config takes where m3ter's documentation of the Calculation Engine leaves a meaning open. The
 * offline check parses each of these forms as read here and warns (`calculation_reading`), never refuses: only m3ter
 * can say whether it accepts them (`validate --online`).
 */
export const CALC_READINGS = {
  /**
   * `IN(x, a, b, ...)`: the docs say only that IN "takes multiple arguments" and is true "if any of the arguments
   * are satisfied". Read as SQL's `x IN (a, b, ...)`: the first argument is tested against the others, so it takes
   * at least two.
   */
  inTests: 'first-argument',
  /** `and`, `or`, `not` in any case: every documented example writes `AND` and `OR` in upper case. Read as AND, OR, NOT. */
  keywordCase: 'any',
  /** `NOT x` (not listed among the operators): read as logical negation, binding looser than comparisons. */
  not: 'negation',
  /** `&&`, `||` and `!` (not listed): read as AND, OR and NOT. */
  symbolOperators: 'logical',
  /** `'text'` (only double quotes appear in the docs): read as a string. */
  singleQuotes: 'string',
} as const;

/** How many arguments each documented function takes (`max` undefined: no upper bound). */
export const CALC_FUNCTIONS: Readonly<Record<string, { min: number; max?: number; doc: string }>> = {
  'Math.max': { min: 2, doc: 'two or more arguments' },
  'Math.min': { min: 2, doc: 'two or more arguments' },
  'Math.floor': { min: 1, max: 2, doc: 'a value and an optional scale' },
  'Math.ceil': { min: 1, max: 2, doc: 'a value and an optional scale' },
  'Math.round': { min: 1, max: 2, doc: 'a value and an optional scale' },
  'Math.pow': { min: 2, max: 2, doc: 'exactly two arguments' },
  'Math.abs': { min: 1, max: 1, doc: 'exactly one argument' },
  isnull: { min: 2, max: 2, doc: 'exactly two arguments (SQL COALESCE of two)' },
  IN: {
    min: CALC_READINGS.inTests === 'first-argument' ? 2 : 1,
    doc: 'the value tested, then one or more values to test it against',
  },
};

/** The documented constants. */
export const CALC_CONSTANTS: readonly string[] = ['Math.PI', 'DateTime.TS_FMT'];
