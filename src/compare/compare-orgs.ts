import { KINDS_TOP_DOWN } from '../kinds/index.js';
import type { Json } from '../model/errors.js';
import { createIgnoreMatcher } from '../model/glob.js';
import type { Kind } from '../model/kinds.js';
import type { DesiredResource, LiveResource } from '../model/resource.js';
import type { DesiredState, LiveState } from '../model/state.js';
import type { TargetDescription } from '../model/target.js';
import { compareStrings, diffAttributes, jsonEqual, orderFields } from '../plan/index.js';
import type { CompareField, CompareItem, CompareLiveFacts, CompareReport } from './report.js';
import { isPlainObject } from '../model/object.js';

/** One org to compare: the files as loaded for its environment, and what the org holds. */
export interface CompareSide {
  environment: string;
  target: TargetDescription;
  desired: DesiredState;
  live: LiveState;
}

/**
 * Compares two orgs. Pure. Entities are matched by their natural key (the key plan matches them by), for the kinds
 * the files manage (for either environment) that were read in both orgs; a key an `ignore` pattern of either
 * environment covers, and that neither declares, is left out, as plan leaves it alone.
 *
 * An entity only one environment's files declare (through its `include`) and only that environment's org holds is
 * no difference either: it is counted, not reported.
 *
 * A field is compared org against org, except where the files write it with a var whose values differ between the
 * two environments: there each org is held to its own environment's value, so a receiver URL that differs by design
 * is no difference, while production holding sandbox's URL is one, reported with what each org should hold.
 *
 * Secrets are not compared: their values are never read, and a webhook's secret fingerprint is keyed by its org, so
 * equal secrets give different fingerprints in two orgs (and showing that two orgs share a secret would be a leak of
 * its own).
 */
export function compareOrgs(a: CompareSide, b: CompareSide): CompareReport {
  const managed = new Set<Kind>([...a.desired.managedKinds, ...b.desired.managedKinds]);
  const compared = KINDS_TOP_DOWN.filter(
    (k) => managed.has(k) && a.live.readKinds.has(k) && b.live.readKinds.has(k),
  );
  const items: CompareItem[] = [];
  let varFieldsInOrder = 0;
  let oneEnvironmentEntities = 0;
  for (const kind of compared) {
    const liveA = a.live.resources[kind] as ReadonlyMap<string, LiveResource>;
    const liveB = b.live.resources[kind] as ReadonlyMap<string, LiveResource>;
    const declaredA = a.desired.resources[kind] as ReadonlyMap<string, DesiredResource>;
    const declaredB = b.desired.resources[kind] as ReadonlyMap<string, DesiredResource>;
    const ignoredA = createIgnoreMatcher(a.desired.ignore[kind] ?? []);
    const ignoredB = createIgnoreMatcher(b.desired.ignore[kind] ?? []);
    const ignored = (r: LiveResource): boolean => {
      if (declaredA.has(r.key) || declaredB.has(r.key)) return false;
      const of = (k: string) => ignoredA(k) || ignoredB(k);
      return of(r.key) || (r.live.duplicateOf !== undefined && of(r.live.duplicateOf));
    };
    const keys = [...new Set([...liveA.keys(), ...liveB.keys()])].sort(compareStrings);
    for (const key of keys) {
      const ra = liveA.get(key);
      const rb = liveB.get(key);
      if ((ra && ignored(ra)) || (rb && ignored(rb))) continue;
      // An entity only one environment declares (its `include`), held only by that environment's org, is by design.
      if (!rb && ra) {
        if (declaredA.has(key) && !declaredB.has(key)) oneEnvironmentEntities++;
        else items.push({ kind, key, class: 'only-in-a', a: factsOf(ra), b: null });
      } else if (!ra && rb) {
        if (declaredB.has(key) && !declaredA.has(key)) oneEnvironmentEntities++;
        else items.push({ kind, key, class: 'only-in-b', a: null, b: factsOf(rb) });
      } else if (ra && rb) {
        const found = compareFields(kind, ra, rb, declaredA.get(key), declaredB.get(key));
        varFieldsInOrder += found.inOrder;
        if (found.fields.length > 0)
          items.push({ kind, key, class: 'differs', fields: found.fields, a: factsOf(ra), b: factsOf(rb) });
      }
    }
  }
  const count = (c: CompareItem['class']) => items.filter((i) => i.class === c).length;
  return {
    formatVersion: 1,
    a: { environment: a.environment, target: a.target },
    b: { environment: b.environment, target: b.target },
    differ: items.length > 0,
    comparedKinds: compared,
    secretsCompared: false,
    summary: {
      'only-in-a': count('only-in-a'),
      'only-in-b': count('only-in-b'),
      differs: count('differs'),
      varFieldsInOrder,
      oneEnvironmentEntities,
    },
    items,
  };
}

