export { compareWithPrevious, computeDrift, type DriftOptions, summaryEntries } from './compute.js';
export { markDisabledLinks } from './link-health.js';
export {
  type ApplyRecord,
  type ApplyRecordOptions,
  attributesDigest,
  createApplyRecord,
  type RecordedEntity,
} from './record.js';
export {
  DRIFT_CLASSES,
  type DriftClass,
  type DriftDirection,
  type DriftField,
  type DriftItem,
  type DriftReport,
  emptySummary,
  type ResolvedItem,
} from './report.js';
