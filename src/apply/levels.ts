import { KINDS_BOTTOM_UP, KINDS_TOP_DOWN } from '../kinds/index.js';
import type { Kind } from '../model/kinds.js';
import type { Change } from '../model/plan.js';

/** A set of changes that may run concurrently: the creates and updates of one kind, or the deletes of one kind. */
export interface Level {
  kind: Kind;
  phase: 'upsert' | 'delete';
  changes: Change[];
}

/**
 * The level table (LEVEL in src/kinds/) applied to a plan: creates and updates top-down (credential, integration, webhook,
 * notification rule, link), then deletes bottom-up (link first), so nothing is created before what it references
 * nor deleted before what references it. Computed from the changes themselves rather than trusting their order.
 * Within a level, changes keep their plan order. Empty levels are left out.
 */
export function planLevels(changes: readonly Change[]): Level[] {
  const levels: Level[] = [];
  for (const kind of KINDS_TOP_DOWN) {
    const level = changes.filter((c) => c.kind === kind && c.type !== 'delete');
    if (level.length > 0) levels.push({ kind, phase: 'upsert', changes: level });
  }
  for (const kind of KINDS_BOTTOM_UP) {
    const level = changes.filter((c) => c.kind === kind && c.type === 'delete');
    if (level.length > 0) levels.push({ kind, phase: 'delete', changes: level });
  }
  return levels;
}
