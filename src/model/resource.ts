import type { Json } from './errors.js';
import type { Kind } from './kinds.js';
import type { Secret } from './secret.js';

/**
 * The canonical model. Desired state (from the files) and live state (from the API) are turned into this same
 * flat shape, so the planner diffs `attributes` field by field with no knowledge of YAML or HTTP.
 *
 * Rules that keep plans exact:
 * - `attributes` holds only what m3ter stores and the user controls, with defaults applied on both sides
 *   (an omitted `active` is `true` on both sides, an omitted `calculation` is `null`, and so on).
 * - Server-managed fields (id, version, audit fields) are kept aside in `live`, never diffed.
 * - Secret values are never in `attributes`: desired resources carry them as `Secret` objects in `secrets`;
 *   live resources carry at most a fingerprint (see fingerprint.ts).
 */

/** Where a desired resource was declared. */
export interface SourceRef {
  file: string;
  line: number;
  col: number;
  /** JSON pointer inside that file, e.g. `/webhooks/2`. */
  pointer: string;
}

export type WebhookCredentialType = 'M3TER_SIGNED_REQUEST';

export interface WebhookAttributes {
  name: string;
  description: string;
  url: string;
  active: boolean;
  credentialType: WebhookCredentialType;
}

export interface NotificationRuleAttributes {
  name: string;
  description: string;
  eventName: string;
  /** `null` when there is no calculation. */
  calculation: string | null;
  active: boolean;
  alwaysFireEvent: boolean;
}

/**
 * A scheduled event configuration: an event type (`name`, `scheduled.<entity>.<custom name>`) m3ter raises `offset`
 * days after the date `field` of each `entity`. Notification rules listen to it by name.
 */
export interface ScheduledEventAttributes {
  name: string;
  entity: string;
  field: string;
  offset: number;
}

export interface LinkAttributes {
  /** Code of the notification rule (the integration configuration's entityId resolves to it). */
  rule: string;
  /** Code of the webhook (the integration configuration's destinationId resolves to it). */
  webhook: string;
  /** Maps to the integration configuration's `enabled`. */
  active: boolean;
}

export type SettingValue = string | number | boolean;

export interface CredentialAttributes {
  name: string;
  /** m3ter's DestinationType, e.g. `STRIPE`, `NETSUITE`, `CHARGEBEE`, `M3TER`. */
  destination: string;
  /** m3ter's credential type, e.g. `CHARGEBEE_AUTH`, `HTTP_BASIC`, `STRIPE_SIGNED_REQUEST`. */
  type: string;
  /** Non-secret, type-specific settings (e.g. Chargebee `site`, HTTP basic `username`), sorted by key. */
  settings: Record<string, SettingValue>;
}

/**
 * An m3ter integration configuration other than a notification link: an entity type (`Bill`, `Account`, ...) synced
 * to a destination system (`Stripe`, `NetSuite`, ...), authenticated by an integration credential.
 */
export interface IntegrationAttributes {
  entityType: string;
  destination: string;
  /** `null` when the integration has no name. */
  name: string | null;
  /** Key (`DESTINATION/name`) of the integration credential it authenticates with; `null` for none. */
  credential: string | null;
  /** m3ter's free-form `configData`. */
  configData: { [key: string]: Json };
  /** Maps to the integration configuration's `enabled`. */
  active: boolean;
}

export interface AttributesByKind {
  credential: CredentialAttributes;
  integration: IntegrationAttributes;
  webhook: WebhookAttributes;
  scheduledEvent: ScheduledEventAttributes;
  notificationRule: NotificationRuleAttributes;
  link: LinkAttributes;
}

/** Server-side facts about a live entity; never diffed. */
export interface LiveMeta {
  id: string;
  version: number;
  /**
   * Webhooks only: the secret fingerprint found in the embedded credential's `name`, if m3ter-config wrote one.
   * `undefined` means the live secret is unknown (created elsewhere or by hand).
   */
  secretFingerprint?: string;
  /** Webhooks only: the embedded credential entity's id and version, sent back on PUT. */
  credentialId?: string;
  credentialVersion?: number;
  /** Links only: the integration configuration's entityId and destinationId as m3ter stores them. */
  entityId?: string;
  destinationId?: string;
  /** Integrations only: the integration configuration's integrationCredentialsId. */
  integrationCredentialsId?: string;
  dtLastModified?: string;
  lastModifiedBy?: string;
  /**
   * Set on an entity that shares its natural key with an older one (two applies raced, or a create's answer was
   * lost): it is keyed `id:<id>`, and this is the key it duplicates. A plan deletes such copies as their own kind
   * of change.
   */
  duplicateOf?: string;
}

export interface Resource<K extends Kind = Kind> {
  kind: K;
  /** Natural key, as each kind's `keyDescription` in the kind registry (src/kinds/) says. */
  key: string;
  attributes: AttributesByKind[K];
  /** Desired resources only: secret values by field name (`apiKey`, `secret`, `password`, ...). */
  secrets?: Record<string, Secret>;
  /** Desired resources only. */
  source?: SourceRef;
  /**
   * Desired resources only: the attributes (top-level names in `attributes`) whose value the files write with a
   * `{ var: NAME }` or `${var:NAME}`, so they differ between environments by design.
   */
  varAttributes?: ReadonlySet<string>;
  /** Live resources only. */
  live?: LiveMeta;
}

export type DesiredResource<K extends Kind = Kind> = Resource<K> & { source: SourceRef };
export type LiveResource<K extends Kind = Kind> = Resource<K> & { live: LiveMeta };
