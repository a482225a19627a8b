// GENERATED FILE: do not edit. Made by scripts/generate-types.ts from schemas/*.json (npm run generate:types).
export type EnvironmentVar = string | number | boolean;
/**
 * A code: letters, digits, `_` and `-`, starting with a letter or digit (e.g. `commitment_under_10_percent`), at most 200 characters.
 */
export type Code = string;
/**
 * A display name: non-empty, at most 200 characters.
 */
export type Name = string;
/**
 * A description: non-empty, at most 1,000 characters.
 */
export type Description = string;
/**
 * A secret, written as a reference to an environment variable: `{ env: NAME }` or the string `${env:NAME}`. A literal value is an error: secrets never live in config files.
 */
export type SecretRef = SecretEnvRef | SecretEnvString;
/**
 * `${env:NAME}`
 */
export type SecretEnvString = string;
/**
 * A non-empty string (whitespace alone is not enough; m3ter requires minLength 1), at most 2,048 characters.
 */
export type Text = string;

/**
 * One m3ter-config file. Every file may hold any subset of the sections; all files given to a command merge into one desired state. A section that appears (even as `[]`) makes its kind managed: live entities of that kind not declared in any file are deleted unless `ignore` matches them.
 */
export interface M3TerConfigFile {
  /**
   * Optional schema URL for editors.
   */
  $schema?: string;
  environments?: Environments;
  /**
   * Outgoing webhooks (m3ter webhook destinations).
   */
  webhooks?: Webhook[];
  /**
   * Scheduled event configurations: event types m3ter raises some days after an entity's date field; notification rules listen to them by name.
   */
  scheduledEvents?: ScheduledEvent[];
  /**
   * Notification rules (m3ter notification configurations).
   */
  notificationRules?: NotificationRule[];
  /**
   * Links from a notification rule to a webhook.
   */
  links?: Link[];
  /**
   * Integration credentials.
   */
  credentials?: Credential[];
  /**
   * Integration configurations other than notification links (e.g. Bill to Stripe).
   */
  integrations?: Integration[];
  ignore?: Ignore;
}
/**
 * The environments these files are applied to, by name (letters, digits, `_` and `-`, starting with a letter, at most 63 characters): each names the m3ter org it must target, whether that org is a production org, and the values its `{ var: NAME }` and `${var:NAME}` stand for. Declared once, in any one config file; every command that loads files takes `--env NAME` (or `M3TER_CONFIG_ENV`).
 */
export interface Environments {
  [k: string]: Environment;
}
/**
 * One environment: the org it targets and its values.
 */
export interface Environment {
  /**
   * The m3ter org this environment must target: a run whose target is another org is refused before any write.
   */
  orgId: string;
  /**
   * Whether the org is m3ter's PRODUCTION kind of org (`false`: a SANDBOX org); a run against an org of the other kind is refused.
   */
  production: boolean;
  vars?: EnvironmentVars;
  /**
   * Extra config files or directories, relative to the file declaring `environments:`, loaded only for this environment.
   */
  include?: string[];
  target?: EnvironmentTarget;
}
/**
 * Non-secret values, by name, that the files use as `{ var: NAME }` (a whole value) or `${var:NAME}` (inside a string). Secrets stay `{ env: NAME }`.
 */
export interface EnvironmentVars {
  [k: string]: EnvironmentVar;
}
/**
 * Where this environment's API key, secret and base URL come from (names of environment variables). Flags and the M3TER_* variables come first.
 */
export interface EnvironmentTarget {
  apiKey?: EnvironmentVariableRef;
  apiSecret?: EnvironmentVariableRef;
  baseUrl?: EnvironmentVariableRef;
}
export interface EnvironmentVariableRef {
  /**
   * Name of the environment variable.
   */
  env: string;
}
/**
 * An outgoing webhook (m3ter webhook destination).
 */
export interface Webhook {
  code?: Code;
  name: Name;
  description: Description;
  /**
   * Absolute http or https URL the webhook requests are sent to (plain http is a warning except on loopback); at most 2,048 characters.
   */
  url: string;
  /**
   * Whether m3ter sends to this webhook.
   */
  active?: boolean;
  credentials: WebhookCredentials;
}
/**
 * How m3ter signs its requests to the webhook.
 */
export interface WebhookCredentials {
  /**
   * The only type m3ter offers for webhooks.
   */
  type?: 'M3TER_SIGNED_REQUEST';
  apiKey: SecretRef;
  secret: SecretRef;
}
export interface SecretEnvRef {
  /**
   * Name of the environment variable that holds the secret.
   */
  env: string;
}
/**
 * A scheduled event configuration: an event type m3ter raises `offset` days after a date field of an entity (e.g. 10 days after a bill's due date). Notification rules listen to it with `eventName` equal to its `name`, which is its key.
 */
export interface ScheduledEvent {
  /**
   * The event type's name, `scheduled.<entity>.<custom name>`, e.g. `scheduled.bill.dueSoon`: the `eventName` of the notification rules on it.
   */
  name: string;
  /**
   * The m3ter entity whose date field the event follows, e.g. `Bill` (m3ter decides which entities exist).
   */
  entity: string;
  /**
   * A date-time field of that entity, e.g. `dueDate` or `endDate` (m3ter decides which fields exist).
   */
  field: string;
  /**
   * Days after the date field when the event is raised: a whole number, at least 1 unless the option for m3ter's unknown range says otherwise.
   */
  offset: number;
}
/**
 * A notification rule (m3ter notification configuration): fires on an event, optionally when a calculation is true.
 */
