import { disabledByM3ter } from '../kinds/index.js';
import type { LinkHealth } from '../model/link-health.js';
import { type DriftItem, type DriftReport, emptySummary } from './report.js';

/**
 * The report with each link the files declare active and m3ter holds disabled moved from `modified` to its own
 * class, `disabled`, carrying what m3ter's runs say (`health`, by link key). Pure. Only a `modified` link whose one
 * difference is `active` (live false, files true) moves; the class is the last, so the moved items go to the end,
 * in key order as before.
 */
export function markDisabledLinks(report: DriftReport, health: ReadonlyMap<string, LinkHealth>): DriftReport {
  if (health.size === 0) return report;
  const kept: DriftItem[] = [];
  const moved: DriftItem[] = [];
  for (const item of report.items) {
    const h = disabledByM3ter(item.kind) && item.class === 'modified' ? health.get(item.key) : undefined;
    const onlyReenable =
      item.fields !== undefined &&
      item.fields.length > 0 &&
      item.fields.every((f) => f.field === 'active' && f.live === false && f.desired === true);
    if (!h || !onlyReenable) {
      kept.push(item);
      continue;
    }
    const { fields: _fields, ...rest } = item;
    moved.push({ ...rest, class: 'disabled', health: structuredClone(h) });
  }
  if (moved.length === 0) return report;
  const items = [...kept, ...moved];
  const summary = emptySummary();
  for (const i of items) summary[i.class]++;
  return { ...report, items, summary };
}