function factsOf(r: LiveResource): CompareLiveFacts {
  return {
    id: r.live.id,
    lastModifiedBy: r.live.lastModifiedBy ?? null,
    dtLastModified: r.live.dtLastModified ?? null,
    ...(r.live.duplicateOf !== undefined ? { duplicateOf: r.live.duplicateOf } : {}),
  };
}

/** The top-level attribute a field path names (`settings.site` is in `settings`; attribute names hold no dot). */
function attributeOf(path: string): string {
  const dot = path.indexOf('.');
  return dot === -1 ? path : path.slice(0, dot);
}

/** The value at a field path as the plan's diff writes it: an attribute, or `<attribute>.<entry>` of an object. */
function valueAt(attributes: object, path: string): Json {
  const attrs = attributes as Record<string, unknown>;
  const top = attributeOf(path);
  let v: unknown = attrs[top];
  if (top !== path) v = isPlainObject(v) ? v[path.slice(top.length + 1)] : undefined;
  return v === undefined ? null : (v as Json);
}

/** The plan's rule: a missing value and `null` are alike; otherwise deep equality. */
function same(x: Json, y: Json): boolean {
  return (x === null && y === null) || jsonEqual(x, y);
}

function compareFields(
  kind: Kind,
  ra: LiveResource,
  rb: LiveResource,
  da: DesiredResource | undefined,
  db: DesiredResource | undefined,
): { fields: CompareField[]; inOrder: number } {
  // Only an entity both environments declare has an expected value on each side.
  const vars = new Set<string>(da && db ? [...(da.varAttributes ?? []), ...(db.varAttributes ?? [])] : []);
  const paths = new Set(diffAttributes(kind, ra.attributes, rb.attributes).map((f) => f.field));
  if (da && db && vars.size > 0) {
    for (const [live, want] of [
      [ra, da],
      [rb, db],
    ] as const)
      for (const f of diffAttributes(kind, live.attributes, want.attributes))
        if (vars.has(attributeOf(f.field))) paths.add(f.field);
  }
  const rank = orderFields(kind, [...paths].map(attributeOf));
  const ordered = [...paths].sort(
    (x, y) => rank.indexOf(attributeOf(x)) - rank.indexOf(attributeOf(y)) || compareStrings(x, y),
  );
  const fields: CompareField[] = [];
  let inOrder = 0;
  for (const field of ordered) {
    const a = valueAt(ra.attributes, field);
    const b = valueAt(rb.attributes, field);
    if (da && db && vars.has(attributeOf(field))) {
      const ea = valueAt(da.attributes, field);
      const eb = valueAt(db.attributes, field);
      // Where both environments give the field one value, it is compared org against org like any other.
      if (!same(ea, eb)) {
        if (same(a, ea) && same(b, eb)) inOrder++;
        else fields.push({ field, a, b, expected: { a: ea, b: eb } });
        continue;
      }
    }
    if (!same(a, b)) fields.push({ field, a, b });
  }
  return { fields, inOrder };
}
