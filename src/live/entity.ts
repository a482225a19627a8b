import { ApiError } from '../model/errors.js';
import type { LiveMeta } from '../model/resource.js';

/** An entity as m3ter returns it: a JSON object whose fields we read defensively. */
export type RawEntity = Record<string, unknown>;

export function asEntity(value: unknown, what: string): RawEntity {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError(200, `m3ter returned something other than an object for ${what}`, {
      method: 'GET',
      path: what,
    });
  }
  return value as RawEntity;
}

export function str(raw: RawEntity, key: string): string | undefined {
  const v = raw[key];
  return typeof v === 'string' ? v : undefined;
}

export function bool(raw: RawEntity, key: string): boolean | undefined {
  const v = raw[key];
  return typeof v === 'boolean' ? v : undefined;
}

export function num(raw: RawEntity, key: string): number | undefined {
  const v = raw[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function obj(raw: RawEntity, key: string): RawEntity | undefined {
  const v = raw[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as RawEntity) : undefined;
}

/** The id of an entity; every m3ter entity has one. */
export function idOf(raw: RawEntity, what: string): string {
  const id = str(raw, 'id');
  if (!id) {
    throw new ApiError(200, `m3ter returned a ${what} without an id`, { method: 'GET', path: what });
  }
  return id;
}

/**
 * The version of an entity; every m3ter entity has one. Without it an update could not be pinned, so a missing
 * or fractional version is an error, never taken for 0.
 */
export function versionOf(raw: RawEntity, what: string): number {
  const v = raw['version'];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    const id = str(raw, 'id');
    throw new ApiError(
      200,
      `m3ter returned a ${what}${id ? ` (id ${id})` : ''} without a whole-number version; an update must carry the current version, so none is sent`,
      { method: 'GET', path: what },
    );
  }
  return v;
}

/** The server-managed fields kept aside from the diff. */
export function liveMetaOf(raw: RawEntity, what: string): LiveMeta {
  const meta: LiveMeta = { id: idOf(raw, what), version: versionOf(raw, what) };
  const modified = str(raw, 'dtLastModified');
  if (modified !== undefined) meta.dtLastModified = modified;
  const by = str(raw, 'lastModifiedBy');
  if (by !== undefined) meta.lastModifiedBy = by;
  return meta;
}

/** An entity of m3ter's and its server-managed fields: the start of every kind's normalisation. */
export function entityOf(value: unknown, what: string): { raw: RawEntity; live: LiveMeta } {
  const raw = asEntity(value, what);
  return { raw, live: liveMetaOf(raw, what) };
}
