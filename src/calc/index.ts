export {
  type CalcDiagnostic,
  type CalcNode,
  calculationFields,
  checkCalculation,
  MAX_CALC_DEPTH,
} from './parse.js';
export { CALC_CONSTANTS, CALC_FUNCTIONS, CALC_READINGS } from './readings.js';
