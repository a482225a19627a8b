import { checkCalculation } from '../calc/index.js';
import type { BuildContext } from './context.js';
import { valueCharPosition } from './scalar-position.js';

/**
 * The offline check of a rule's calculation (src/calc/): each problem is an issue at the offending character's line
 * and column in the file, block scalars included.
 */
export function checkRuleCalculation(
  ctx: BuildContext,
  pointer: string,
  calculation: string,
  eventName: string | undefined,
): void {
  for (const d of checkCalculation(calculation, eventName)) {
    ctx.issues.push({
      severity: d.severity,
      code: d.code,
      file: ctx.parsed.file,
      ...valueCharPosition(ctx.parsed, pointer, calculation, d.at),
      pointer,
      message: d.message,
      ...(d.hint !== undefined ? { hint: d.hint } : {}),
    });
  }
}
