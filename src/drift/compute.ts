import { fingerprintsSecrets, KINDS_TOP_DOWN } from '../kinds/index.js';
import type { Json } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';
import type { Change } from '../model/plan.js';
import type { DesiredResource, LiveResource } from '../model/resource.js';
import type { DesiredState, LiveState } from '../model/state.js';
import type { TargetDescription } from '../model/target.js';
import { compareStrings, createPlan, SECRETS_FIELD_CHANGE } from '../plan/index.js';
import { type ApplyRecord, attributesDigest, type RecordedEntity } from './record.js';
import {
  DRIFT_CLASSES,
  type DriftClass,
  type DriftDirection,
  type DriftItem,
  type DriftReport,
  emptySummary,
  type ResolvedItem,
} from './report.js';

export interface DriftOptions {
  target: TargetDescription;
  /** Webhook keys whose live secret fingerprint does not match the files' secrets (as for a plan). */
  secretMismatch: ReadonlySet<string>;
  /** `--since RECORD`: the apply record to judge directions against. */
  since?: ApplyRecord;
}

/**
 * The drift between the files and the live org. Pure. It is the plan's own diff (createPlan, with no secret rotation
 * and no safety rule), read the other way round: a create is `missing`, a delete `unmanaged`, an update's attribute
 * fields `modified` and its secret re-send `secret`. So drift and plan can never disagree about what differs.
 */
export function computeDrift(desired: DesiredState, live: LiveState, options: DriftOptions): DriftReport {
  const plan = createPlan(desired, live, {
    target: options.target,
    rotateSecrets: false,
    secretMismatch: options.secretMismatch,
    deleteBudget: {},
    allowDeletes: true,
  });
  const record = options.since ? indexRecord(options.since) : undefined;
  const items: DriftItem[] = [];
  for (const change of plan.changes) {
    for (const item of itemsOf(change)) {
      item.direction = record ? directionOf(item, change, record) : 'unknown';
      items.push(item);
    }
  }
  const level = (k: Kind) => KINDS_TOP_DOWN.indexOf(k);
  items.sort(
    (a, b) =>
      DRIFT_CLASSES.indexOf(a.class) - DRIFT_CLASSES.indexOf(b.class) ||
      level(a.kind) - level(b.kind) ||
      compareStrings(a.key, b.key),
  );
  const summary = emptySummary();
  for (const i of items) summary[i.class]++;
  return {
    formatVersion: 1,
    target: options.target,
    drifted: items.length > 0,
    managedKinds: plan.managedKinds,
    summary,
    since: options.since
      ? { appliedAt: options.since.appliedAt, entities: options.since.entities.length }
      : null,
    items,
  };
}

function liveFacts(r: LiveResource): Pick<DriftItem, 'id' | 'lastModifiedBy' | 'dtLastModified'> {
  return {
    id: r.live.id,
    lastModifiedBy: r.live.lastModifiedBy ?? null,
    dtLastModified: r.live.dtLastModified ?? null,
  };
}

function declaredFacts(r: DesiredResource): Pick<DriftItem, 'source'> {
  return { source: r.source };
}

function itemsOf(change: Change): DriftItem[] {
  const base = { kind: change.kind, key: change.key, direction: 'unknown' as DriftDirection };
  switch (change.type) {
    case 'create':
      return [
        {
          ...base,
          class: 'missing',
          id: null,
          lastModifiedBy: null,
          dtLastModified: null,
          ...declaredFacts(change.desired),
        },
      ];
    case 'delete':
      return [
        {
          ...base,
          class: 'unmanaged',
          ...(change.live.live.duplicateOf !== undefined
            ? { duplicateOf: change.live.live.duplicateOf }
            : {}),
          ...liveFacts(change.live),
        },
      ];
    case 'update': {
      const out: DriftItem[] = [];
      const fields = change.fields.filter((f) => f.field !== SECRETS_FIELD_CHANGE.field);
      if (fields.length > 0) {
        out.push({
          ...base,
          class: 'modified',
          // Secret re-sends are filtered out above, so both sides are plain JSON here.
          fields: fields.map((f) => ({ field: f.field, live: f.from as Json, desired: f.to as Json })),
          ...liveFacts(change.live),
          ...declaredFacts(change.desired),
        });
      }
      if (fields.length < change.fields.length && fingerprintsSecrets(change.kind)) {
        out.push({
          ...base,
          class: 'secret',
          fingerprint: change.live.live.secretFingerprint === undefined ? 'absent' : 'changed',
          ...liveFacts(change.live),
          ...declaredFacts(change.desired),
        });
      }
      return out;
    }
  }
}

interface RecordIndex {
  managed: ReadonlySet<Kind>;
  byKey: ReadonlyMap<string, RecordedEntity>;
}

const recordKey = (kind: Kind, key: string) => `${kind}\u0000${key}`;

function indexRecord(record: ApplyRecord): RecordIndex {
  return {
    managed: new Set(record.managedKinds),
    byKey: new Map(record.entities.map((e) => [recordKey(e.kind, e.key), e])),
  };
}

/**
 * Which side moved since the recorded apply. m3ter moved when the live entity is not the recorded one (created or
 * replaced since), has another version, or is gone; the files moved when what they declare now differs from what
 * they declared then (a digest), which for an undeclared entity that existed then means the files dropped it or
 * stopped ignoring it. A secret is not in the digest: a secret item whose webhook kept its version changed in the
 * files (their secret is another one now).
 */
function directionOf(item: DriftItem, change: Change, record: RecordIndex): DriftDirection {
  if (!record.managed.has(item.kind)) return 'unknown';
  const then = record.byKey.get(recordKey(item.kind, item.key));
  const liveNow = change.type === 'create' ? undefined : change.live;
  const m3ter = liveNow
    ? then === undefined || then.id !== liveNow.live.id || then.version !== liveNow.live.version
    : then !== undefined;
  let files: boolean;
  if (item.class === 'secret') files = !m3ter;
  else if (item.class === 'unmanaged') files = then !== undefined;
  else {
    const declared = change.type === 'delete' ? undefined : change.desired;
    files = (then?.desiredDigest ?? null) !== (declared ? attributesDigest(declared.attributes) : null);
  }
  return m3ter && files ? 'both' : m3ter ? 'm3ter' : files ? 'files' : 'unknown';
}

/**
 * Marks each item `new` or `ongoing` against an earlier report (same kind, key and class), lists the earlier items
 * that are gone as `resolved`, and says whether anything changed, so a scheduled job notifies only then.
 */
export function compareWithPrevious(report: DriftReport, previous: Pick<DriftReport, 'items'>): DriftReport {
  const id = (i: ResolvedItem) => `${i.kind}\u0000${i.key}\u0000${i.class}`;
  const before = new Set(previous.items.map(id));
  const now = new Set(report.items.map(id));
  const items = report.items.map(
    (i) => ({ ...i, status: before.has(id(i)) ? 'ongoing' : 'new' }) as DriftItem,
  );
  const resolved = previous.items
    .filter((i) => !now.has(id(i)))
    .map(({ kind, key, class: c }) => ({ kind, key, class: c }));
  return {
    ...report,
    items,
    resolved,
    changedSincePrevious: resolved.length > 0 || items.some((i) => i.status === 'new'),
  };
}

/** The classes in report order, with their counts, for renderers. */
export function summaryEntries(report: DriftReport): [DriftClass, number][] {
  return DRIFT_CLASSES.map((c) => [c, report.summary[c]]);
}
