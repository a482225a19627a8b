import type { Kind } from '../model/kinds.js';
import type { LiveResource } from '../model/resource.js';
import { emptyLiveState, type LiveState } from '../model/state.js';
import type { LiveClient } from './contract.js';
import { readListChecked } from './check-list.js';
import { asEntity, idKey } from './entity.js';
import { credentialsPath, isStandaloneCredential, normalizeCredential } from './credentials.js';
import { createIdMap } from './id-map.js';
import { isLink, linksPath, normalizeLink } from './links.js';
import { normalizeRule, rulesPath } from './notification-rules.js';
import { MAX_PAGE_SIZE } from './paths.js';
import { normalizeWebhook, webhooksPath } from './webhooks.js';

/** Called with each kind's resources as soon as its list is read in full, before the other lists end. */
export type KindReadListener = <K extends Kind>(
  kind: K,
  resources: ReadonlyMap<string, LiveResource<K>>,
) => void;

/**
 * Reads the live state of the given kinds: every page of every list, all lists at once, each list checked as a
 * whole (check-list.ts) before anything is made of it.
 *
 * Links need the webhooks and rules to turn ids into codes, so asking for links reads all three; the state then
 * reports all three in `readKinds` (they were read in full). A failed read rejects the whole call: a partial state
 * would plan deletes for what could not be read.
 *
 * Each kind is normalised as soon as its list ends, and `onKind` (if given) hears of it then, so a caller can
 * start work on it (the webhooks' secret fingerprints) while longer lists are still being read. A listener that
 * throws fails the read.
 */
export async function readLiveState(
  client: LiveClient,
  kinds: ReadonlySet<Kind>,
  onKind?: KindReadListener,
): Promise<LiveState> {
  const read = new Set<Kind>(kinds);
  if (read.has('link')) {
    read.add('webhook');
    read.add('notificationRule');
  }
  const state = emptyLiveState();
  state.readKinds = read;
  const none = Promise.resolve<unknown[]>([]);
  const done = <K extends Kind>(kind: K) => {
    if (read.has(kind)) onKind?.(kind, state.resources[kind] as ReadonlyMap<string, LiveResource<K>>);
  };
  const [, , links] = await Promise.all([
    (read.has('webhook')
      ? readListChecked(client, webhooksPath(client), MAX_PAGE_SIZE.webhook, 'webhook destinations')
      : none
    ).then((webhooks) => {
      addAll(state.resources.webhook, webhooks.map(normalizeWebhook));
      done('webhook');
    }),
    (read.has('notificationRule')
      ? readListChecked(client, rulesPath(client), MAX_PAGE_SIZE.notificationRule, 'notification rules')
      : none
    ).then((rules) => {
      addAll(state.resources.notificationRule, rules.map(normalizeRule));
      done('notificationRule');
    }),
    read.has('link')
      ? readListChecked(client, linksPath(client), MAX_PAGE_SIZE.link, 'integration configurations')
      : none,
    (read.has('credential')
      ? readListChecked(client, credentialsPath(client), MAX_PAGE_SIZE.credential, 'integration credentials')
      : none
    ).then((credentials) => {
      addAll(
        state.resources.credential,
        credentials
          .filter((raw) => isStandaloneCredential(asEntity(raw, 'integration credential')))
          .map(normalizeCredential),
      );
      done('credential');
    }),
  ]);

  // Links last: their ids resolve against the webhooks and rules, which are all in by now.
  const ids = createIdMap(state);
  addAll(
    state.resources.link,
    links
      .filter((raw) => isLink(asEntity(raw, 'integration configuration')))
      .map((raw) => normalizeLink(raw, ids)),
  );
  done('link');
  return state;
}

/**
 * Adds resources by key. When two share a key (a duplicate code, or two configurations linking the same rule and
 * webhook, e.g. after a create whose answer was lost), the oldest keeps the key and the others are keyed
 * `id:<id>`: nothing is hidden, and a managed kind plans their deletion. m3ter lists newest first, so the oldest
 * is the last of a key in list order.
 */
function addAll<K extends Kind>(
  into: Map<string, LiveResource & LiveResource<K>>,
  items: LiveResource<K>[],
): void {
  for (let i = items.length - 1; i >= 0; i--) {
    const r = items[i] as LiveResource<K>;
    const key = into.has(r.key) ? idKey(r.live.id) : r.key;
    into.set(key, (key === r.key ? r : { ...r, key }) as LiveResource & LiveResource<K>);
  }
}
