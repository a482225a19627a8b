import { createHash } from 'node:crypto';
import { KINDS_TOP_DOWN } from '../kinds/index.js';
import type { Kind } from '../model/kinds.js';
import type { Plan } from '../model/plan.js';
import type { LiveResource } from '../model/resource.js';
import type { DesiredState, LiveState } from '../model/state.js';
import type { EnvironmentStamp } from '../model/environment.js';
import type { OrgType, TargetDescription } from '../model/target.js';
import { compareStrings } from '../plan/index.js';

/**
 * The apply record (`apply --record FILE`): what the org held right after an apply, so that a later `drift --since`
 * can tell which side moved. Per live entity of a managed kind: its id and version after the write, and a digest of
 * the attributes the files declared for it then (`null` if the files did not declare it, e.g. an ignored one). No
 * secret, no fingerprint, no attribute value.
 */
export interface ApplyRecord {
  formatVersion: 1;
  type: 'm3ter-config-apply-record';
  target: TargetDescription;
  /** The environment of the apply (`--env`, or the saved plan's); absent without environments. */
  environment?: EnvironmentStamp;
  /** The kind of org `users/me` answered for the apply, when known. */
  orgType?: OrgType;
  /** When the apply finished (ISO 8601). */
  appliedAt: string;
  /** The kinds that apply managed; drift judges no other kind against this record. */
  managedKinds: Kind[];
  entities: RecordedEntity[];
}

export interface RecordedEntity {
  kind: Kind;
  key: string;
  id: string;
  version: number;
  /** SHA-256 of the declared attributes (canonical JSON), or `null` when the files did not declare the entity. */
  desiredDigest: string | null;
}

/** SHA-256 (hex) of attributes, keys in code-point order at every depth: the same attributes give the same digest. */
export function attributesDigest(attributes: object): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(
            Object.keys(v)
              .sort(compareStrings)
              .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
              .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(sorted(attributes)))
    .digest('hex');
}

export interface ApplyRecordOptions {
  target: TargetDescription;
  appliedAt: string;
  managedKinds: readonly Kind[];
  /** The files applied. Without them (a saved plan), see {@link createApplyRecord}. */
  desired?: DesiredState;
  /** The plan applied. */
  plan?: Plan;
}

/**
 * The record of an apply, from the live state read after it. Pure. The declared attributes come from the files when
 * given; applying a saved plan there are none, so an entity the plan created or updated gets the plan's attributes
 * and any other the attributes it has live (the plan left it alone because it matched the files, or was ignored).
 */
export function createApplyRecord(after: LiveState, options: ApplyRecordOptions): ApplyRecord {
  const managed = new Set(options.managedKinds);
  const { desired } = options;
  const planned = new Map<string, object>();
  for (const c of options.plan?.changes ?? [])
    if (c.type !== 'delete') planned.set(`${c.kind}\u0000${c.key}`, c.desired.attributes);
  const declaredOf = (r: LiveResource): object | undefined =>
    desired
      ? desired.resources[r.kind].get(r.key)?.attributes
      : (planned.get(`${r.kind}\u0000${r.key}`) ?? r.attributes);
  const entities: RecordedEntity[] = [];
  for (const kind of KINDS_TOP_DOWN) {
    if (!managed.has(kind) || !after.readKinds.has(kind)) continue;
    const live = [...(after.resources[kind].values() as Iterable<LiveResource>)].sort((a, b) =>
      compareStrings(a.key, b.key),
    );
    for (const r of live) {
      const declared = declaredOf(r);
      entities.push({
        kind,
        key: r.key,
        id: r.live.id,
        version: r.live.version,
        desiredDigest: declared ? attributesDigest(declared) : null,
      });
    }
  }
  return {
    formatVersion: 1,
    type: 'm3ter-config-apply-record',
    target: options.target,
    ...(options.plan?.environment ? { environment: structuredClone(options.plan.environment) } : {}),
    ...(options.plan?.orgType ? { orgType: options.plan.orgType } : {}),
    appliedAt: options.appliedAt,
    managedKinds: KINDS_TOP_DOWN.filter((k) => managed.has(k)),
    entities,
  };
}
