import { KINDS, type Kind } from './kinds.js';
import type { Environment } from './environment.js';
import type { DesiredResource, LiveResource, Resource, SourceRef } from './resource.js';

/** Resources of every kind, each map keyed by the natural key. */
export type ResourcesByKind<R extends Resource = Resource> = { [K in Kind]: Map<string, R & Resource<K>> };

/** What the files declare. */
export interface DesiredState {
  resources: ResourcesByKind<DesiredResource>;
  /**
   * Kinds that appear in the files (even as an empty list). They are fully managed: live entities of such a kind
   * that the files do not declare are planned for deletion unless `ignore` matches them. Other kinds are untouched.
   */
  managedKinds: Set<Kind>;
  /** Per kind, codes or glob patterns (`*` and `?`) of live entities to leave alone. Matched against the key. */
  ignore: Record<Kind, string[]>;
  /** Where each `ignore` pattern was first written (as in `ignore`, after normalisation), for warnings about it. */
  ignoreSources?: Partial<Record<Kind, Map<string, SourceRef>>>;
  /** The files that were read, in order. */
  files: string[];
  /** The environment the files were loaded for (`--env`); absent where the files declare no `environments:`. */
  environment?: Environment;
}

/** What the API has. */
export interface LiveState {
  resources: ResourcesByKind<LiveResource>;
  /** Kinds that were read. A kind not read must not be planned against. */
  readKinds: Set<Kind>;
}

export function emptyResources<R extends Resource>(): ResourcesByKind<R> {
  return Object.fromEntries(KINDS.map((k) => [k, new Map()])) as unknown as ResourcesByKind<R>;
}

export function emptyIgnore(): Record<Kind, string[]> {
  return Object.fromEntries(KINDS.map((k) => [k, []])) as unknown as Record<Kind, string[]>;
}

export function emptyDesiredState(): DesiredState {
  return { resources: emptyResources(), managedKinds: new Set(), ignore: emptyIgnore(), files: [] };
}

export function emptyLiveState(): LiveState {
  return { resources: emptyResources(), readKinds: new Set() };
}