export interface NotificationRule {
  code: Code;
  name: Name;
  description: Description;
  /**
   * An m3ter event type: `<category>.<entity>.<event>`, e.g. `configuration.commitment.updated`, `billing.bill.created`, `scheduled.bill.endDateEvent`.
   */
  eventName: string;
  /**
   * Boolean expression over `new.<field>` / `old.<field>`; omitted or null for none; at most 10,000 characters.
   */
  calculation?: string | null;
  /**
   * Only active rules fire.
   */
  active?: boolean;
  /**
   * Fire on every event, ignoring `calculation`.
   */
  alwaysFireEvent?: boolean;
}
/**
 * Sends a notification rule's notifications to a webhook (m3ter stores it as an integration configuration with entityType Notification). Its key is `rule->webhook`.
 */
export interface Link {
  rule: Code;
  webhook: Code;
  /**
   * Maps to the integration configuration's `enabled`.
   */
  active?: boolean;
}
/**
 * An integration credential. Which settings a (destination, type) pair needs is listed in src/model/credential-types.ts; the loader reports missing or inapplicable ones.
 */
export interface Credential {
  name: Name;
  /**
   * The system the credential is for.
   */
  destination:
    | 'Stripe'
    | 'Stripe test'
    | 'NetSuite'
    | 'Paddle'
    | 'Paddle sandbox'
    | 'Chargebee'
    | 'QuickBooks'
    | 'QuickBooks sandbox'
    | 'Xero'
    | 'Salesforce'
    | 'AWS Marketplace'
    | 'Azure Marketplace'
    | 'm3sh workflows'
    | 'HubSpot'
    | 'Sage Intacct'
    | 'Slack'
    | 'Opsgenie'
    | 'SAP ByDesign';
  /**
   * m3ter credential type; which types a destination accepts is checked by the loader.
   */
  type:
    | 'AWS_INTEGRATION'
    | 'CHARGEBEE_AUTH'
    | 'HTTP_BASIC'
    | 'HUBSPOT_ACCESS_TOKEN'
    | 'HUBSPOT_CLIENT_SECRET'
    | 'M3TER_APP_SIGNATURE'
    | 'NETSUITE_AUTH'
    | 'OAUTH_CLIENT_CREDENTIALS'
    | 'OPSGENIE_KEY'
    | 'PADDLE_AUTH'
    | 'SAGE_INTACCT_CLIENT_CREDENTIALS'
    | 'SAGE_INTACCT_CLIENT_SECRET'
    | 'SAP_BYD'
    | 'SLACK_WEBHOOK'
    | 'STATIC_API_KEY'
    | 'STRIPE_SIGNED_REQUEST';
  accessKeyId?: Text;
  accessToken?: SecretRef;
  accountId?: Text;
  apiKey?: SecretRef;
  apiSecret?: SecretRef;
  clientId?: Text;
  clientSecret?: SecretRef;
  consumerKey?: Text;
  consumerSecret?: SecretRef;
  password?: SecretRef;
  region?: Text;
  secretAccessKey?: SecretRef;
  signingKey?: SecretRef;
  site?: Text;
  tenantId?: Text;
  tokenId?: Text;
  tokenSecret?: SecretRef;
  username?: Text;
  vendorId?: Text;
  webhookUrl?: SecretRef;
}
/**
 * An m3ter integration configuration other than a notification link: an entity type synced to a destination system, authenticated by an integration credential. Its key is `entityType->destination`, then `/name` when it has a name.
 */
export interface Integration {
  /**
   * The m3ter entity type the integration acts on, e.g. `Bill` or `Account`. `Notification` is written as a link.
   */
  entityType: string;
  /**
   * The destination system, as m3ter names it, e.g. `Stripe` or `NetSuite`.
   */
  destination: string;
  /**
   * Optional name; part of the key, so two integrations of one entity type and destination are told apart.
   */
  name?: string;
  /**
   * The integration credential it authenticates with, as `Destination/name` of a credential declared in the files (e.g. `Stripe/prod-stripe`).
   */
  credential?: string;
  /**
   * m3ter's free-form configuration of the integration. Defaults to `{}`.
   */
  configData?: {};
  /**
   * Maps to the integration configuration's `enabled`.
   */
  active?: boolean;
}
/**
 * Live entities to leave alone even when their kind is managed. Entries are keys or glob patterns (`*` any run of characters, `?` one character), or `id:<id>` for one live entity that has no usable key (as `import` writes them).
 */
export interface Ignore {
  /**
   * Webhook codes or patterns.
   */
  webhooks?: string[];
  /**
   * Scheduled event names or patterns, e.g. `scheduled.bill.*`.
   */
  scheduledEvents?: string[];
  /**
   * Notification rule codes or patterns.
   */
  notificationRules?: string[];
  /**
   * `rule->webhook` keys or patterns, e.g. `legacy_*->*`.
   */
  links?: string[];
  /**
   * Credential names or patterns, optionally prefixed by a destination: `Stripe/prod-*` (a bare name matches every destination).
   */
  credentials?: string[];
  /**
   * `entityType->destination` keys (then `/name` for a named one) or patterns, e.g. `Bill->*`.
   */
  integrations?: string[];
}
