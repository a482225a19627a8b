import type { Adapters } from './contract.js';
import { credentialAdapter } from './credentials.js';
import { integrationAdapter } from './integrations.js';
import { linkAdapter } from './links.js';
import { notificationRuleAdapter } from './notification-rules.js';
import { scheduledEventAdapter } from './scheduled-events.js';
import { webhookAdapter } from './webhooks.js';

/** The live adapter of every kind: exhaustive over Kind, so a kind without one does not compile. */
export const adapters: Adapters = {
  credential: credentialAdapter,
  integration: integrationAdapter,
  webhook: webhookAdapter,
  scheduledEvent: scheduledEventAdapter,
  notificationRule: notificationRuleAdapter,
  link: linkAdapter,
};
