import { findDestination, lookupCredentialType } from '../model/credential-types.js';
import type { KindSpec } from './spec.js';

/** An integration credential: keyed `DESTINATION/name`; its secret fields come from its type. */
export const credential = {
  kind: 'credential',
  section: 'credentials',
  label: 'integration credential',
  keyDescription: '`DESTINATION/name` (m3ter destination value, e.g. `STRIPE/prod`)',
  keyNoun: 'name',
  caseFoldedKey: true,
  level: 0,
  references: [],
  fieldOrder: ['name', 'destination', 'type', 'settings'],
  secretFields: [],
  // Its key already names the destination.
  envNameWithoutKind: true,
  // m3ter's provider has no credential resource: export keeps credentials under the root "//".
  terraform: { attributes: {} },
  secretFieldsOf(attributes) {
    const found = lookupCredentialType(attributes.destination, attributes.type);
    return found.ok ? found.spec.fields.filter((f) => f.secret && f.required).map((f) => f.name) : [];
  },
  writtenKey: credentialReference,
} as const satisfies KindSpec<'credential'>;

/** The natural key of an integration credential: its destination system and name. */
export function credentialKey(destination: string, name: string): string {
  return `${destination}/${name}`;
}

/** A credential reference as people write it: the destination's label (`Stripe/prod`), else the key as it is. */
export function credentialReference(key: string): string {
  const slash = key.indexOf('/');
  const dest = slash < 0 ? undefined : findDestination(key.slice(0, slash));
  return dest ? `${dest.label}${key.slice(slash)}` : key;
}
