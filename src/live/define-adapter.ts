import type { Kind } from '../model/kinds.js';
import type { AdapterSpec, KindAdapter, LiveClient } from './contract.js';
import { readListChecked } from './check-list.js';
import { asEntity } from './entity.js';
import { orgPath } from './paths.js';

/**
 * A kind's adapter from its declaration: the reads and writes every kind shares, written once. Creates and updates
 * send the kind's body (an update adds the pinned `version`), then let the kind settle what the server ignored;
 * reads keep only the collection's items of this kind.
 */
export function defineAdapter<K extends Kind>(spec: AdapterSpec<K>): KindAdapter<K> {
  const { segments, pageSize, what } = spec.collection;
  const path = (client: LiveClient, id?: string): string =>
    id === undefined ? orgPath(client.orgId, ...segments) : orgPath(client.orgId, ...segments, id);
  const fromList: KindAdapter<K>['fromList'] = (items, ids) => {
    const out = [];
    for (const item of items) {
      const raw = asEntity(item, what);
      if (spec.accepts(raw)) out.push(spec.normalize(raw, ids));
    }
    return out;
  };
  const listRaw: KindAdapter<K>['listRaw'] = (client, query, options) =>
    readListChecked(client, path(client), pageSize, `${what}s`, query, options);
  return {
    ...spec,
    path,
    listRaw,
    fromList,
    async create(client, desired, ctx) {
      const created = spec.normalize(
        asEntity(await client.post(path(client), await spec.body(desired, ctx)), what),
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
