export { compareOrgs, type CompareSide } from './compare-orgs.js';
export {
  COMPARE_CLASSES,
  type CompareClass,
  type CompareField,
  type CompareItem,
  type CompareLiveFacts,
  type CompareReport,
  type CompareSideInfo,
} from './report.js';
