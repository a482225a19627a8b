import type { Adapters } from './contract.js';
import { credentialAdapter } from './credentials.js';
import { linkAdapter } from './links.js';
import { notificationRuleAdapter } from './notification-rules.js';
import { webhookAdapter } from './webhooks.js';

export type {
  Adapters,
  ClientStats,
  IdMap,
  KindAdapter,
  LiveClient,
  ReadLiveState,
  Target,
  WriteContext,
} from './contract.js';
export { type ClientOptions, createClient, type RetryEvent } from './client.js';
export { type Clock, RateLimiter, realClock } from './limiter.js';
export { backoffDelay, retryAfterMs, seededRandom } from './backoff.js';
export {
  DEFAULT_BASE_URL,
  type EmbeddedTarget,
  type ResolveTargetInput,
  resolveTarget,
  TARGET_ENV,
  type TargetFlags,
  validateBaseUrl,
} from './target.js';
export { readLiveState } from './read-live-state.js';
export { createIdMap, type MutableIdMap } from './id-map.js';
export { COLLECTION, MAX_PAGE_SIZE, orgPath, pathOf } from './paths.js';
export { normalizeWebhook, webhookBody, webhooksPath } from './webhooks.js';
export { normalizeRule, ruleBody, rulesPath } from './notification-rules.js';
export { LINK_DESTINATION, LINK_ENTITY_TYPE, linkBody, linksPath, normalizeLink } from './links.js';
export { credentialBody, credentialsPath, normalizeCredential } from './credentials.js';

/** The per-kind adapters apply uses, by kind. */
export const adapters: Adapters = {
  credential: credentialAdapter,
  webhook: webhookAdapter,
  notificationRule: notificationRuleAdapter,
  link: linkAdapter,
};
