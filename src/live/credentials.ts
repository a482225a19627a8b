import { credentialKey, idKey } from '../kinds/index.js';
import { lookupCredentialType } from '../model/credential-types.js';
import { InternalError } from '../model/errors.js';
import type { CredentialAttributes, DesiredResource, LiveResource, SettingValue } from '../model/resource.js';
import { defineAdapter } from './define-adapter.js';
import { entityOf, obj, type RawEntity, str } from './entity.js';
import { COLLECTION } from './paths.js';

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
  const { raw, live } = entityOf(value, 'integration credential');
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

export const credentialAdapter = defineAdapter({
  kind: 'credential',
  collection: COLLECTION.credential,
  accepts: isStandaloneCredential,
  normalize: normalizeCredential,
  body: credentialBody,
});
