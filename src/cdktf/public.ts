/** What both entry points export besides their core-specific classes. */
export type {
  CredentialProps,
  EnvironmentTargetProps,
  EnvRef,
  IgnoreProps,
  IntegrationProps,
  JsonValue,
  LinkProps,
  M3terEnvironmentProps,
  NotificationRuleProps,
  NotifyOptions,
  ScheduledEventProps,
  Secret,
  WebhookProps,
} from './constructs.js';
export {
  CredentialBase,
  IgnoreBase,
  IntegrationBase,
  LinkBase,
  M3terEntity,
  M3terEnvironmentBase,
  NotificationRuleBase,
  ScheduledEventBase,
  WebhookBase,
} from './constructs.js';
export { M3terConstructError } from './check.js';
export type { SecretVariable } from './kit.js';
