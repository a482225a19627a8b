import { credentialKey, integrationKey, linkKey } from '../../../src/kinds/index.js';
import { KINDS, type Kind } from '../../../src/model/kinds.js';
import type {
  AttributesByKind,
  CredentialAttributes,
  DesiredResource,
  IntegrationAttributes,
  LinkAttributes,
  LiveMeta,
  LiveResource,
  NotificationRuleAttributes,
  ScheduledEventAttributes,
  WebhookAttributes,
} from '../../../src/model/resource.js';
import { Secret } from '../../../src/model/secret.js';
import { type DesiredState, emptyIgnore, emptyResources, type LiveState } from '../../../src/model/state.js';
import type { PlanOptions } from '../../../src/plan/index.js';

/** Small builders for desired and live state: one call per entity, defaults that a test can override. */

export const TARGET = { type: 'm3ter', orgId: 'org-1', baseUrl: 'https://api.m3ter.com' } as const;

export function webhookAttrs(code: string, over: Partial<WebhookAttributes> = {}): WebhookAttributes {
  return {
    name: `Webhook ${code}`,
    description: `Sends to ${code}`,
    url: `https://hooks.example.test/${code}`,
    active: true,
    credentialType: 'M3TER_SIGNED_REQUEST',
    ...over,
  };
}

export function ruleAttrs(
  code: string,
  over: Partial<NotificationRuleAttributes> = {},
): NotificationRuleAttributes {
  return {
    name: `Rule ${code}`,
    description: `Fires ${code}`,
    eventName: 'configuration.commitment.updated',
    calculation: null,
    active: true,
    alwaysFireEvent: false,
    ...over,
  };
}

/** A scheduled event `scheduled.bill.<custom>`: 10 days after a bill's due date unless `over` says otherwise. */
export function scheduledEventAttrs(
  name: string,
  over: Partial<ScheduledEventAttributes> = {},
): ScheduledEventAttributes {
  return { name, entity: 'Bill', field: 'dueDate', offset: 10, ...over };
}

export function linkAttrs(rule: string, webhook: string, over: Partial<LinkAttributes> = {}): LinkAttributes {
  return { rule, webhook, active: true, ...over };
}

export function credentialAttrs(
  destination: string,
  name: string,
  over: Partial<CredentialAttributes> = {},
): CredentialAttributes {
  return { name, destination, type: 'HTTP_BASIC', settings: { username: 'svc' }, ...over };
}

/** An integration `entityType->destination`; `over.name` is part of its key. */
export function integrationAttrs(
  entityType: string,
  destination: string,
  over: Partial<IntegrationAttributes> = {},
): IntegrationAttributes {
  return { entityType, destination, name: null, credential: null, configData: {}, active: true, ...over };
}

function integrationOf(entityType: string, destination: string, over: Partial<IntegrationAttributes>) {
  const attributes = integrationAttrs(entityType, destination, over);
  return { key: integrationKey(entityType, destination, attributes.name), attributes };
}

function source(kind: Kind, key: string) {
  return { file: 'm3ter.yaml', line: 1, col: 1, pointer: `/${kind}/${key}` };
}

function desiredOf<K extends Kind>(
  kind: K,
  key: string,
  attributes: AttributesByKind[K],
  secrets?: Record<string, Secret>,
): DesiredResource<K> {
  return { kind, key, attributes, ...(secrets ? { secrets } : {}), source: source(kind, key) };
}

export function webhookSecrets(code: string): Record<string, Secret> {
  return {
    apiKey: new Secret(`HOOK_${code.toUpperCase()}_KEY`, `key-${code}`),
    secret: new Secret(`HOOK_${code.toUpperCase()}_SECRET`, `secret-${code}`),
  };
}

export const d = {
  webhook: (code: string, over: Partial<WebhookAttributes> = {}) =>
    desiredOf('webhook', code, webhookAttrs(code, over), webhookSecrets(code)),
  rule: (code: string, over: Partial<NotificationRuleAttributes> = {}) =>
    desiredOf('notificationRule', code, ruleAttrs(code, over)),
  scheduledEvent: (name: string, over: Partial<ScheduledEventAttributes> = {}) =>
    desiredOf('scheduledEvent', name, scheduledEventAttrs(name, over)),
  link: (rule: string, webhook: string, over: Partial<LinkAttributes> = {}) =>
    desiredOf('link', linkKey(rule, webhook), linkAttrs(rule, webhook, over)),
  credential: (destination: string, name: string, over: Partial<CredentialAttributes> = {}) =>
    desiredOf('credential', credentialKey(destination, name), credentialAttrs(destination, name, over), {
      password: new Secret(`CRED_${name.toUpperCase()}_PASSWORD`, `pw-${name}`),
    }),
  integration: (entityType: string, destination: string, over: Partial<IntegrationAttributes> = {}) => {
    const { key, attributes } = integrationOf(entityType, destination, over);
    return desiredOf('integration', key, attributes);
  },
};

