import { disabledByM3ter } from '../kinds/index.js';
import type { LinkHealth } from '../model/link-health.js';
import type { Plan } from '../model/plan.js';

/**
 * The plan with each link re-enable (`active: false -> true`, nothing else) of a link m3ter disabled carrying what
 * m3ter's runs say about it (`health`, by link key), so the plan labels it as drift does. Pure; changes nothing else.
 */
export function labelDisabledLinks(plan: Plan, health: ReadonlyMap<string, LinkHealth>): Plan {
  if (health.size === 0) return plan;
  return {
    ...plan,
    changes: plan.changes.map((c) => {
      const h = disabledByM3ter(c.kind) && c.type === 'update' ? health.get(c.key) : undefined;
      const reenable =
        c.type === 'update' &&
        c.fields.length > 0 &&
        c.fields.every((f) => f.field === 'active' && f.from === false && f.to === true);
      return h && reenable ? { ...c, health: structuredClone(h) } : c;
    }),
  };
}
