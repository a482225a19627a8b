import { KINDS_TOP_DOWN, idKey, referencesOf, withReferencedKinds } from '../kinds/index.js';
import type { Kind } from '../model/kinds.js';
import type { LiveResource } from '../model/resource.js';
import { emptyLiveState, type LiveState } from '../model/state.js';
import { adapters } from './adapters.js';
import type { KindAdapter, LiveClient } from './contract.js';
import { createIdMap } from './id-map.js';

const NO_IDS = createIdMap();

/** Called with each kind's resources as soon as its list is read in full, before the other lists end. */
export type KindReadListener = <K extends Kind>(
  kind: K,
  resources: ReadonlyMap<string, LiveResource<K>>,
) => void;

/** List reads already under way, by collection path (see {@link startListReads}). */
export type StartedLists = Map<string, Promise<unknown[]>>;

/**
 * Starts reading the lists the given kinds need (with the kinds they reference), each collection once, into
 * `started`: plan and apply call it while the files are still loading, and hand the reads to readLiveState. A read
 * nobody takes in the end fails quietly; a read that is taken rejects there as usual.
 */
export function startListReads(client: LiveClient, kinds: Iterable<Kind>, started: StartedLists): void {
  for (const kind of withReferencedKinds(new Set(kinds))) {
    const adapter = adapters[kind] as unknown as KindAdapter<Kind>;
    const path = adapter.path(client);
    if (started.has(path)) continue;
    const list = adapter.listRaw(client);
    list.catch(() => undefined);
    started.set(path, list);
  }
}

/**
 * Reads the live state of the given kinds, driven by the kind registry: every page of every list, all lists at
 * once, each collection once (links and integrations share one).
 *
 * A kind that references others (REFERENCES in kinds/) needs them to turn ids into keys, so asking for it reads
 * them too, and the state reports them in `readKinds` (they were read in full). A kind is normalised as soon as its
 * list and the kinds it references are in, and `onKind` (if given) hears of it then, so a caller can start work on
 * it (the webhooks' secret fingerprints) while longer lists are still being read. A failed read, or a listener that
 * throws, rejects the whole call: a partial state would plan deletes for what could not be read. `started` holds
 * lists whose reading began earlier (startListReads); the others are read now.
 */
export async function readLiveState(
  client: LiveClient,
  kinds: ReadonlySet<Kind>,
  onKind?: KindReadListener,
  started?: StartedLists,
): Promise<LiveState> {
  const read = withReferencedKinds(kinds);
  const state = emptyLiveState();
  state.readKinds = read;

  // Each list is checked as a whole (check-list.ts) before anything is planned from it.
  const lists: StartedLists = new Map(started);
  started?.clear(); // handed over: the raw lists are held here only, and let go once normalised
  const users = new Map<string, number>();
  const listOf = (adapter: KindAdapter<Kind>): Promise<unknown[]> => {
    const path = adapter.path(client);
    users.set(path, (users.get(path) ?? 0) + 1);
    let list = lists.get(path);
    if (!list) {
      list = adapter.listRaw(client);
      lists.set(path, list);
    }
    return list;
  };
  // The raw items of a collection are let go when every kind that lives in it is normalised (memory at 50,000).
  const release = (adapter: KindAdapter<Kind>): void => {
    const path = adapter.path(client);
    const left = (users.get(path) ?? 1) - 1;
    users.set(path, left);
    if (left === 0) lists.delete(path);
  };

  const done = new Map<Kind, Promise<void>>();
  // Top-down: a kind's references sit at lower levels, so their promises exist by the time it is scheduled.
  for (const kind of KINDS_TOP_DOWN) {
    if (!read.has(kind)) continue;
    const adapter = adapters[kind] as unknown as KindAdapter<Kind>;
    const waits = referencesOf(kind).map((ref) => done.get(ref.kind));
    const items = listOf(adapter);
    done.set(
      kind,
      Promise.all([items, ...waits]).then(([all]) => {
        // Only a kind that references others needs their ids; building the map for every kind is wasted work.
        const ids = referencesOf(kind).length > 0 ? createIdMap(state) : NO_IDS;
        addAll(state.resources[kind] as Map<string, LiveResource>, adapter.fromList(all, ids));
        release(adapter);
        onKind?.(kind, state.resources[kind] as ReadonlyMap<string, LiveResource>);
      }),
    );
  }
  await Promise.all(done.values());
  return state;
}

/**
 * Adds resources by key. When two share a key (a duplicate code, or two configurations linking the same rule and
 * webhook, e.g. after two applies raced), the oldest keeps the key and the others are keyed `id:<id>` and marked
 * `duplicateOf`: nothing is hidden, and a managed kind plans their removal. m3ter lists newest first, so the oldest
 * is the last of a key in list order.
 */
function addAll(into: Map<string, LiveResource>, items: readonly LiveResource[]): void {
  for (let i = items.length - 1; i >= 0; i--) {
    const r = items[i] as LiveResource;
    if (!into.has(r.key)) into.set(r.key, r);
    else {
      const key = idKey(r.live.id);
      into.set(key, { ...r, key, live: { ...r.live, duplicateOf: r.key } });
    }
  }
}