function liveOf<K extends Kind>(
  kind: K,
  key: string,
  attributes: AttributesByKind[K],
  meta: Partial<LiveMeta> = {},
): LiveResource<K> {
  return { kind, key, attributes, live: { id: `id-${kind}-${key}`, version: 1, ...meta } };
}

export const l = {
  webhook: (code: string, over: Partial<WebhookAttributes> = {}, meta: Partial<LiveMeta> = {}) =>
    liveOf('webhook', code, webhookAttrs(code, over), meta),
  rule: (code: string, over: Partial<NotificationRuleAttributes> = {}, meta: Partial<LiveMeta> = {}) =>
    liveOf('notificationRule', code, ruleAttrs(code, over), meta),
  link: (rule: string, webhook: string, over: Partial<LinkAttributes> = {}, meta: Partial<LiveMeta> = {}) =>
    liveOf('link', linkKey(rule, webhook), linkAttrs(rule, webhook, over), meta),
  scheduledEvent: (
    name: string,
    over: Partial<ScheduledEventAttributes> = {},
    meta: Partial<LiveMeta> = {},
  ) => liveOf('scheduledEvent', name, scheduledEventAttrs(name, over), meta),
  /** A link whose rule or webhook id could not be resolved to a code. */
  orphanLink: (id: string, meta: Partial<LiveMeta> = {}) =>
    liveOf('link', `id:${id}`, linkAttrs(`id:${id}-rule`, `id:${id}-webhook`), { id, ...meta }),
  credential: (
    destination: string,
    name: string,
    over: Partial<CredentialAttributes> = {},
    meta: Partial<LiveMeta> = {},
  ) => liveOf('credential', credentialKey(destination, name), credentialAttrs(destination, name, over), meta),
  integration: (
    entityType: string,
    destination: string,
    over: Partial<IntegrationAttributes> = {},
    meta: Partial<LiveMeta> = {},
  ) => {
    const { key, attributes } = integrationOf(entityType, destination, over);
    return liveOf('integration', key, attributes, meta);
  },
};

export interface DesiredOptions {
  /** Kinds declared in the files; default: every kind. */
  managed?: readonly Kind[];
  ignore?: Partial<Record<Kind, string[]>>;
}

export function desiredState(
  resources: readonly DesiredResource[],
  options: DesiredOptions = {},
): DesiredState {
  const state: DesiredState = {
    resources: emptyResources(),
    managedKinds: new Set(options.managed ?? KINDS),
    ignore: { ...emptyIgnore(), ...options.ignore },
    files: ['m3ter.yaml'],
  };
  for (const r of resources) (state.resources[r.kind] as Map<string, DesiredResource>).set(r.key, r);
  return state;
}

export function liveState(resources: readonly LiveResource[], readKinds: readonly Kind[] = KINDS): LiveState {
  const state: LiveState = { resources: emptyResources(), readKinds: new Set(readKinds) };
  for (const r of resources) (state.resources[r.kind] as Map<string, LiveResource>).set(r.key, r);
  return state;
}

/** The live state right after applying `desired`: same attributes, fresh ids, no secrets. */
export function appliedState(desired: DesiredState): LiveState {
  const resources: LiveResource[] = [];
  for (const kind of KINDS) {
    for (const r of desired.resources[kind].values()) {
      resources.push({
        kind: r.kind,
        key: r.key,
        attributes: structuredClone(r.attributes),
        live: { id: `id-${r.kind}-${r.key}`, version: 1 },
      } as LiveResource);
    }
  }
  return liveState(resources);
}

export function options(over: Partial<PlanOptions> = {}): PlanOptions {
  return {
    target: TARGET,
    rotateSecrets: false,
    secretMismatch: new Set(),
    deleteBudget: {},
    allowDeletes: false,
    ...over,
  };
}
