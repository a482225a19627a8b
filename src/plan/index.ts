export {
  createPlan,
  isSecretAdoption,
  type PlanOptions,
  planIsEmpty,
  planIsUnsafe,
  SECRETS_FIELD_CHANGE,
} from './create-plan.js';
export { compareStrings, diffAttributes, jsonEqual, orderFields } from './diff.js';
export { createIgnoreMatcher, globToRegExp } from '../model/glob.js';
export {
  checkDeleteBudget,
  checkLinkedDeletes,
  DEFAULT_DELETE_MIN_LIVE,
  DEFAULT_DELETE_PERCENT,
  DELETE_GUARD_MIN_LIVE,
  type DeleteBudget,
  deleteBudgetFor,
} from './safety.js';
