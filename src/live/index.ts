export type {
  AdapterSpec,
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
export { readLiveState, startListReads, type StartedLists } from './read-live-state.js';
export { createIdMap, type MutableIdMap } from './id-map.js';
export { COLLECTION, MAX_PAGE_SIZE, orgPath, pathOf } from './paths.js';
export { adapters } from './adapters.js';
export { defineAdapter } from './define-adapter.js';
export { normalizeWebhook, webhookBody } from './webhooks.js';
export { normalizeRule, ruleBody } from './notification-rules.js';
export { LINK_DESTINATION, LINK_ENTITY_TYPE, linkBody, normalizeLink } from './links.js';
export { integrationBody, normalizeIntegration } from './integrations.js';
export { credentialBody, normalizeCredential } from './credentials.js';
