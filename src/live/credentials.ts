import { credentialKey } from '../model/kinds.js';
import { lookupCredentialType } from '../model/credential-types.js';
import { InternalError } from '../model/errors.js';
import type { CredentialAttributes, DesiredResource, LiveResource, SettingValue } from '../model/resource.js';
import type { KindAdapter, LiveClient } from './contract.js';
import { type RawEntity, asEntity, idKey, liveMetaOf, obj, str } from './entity.js';
import { readListChecked } from './check-list.js';
import { COLLECTION, MAX_PAGE_SIZE, orgPath } from './paths.js';

/**
 * Integration credentials (`/integrationcredentials`, path [U]: see paths.ts). Field mapping, shared with the
 * emulator: request `{name, destination, type, settings: {non-secret fields}, secrets: {secret fields}}`;
 * response the same minus `secrets` (m3ter never returns them), plus the envelope. The destination is m3ter's
 * DestinationType (`STRIPE`, `NETSUITE`, ...); which fields are secret comes from model/credential-types.ts.
 *
 * A webhook's embedded M3TER_SIGNED_REQUEST credential also appears in the list (destination `WEBHOOK`); it belongs
 * to the webhook and is managed through it, so it is not a credential resource here.
 */

/** The destination of webhooks' own credentials. */
const WEBHOOK_DESTINATION = 'WEBHOOK';

export function credentialsPath(client: LiveClient, id?: string): string {
  return id === undefined
    ? orgPath(client.orgId, ...COLLECTION.credential)
    : orgPath(client.orgId, ...COLLECTION.credential, id);
}

/** False for a webhook's embedded credential. */
export function isStandaloneCredential(raw: RawEntity): boolean {
  return str(raw, 'destination')?.toUpperCase() !== WEBHOOK_DESTINATION;
}

function sortedSettings(raw: RawEntity | undefined): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = {};
  if (!raw) return out;
  for (const key of Object.keys(raw).sort()) {
    const v = raw[key];
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) {
      out[key] = v;
    }
  }
  return out;
}

/** m3ter's JSON → the canonical credential, keyed `DESTINATION/name`; settings sorted by key. */
export function normalizeCredential(value: unknown): LiveResource<'credential'> {
  const raw = asEntity(value, 'integration credential');
  const live = liveMetaOf(raw, 'integration credential');
  const name = str(raw, 'name');
  const destination = str(raw, 'destination') ?? '';
  const attributes: CredentialAttributes = {
    name: name ?? '',
    destination,
    type: str(raw, 'type') ?? '',
    settings: sortedSettings(obj(raw, 'settings')),
  };
  const key = name ? credentialKey(destination, name) : idKey(live.id);
  return { kind: 'credential', key, attributes, live };
}

/** The full body. Secrets are always sent: a PUT replaces the credential, and m3ter cannot send them back. */
export function credentialBody(desired: DesiredResource<'credential'>): RawEntity {
  const a = desired.attributes;
  const secrets: Record<string, string> = {};
  for (const field of Object.keys(desired.secrets ?? {}).sort()) {
    const s = desired.secrets?.[field];
    if (s) secrets[field] = s.reveal();
  }
  const lookup = lookupCredentialType(a.destination, a.type);
  if (lookup.ok) {
    const missing = lookup.spec.fields.filter((f) => f.secret && f.required && !(f.name in secrets));
    if (missing.length > 0) {
      throw new InternalError(
        'internal_missing_secret',
        `credential ${desired.key} has no resolved ${missing.map((f) => f.name).join(', ')}`,
        { key: desired.key },
      );
    }
  }
  return { name: a.name, destination: a.destination, type: a.type, settings: { ...a.settings }, secrets };
}

export const credentialAdapter: KindAdapter<'credential'> = {
  kind: 'credential',
  async create(client, desired) {
    return normalizeCredential(await client.post(credentialsPath(client), credentialBody(desired)));
  },
  async update(client, id, version, desired) {
    return normalizeCredential(
      await client.put(credentialsPath(client, id), { ...credentialBody(desired), version }),
    );
  },
  async remove(client, id) {
    await client.delete(credentialsPath(client, id));
  },
  async read(client, id) {
    const raw = await client.get(credentialsPath(client, id));
    if (raw === undefined || !isStandaloneCredential(asEntity(raw, 'integration credential')))
      return undefined;
    return normalizeCredential(raw);
  },
  async findByKey(client, key) {
    const all = await readListChecked(
      client,
      credentialsPath(client),
      MAX_PAGE_SIZE.credential,
      'integration credentials',
    );
    return all
      .filter((raw) => isStandaloneCredential(asEntity(raw, 'integration credential')))
      .map(normalizeCredential)
      .filter((c) => c.key === key);
  },
};
