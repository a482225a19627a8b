import { labelOf, secretFieldsOf } from '../kinds/index.js';
import { findDestination, lookupCredentialType } from '../model/credential-types.js';
import type { Json } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';
import { redactUrl } from '../model/redact.js';
import type { LiveResource } from '../model/resource.js';

/**
 * emit/'s per-kind part for import: how a live resource of each kind is written as a config entry, and why one cannot
 * be. An exhaustive table over Kind, so a kind without one does not compile.
 */

/** A config entry: plain JSON, secrets as `{ env: NAME }`. */
export type ConfigEntry = { [key: string]: Json };

/** Names an environment variable for one secret field of the resource being written. */
export type SecretRefOf = (field: string) => { env: string };

export type EntryOf<K extends Kind> = (resource: LiveResource<K>, secret: SecretRefOf) => ConfigEntry;

/** Why a live entity's values cannot be written (no value is echoed: it may be a secret). */
export interface Unwritable {
  code: 'secret_in_value' | 'unknown_credential_type' | 'not_expressible';
  message: string;
  hint: string;
}

export interface EntryKind<K extends Kind> {
  /** The entry, defaults and absent values not yet left out; references hold the referenced keys as they are. */
  readonly entry: EntryOf<K>;
  readonly unwritable?: (resource: LiveResource<K>) => Unwritable | undefined;
}

const who = (r: LiveResource) => `${labelOf(r.kind, r.key)} (id ${r.live.id})`;

export const ENTRY_KINDS: { [K in Kind]: EntryKind<K> } = {
  credential: {
    entry: (r, secret) => {
      const a = r.attributes;
      const entry: ConfigEntry = {
        name: a.name,
        destination: findDestination(a.destination)?.label ?? a.destination,
        type: a.type,
      };
      for (const [k, v] of Object.entries(a.settings)) entry[k] = v;
      for (const field of secretFieldsOf(r)) entry[field] = secret(field);
      return entry;
    },
    // A credential type the language does not know cannot say which of its settings are secret; a setting named as a
    // secret field of its type is a secret m3ter returned (written as text, a `${env:NAME}` there would read back as a
    // reference and send that variable to m3ter).
    unwritable: (r) => {
      const a = r.attributes;
      const found = lookupCredentialType(a.destination, a.type);
      if (!found.ok)
        return {
          code: 'unknown_credential_type',
          message: `${who(r)} is of type ${JSON.stringify(a.type)} at ${JSON.stringify(a.destination)}, which m3ter-config does not know, so it cannot tell its secret settings from the others`,
          hint: 'leave it to the m3ter Console (it stays under ignore), or delete it in m3ter',
        };
      const secretNames = new Set(found.spec.fields.filter((f) => f.secret).map((f) => f.name));
      const known = new Set(found.spec.fields.map((f) => f.name));
      const secret = Object.keys(a.settings).filter((k) => secretNames.has(k));
      if (secret.length > 0)
        return {
          code: 'secret_in_value',
          message: `${who(r)} has ${secret.join(', ')} among its settings, a secret of its type that the files must not hold`,
          hint: 're-create the credential in m3ter with the secret as a secret, then import again',
        };
      const unknown = Object.keys(a.settings).filter((k) => !known.has(k));
      if (unknown.length > 0)
        return {
          code: 'not_expressible',
          message: `${who(r)} has settings its type does not list (${unknown.map((k) => JSON.stringify(k)).join(', ')}); they may be secret, so they are not written`,
          hint: 'remove them in m3ter, or leave the credential to the m3ter Console (it stays under ignore)',
        };
      return undefined;
    },
  },
  integration: {
    entry: (r) => {
      const a = r.attributes;
      return {
        entityType: a.entityType,
        destination: a.destination,
        name: a.name,
        credential: a.credential,
        configData: structuredClone(a.configData),
        active: a.active,
      };
    },
  },
  webhook: {
    entry: (r, secret) => {
      const a = r.attributes;
      return {
        code: r.key,
        name: a.name,
        description: a.description,
        url: a.url,
        active: a.active,
        credentials: { type: a.credentialType, apiKey: secret('apiKey'), secret: secret('secret') },
      };
    },
    // A URL with user info holds a password the files must not.
    unwritable: (r) => {
      const url = r.attributes.url;
      if (!hasUserInfo(url)) return undefined;
      return {
        code: 'secret_in_value',
        message: `${who(r)} has a URL with a user name or password (${redactUrl(url)}), which the files must not hold`,
        hint: 'remove `user:password@` from the URL in m3ter (m3ter signs each request with the webhook credentials), then import again',
      };
    },
  },
  scheduledEvent: {
    entry: (r) => {
      const { name, entity, field, offset } = r.attributes;
      return { name, entity, field, offset };
    },
  },
  notificationRule: {
    entry: (r) => {
      const a = r.attributes;
      return {
        code: r.key,
        name: a.name,
        description: a.description,
        eventName: a.eventName,
        calculation: a.calculation,
        active: a.active,
        alwaysFireEvent: a.alwaysFireEvent,
      };
    },
  },
  link: {
    entry: (r) => ({ rule: r.attributes.rule, webhook: r.attributes.webhook, active: r.attributes.active }),
  },
};

/** True when a URL carries user info (`user:password@`), whether or not it parses. */
function hasUserInfo(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '';
  } catch {
    return redactUrl(url) !== url;
  }
}
