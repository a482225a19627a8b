import { CONFIG_SECTION } from '../kinds/index.js';
import type { Kind } from '../model/kinds.js';
import type { AdapterSpec, KindAdapter, LiveClient } from './contract.js';
import { readListChecked } from './check-list.js';
import { asEntity } from './entity.js';
import { ApiError, NotServedEndpointError, UnconfirmedEndpointError } from '../model/errors.js';
import { type Collection, orgPath, segmentsOf, UNCONFIRMED } from './paths.js';

/**
 * A kind's adapter from its declaration: the reads and writes every kind shares, written once. Creates and updates
 * send the kind's body (an update adds the pinned `version`), then let the kind settle what the server ignored;
 * reads keep only the collection's items of this kind.
 */
export function defineAdapter<K extends Kind>(spec: AdapterSpec<K>): KindAdapter<K> {
  const { pageSize, what } = spec.collection;
  const path = (client: LiveClient, id?: string): string => {
    const segments = segmentsOf(spec.collection, client.paths);
    return id === undefined ? orgPath(client.orgId, ...segments) : orgPath(client.orgId, ...segments, id);
  };
  const fromList: KindAdapter<K>['fromList'] = (items, ids) => {
    const out = [];
    for (const item of items) {
      const raw = asEntity(item, what);
      if (spec.accepts(raw)) out.push(spec.normalize(raw, ids));
    }
    return out;
  };
  // A 404 on a path m3ter never published says the guess is wrong for this org, and one on a newer API says this
  // org's m3ter lacks it: one error that says so and how to go on, instead of a bare 404. A 404 on another path, or
  // on one entity, stays what it is.
  const { unconfirmed, mayBeAbsent } = spec.collection;
  const named = <T>(client: LiveClient, method: string, call: Promise<T>): Promise<T> =>
    unconfirmed === undefined && mayBeAbsent === undefined
      ? call
      : call.catch((error: unknown) => {
          if (error instanceof ApiError && error.status === 404)
            throw unconfirmed === undefined
              ? notServedError(client, spec.kind, method, spec.collection, error)
              : unconfirmedError(client, spec.kind, method, { ...spec.collection, unconfirmed }, error);
          throw error;
        });
  const listRaw: KindAdapter<K>['listRaw'] = (client, query, options) =>
    named(client, 'GET', readListChecked(client, path(client), pageSize, `${what}s`, query, options));
  return {
    ...spec,
    path,
    listRaw,
    fromList,
    async create(client, desired, ctx) {
      const created = spec.normalize(
        asEntity(await named(client, 'POST', client.post(path(client), await spec.body(desired, ctx))), what),
        ctx.ids,
      );
      return spec.settle ? spec.settle(client, created, desired, ctx) : created;
    },
    async update(client, id, version, desired, ctx) {
      const body = { ...(await spec.body(desired, ctx)), version };
      const updated = spec.normalize(asEntity(await client.put(path(client, id), body), what), ctx.ids);
      return spec.settle ? spec.settle(client, updated, desired, ctx) : updated;
    },
    async remove(client, id) {
      await client.delete(path(client, id));
    },
    async read(client, id, ids) {
      const raw = await client.get(path(client, id));
      if (raw === undefined) return undefined;
      const entity = asEntity(raw, what);
      return spec.accepts(entity) ? spec.normalize(entity, ids) : undefined;
    },
    async findByKey(client, key, ids) {
      return fromList(await listRaw(client, spec.keyQuery?.(key, ids)), ids).filter((r) => r.key === key);
    },
  };
}

/** The error of a 404 on the collection of an API this org's m3ter may not serve: what it is, and what to leave out. */
function notServedError(
  client: LiveClient,
  kind: Kind,
  method: string,
  collection: Collection,
  cause: ApiError,
): NotServedEndpointError {
  const shown = `/${segmentsOf(collection, client.paths).join('/')}`;
  const section = CONFIG_SECTION[kind];
  return new NotServedEndpointError(
    kind,
    `m3ter answered 404 to ${method} ${shown}: this org's m3ter does not serve ${collection.what}s; ` +
      `leave the ${section} section, and references to them, out of the config to go on without them`,
    { method, path: shown, sections: [section] },
    { cause },
  );
}

/** The error of a 404 on a guessed path: what is unconfirmed, the variable that sets it, and what to leave out. */
function unconfirmedError(
  client: LiveClient,
  kind: Kind,
  method: string,
  collection: Collection & { unconfirmed: keyof typeof UNCONFIRMED },
  cause: ApiError,
): UnconfirmedEndpointError {
  const { what } = collection;
  const { variable, sections } = UNCONFIRMED[collection.unconfirmed];
  const shown = `/${segmentsOf(collection, client.paths).join('/')}`;
  const set = client.paths?.[collection.unconfirmed] !== undefined;
  return new UnconfirmedEndpointError(
    kind,
    `m3ter answered 404 to ${method} ${shown}: the path of m3ter's ${what}s API is unconfirmed (m3ter has not ` +
      `published it; ${set ? `${variable} sets it to ${shown}` : `${shown} is m3ter-config's guess`}). ` +
      `Set ${variable} to the path your org serves them at, under /organizations/{orgId}/, ` +
      `or leave the ${sections.join(' and ')} sections out of the config to go on without them`,
    { method, path: shown, variable, sections: [...sections] },
    { cause },
  );
}
