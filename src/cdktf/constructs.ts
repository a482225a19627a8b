import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Construct } from 'constructs';
import { CONFIG_SECTION, credentialKey, integrationKey, LINK_IDENTITY, linkKey } from '../kinds/index.js';
import { deriveCode } from '../model/code.js';
import { findDestination } from '../model/credential-types.js';
import type { Issue } from '../model/errors.js';
import type { Ignore as ConfigIgnore } from '../model/generated/config-types.js';
import type { Kind } from '../model/kinds.js';
import { validateConfigData } from '../schema/issues.js';
import { SYNTH_META_KEY } from '../load/cdktf-synth.js';
import { checkEntry, checkEnvironment, describe, M3terConstructError, TARGET_FIELDS } from './check.js';
import { escapeLiterals, type Kit, type ResourceLike, type SecretVariable } from './kit.js';

/**
 * The higher-level constructs, written once for both cores: each entry point (`m3ter-config/cdktf`,
 * `m3ter-config/cdktn`) subclasses them with its own kit. Props are checked at construction by the YAML loader's
 * own rules (check.ts), and across constructs at synth; the synth output is what `m3ter-config plan` reads.
 */

/** A JSON value, as m3ter's `configData` holds. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A secret: a Terraform variable declared with `sensitive: true` (see `sensitiveVariable`); its value is TF_VAR_<name>. */
export type Secret = SecretVariable;

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Where the user's code created the construct (`main.ts:12:5`, relative to the working directory), if found. */
function callerSource(): string | undefined {
  const lines = (new Error().stack ?? '').split('\n').slice(1);
  for (const line of lines) {
    const m = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!m?.[1]) continue;
    const file = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
    if (file.startsWith(HERE + path.sep) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    const rel = path.relative(process.cwd(), file).split(path.sep).join('/');
    return `${rel.startsWith('..') ? file : rel}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

/** The base of every m3ter construct: its kind, natural key and core. */
export abstract class M3terEntity extends Construct {
  /** The m3ter-config kind this construct declares. */
  abstract readonly kind: Kind;
  /** Its natural key, as in plan output (`ops_alerts`, `bill_created->ops_alerts`, `STRIPE/prod`). */
  abstract readonly key: string;
  /** Where the construct was created in the user's code, when the stack trace shows it. */
  readonly source: string | undefined = callerSource();
  /** The core library this construct belongs to; each entry point's subclass returns its own. */
  protected get kit(): Kit {
    throw new Error('use the constructs of m3ter-config/cdktf or m3ter-config/cdktn, not their base classes');
  }

  /** Throws every error found by the YAML loader's rules; warnings become synth annotations. */
  protected check(kind: Kind, item: object): void {
    const issues = checkEntry(kind, item);
    const errors = issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) throw new M3terConstructError(this.node.path, errors);
    for (const w of issues) this.kit.warn(this, describe(this.node.path, w));
  }

  /** At synth: the key is unique in its stack (the loader's rule), and `others` belong to the same stack and core. */
  protected validateAtSynth(others: readonly M3terEntity[] = []): void {
    this.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        const stack = this.kit.stackOf(this);
        for (const other of others) {
          if (other.kit.core !== this.kit.core)
            errors.push(
              `${this.node.path}: ${other.node.path} is a ${other.kit.core} construct; this stack uses ${this.kit.core}`,
            );
          else if (this.kit.stackOf(other) !== stack)
            errors.push(
              `${this.node.path}: ${other.node.path} is in another stack; m3ter-config reads one stack at a time`,
            );
        }
        const first = stack.node
          .findAll()
          .find(
            (c): c is M3terEntity => c instanceof M3terEntity && c.kind === this.kind && c.key === this.key,
          );
        if (first && first !== this)
          errors.push(
            `${this.node.path}: ${this.kind} "${this.key}" is already declared by ${first.node.path}`,
          );
        return errors;
      },
    });
  }

  /** The construct's path below its stack, `/` written `_`: its logical id in the synth output. */
  protected synthId(): string {
    const stack = this.kit.stackOf(this).node.path;
    return this.node.path.slice(stack === '' ? 0 : stack.length + 1).replace(/[^A-Za-z0-9_-]/g, '_');
  }

  /**
   * Names the resource after the construct (`receiver`, not `receiver_resource_A9005907`), and records what m3ter's
   * provider cannot hold under the resource's `"//"`, which Terraform ignores.
   */
  protected annotate(resource: ResourceLike, extra: Record<string, unknown> = {}): void {
    resource.overrideLogicalId(this.synthId());
    const own: Record<string, unknown> = { path: this.node.path, ...extra };
    if (this.source !== undefined) own['source'] = this.source;
    resource.addOverride(`//.${SYNTH_META_KEY}`, own);
  }

  /** The secret as the YAML loader reads it at construction (the real value comes from TF_VAR_<name> at plan). */
  protected secretRef(value: Secret, prop: string): { env: string } {
    if (!this.kit.isVariable(value) || value.sensitive !== true)
      throw new M3terConstructError(this.node.path, [
        {
          severity: 'error',
          code: 'literal_secret',
          file: 'construct',
          line: 0,
          col: 0,
          pointer: `/${CONFIG_SECTION[this.kind]}/0/${prop}`,
          message: `must be a ${this.kit.core} TerraformVariable declared with sensitive: true`,
          hint: 'use sensitiveVariable(stack, NAME); its value is read from TF_VAR_NAME',
        },
      ]);
    return { env: `TF_VAR_${value.friendlyUniqueId}` };
  }
}

// ---- webhooks -------------------------------------------------------------------------------------------------

export interface WebhookProps {
  /** Display name of the webhook destination. */
  readonly name: string;
  /** Free-text description. */
  readonly description: string;
  /** Absolute https URL that m3ter POSTs notifications to (plain http is accepted on loopback only). */
  readonly url: string;
  /**
   * The webhook's natural key.
   * @default derived from `name`, as the m3ter Console does: `Orders → Slack (prod)` gives `orders_slack_prod`
   */
  readonly code?: string;
  /**
   * Whether the destination receives deliveries.
   * @default true
   */
  readonly active?: boolean;
  /** The key id m3ter signs requests with: a sensitive variable. */
  readonly apiKey: Secret;
  /** The shared signing secret: a sensitive variable. */
  readonly secret: Secret;
}

/** A webhook destination (`m3ter_webhook`) with its M3TER_SIGNED_REQUEST credential. */
export abstract class WebhookBase extends M3terEntity {
  readonly kind = 'webhook';
  /** The webhook's code (given, or derived from its name). */
  readonly code: string;
  readonly key: string;
  /** The generated `m3ter_webhook` binding. */
  readonly resource: ResourceLike;

  constructor(scope: Construct, id: string, props: WebhookProps) {
    super(scope, id);
    const credentials = {
      type: 'M3TER_SIGNED_REQUEST',
      apiKey: this.secretRef(props.apiKey, 'apiKey'),
      secret: this.secretRef(props.secret, 'secret'),
    };
    const { apiKey: _apiKey, secret: _secret, ...rest } = props;
    this.check('webhook', { ...rest, credentials });
    this.code = props.code ?? deriveCode(props.name);
    this.key = this.code;
    // code and active are always written: the provider does not read server defaults for them.
    this.resource = this.kit.newResource('webhook', this, 'resource', {
      name: props.name,
      description: props.description,
      url: props.url,
      code: this.code,
      active: props.active ?? true,
      credentials: {
        type: 'M3TER_SIGNED_REQUEST',
        apiKey: props.apiKey.stringValue,
        secret: props.secret.stringValue,
      },
    });
    this.annotate(this.resource);
    this.validateAtSynth();
  }

  /** The webhook's m3ter id, as a Terraform reference. */
  get id(): string {
    return this.resource.id;
  }
}

// ---- notification rules -----------------------------------------------------------------------------------------

export interface NotificationRuleProps {
  /** The rule's natural key: letters, digits, `_` and `-`. */
  readonly code: string;
  /** Display name. */
  readonly name: string;
  /** Free-text description. */
  readonly description: string;
  /**
   * The m3ter event type, e.g. `billing.bill.created` (lower case, except in `scheduled.` names), or a scheduled event
   * of the stack, which Terraform then creates first.
   */
  readonly eventName: string | ScheduledEventBase;
  /**
   * Boolean expression over `new.<field>` and `old.<field>`; the rule fires when it holds.
   * @default no calculation
   */
  readonly calculation?: string;
  /**
   * Fire on every matching event, ignoring the calculation.
   * @default false
   */
  readonly alwaysFireEvent?: boolean;
  /**
   * Whether the rule fires.
   * @default true
   */
  readonly active?: boolean;
}

export interface NotifyOptions {
  /**
   * Whether m3ter sends this rule's notifications to the webhook. m3ter's provider cannot set it; m3ter-config can.
   * @default true
   */
  readonly active?: boolean;
}

/** A notification rule (`m3ter_notification_configuration`). */
export abstract class NotificationRuleBase extends M3terEntity {
  readonly kind = 'notificationRule';
  readonly code: string;
  readonly key: string;
  /** The generated `m3ter_notification_configuration` binding. */
  readonly resource: ResourceLike;

  constructor(scope: Construct, id: string, props: NotificationRuleProps) {
    super(scope, id);
    const scheduled = typeof props.eventName === 'string' ? undefined : props.eventName;
    this.check('notificationRule', { ...props, eventName: scheduled?.key ?? props.eventName });
    this.code = props.code;
    this.key = props.code;
    this.resource = this.kit.newResource('notification', this, 'resource', {
      code: props.code,
      name: props.name,
      description: props.description,
      eventName: scheduled ? scheduled.eventName : props.eventName,
      ...(props.calculation !== undefined ? { calculation: props.calculation } : {}),
      active: props.active ?? true,
      alwaysFireEvent: props.alwaysFireEvent ?? false,
    });
    this.annotate(this.resource);
    this.validateAtSynth(scheduled ? [scheduled] : []);
  }

  /** The rule's m3ter id, as a Terraform reference. */
  get id(): string {
    return this.resource.id;
  }

  /** Sends this rule's notifications to `webhook`: a link, created under this rule. */
  abstract notify(webhook: WebhookBase, options?: NotifyOptions): LinkBase;
}

// ---- links ------------------------------------------------------------------------------------------------------

export interface LinkProps extends NotifyOptions {
  /** The notification rule whose events are sent. */
  readonly rule: NotificationRuleBase;
  /** The webhook they are sent to. */
  readonly webhook: WebhookBase;
}

/** A link from a rule to a webhook: an `m3ter_integration_configuration` of entity type Notification. */
export abstract class LinkBase extends M3terEntity {
  readonly kind = 'link';
  readonly key: string;
  /** The generated `m3ter_integration_configuration` binding. */
  readonly resource: ResourceLike;

  constructor(scope: Construct, id: string, props: LinkProps) {
    super(scope, id);
    this.check('link', { rule: props.rule.code, webhook: props.webhook.code, active: props.active });
    this.key = linkKey(props.rule.code, props.webhook.code);
    this.resource = this.kit.newResource('integration', this, 'resource', {
      entityType: LINK_IDENTITY.entityType,
      entityId: props.rule.id,
      destination: LINK_IDENTITY.destination,
      destinationId: props.webhook.id,
    });
    this.annotate(this.resource, props.active === false ? { active: false } : {});
    this.validateAtSynth([props.rule, props.webhook]);
  }
}

// ---- credentials ------------------------------------------------------------------------------------------------

export interface CredentialProps {
  /** The credential's name; unique per destination. */
  readonly name: string;
  /** The destination system, as m3ter names it (`STRIPE`) or as the Console shows it (`Stripe`). */
  readonly destination: string;
  /** m3ter's credential type, e.g. `STRIPE_SIGNED_REQUEST`, `HTTP_BASIC`, `CHARGEBEE_AUTH`. */
  readonly type: string;
  /**
   * The type's fields, as in the YAML config (`signingKey`, `username`, `site`, ...): secret fields take a sensitive
   * variable, the others a value.
   * @default no fields
   */
  readonly fields?: Readonly<Record<string, Secret | string | number | boolean>>;
}

/**
 * An integration credential. m3ter's Terraform provider has no resource for it, so it is written under the stack's
 * `"//"` key (a comment to Terraform), where m3ter-config reads it; its secrets only as `${var.NAME}`.
 */
export abstract class CredentialBase extends M3terEntity {
  readonly kind = 'credential';
  /** `DESTINATION/name`, the key an integration names it by. */
  readonly key: string;

  constructor(scope: Construct, id: string, props: CredentialProps) {
    super(scope, id);
    const fields: Record<string, unknown> = {};
    const synthFields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(props.fields ?? {})) {
      const secret = typeof v === 'object';
      fields[k] = secret ? this.secretRef(v, k) : v;
      synthFields[k] = secret ? v.stringValue : v;
    }
    this.check('credential', {
      name: props.name,
      destination: props.destination,
      type: props.type,
      ...fields,
    });
    const dest = findDestination(props.destination);
    this.key = credentialKey(dest?.destination ?? props.destination, props.name);
    // The reader takes these as it takes a resource's strings (Terraform templates), so they are escaped alike.
    const entry = {
      path: this.node.path,
      ...(this.source !== undefined ? { source: this.source } : {}),
      ...escapeLiterals({
        name: props.name,
        destination: dest?.label ?? props.destination,
        type: props.type,
        fields: synthFields,
      }),
    };
    this.kit.newFragment(this, 'entry', () => ({
      '//': { [SYNTH_META_KEY]: { credentials: { [this.synthId()]: entry } } },
    }));
    this.validateAtSynth();
  }
}

// ---- integrations -----------------------------------------------------------------------------------------------

export interface IntegrationProps {
  /** The m3ter entity type synced, e.g. `Bill`, `Account`. */
  readonly entityType: string;
  /** The destination system, e.g. `Stripe`, `NetSuite`. */
  readonly destination: string;
  /**
   * A name, part of the key when there are several integrations of one entity type and destination.
   * @default no name
   */
  readonly name?: string;
  /**
   * The credential it authenticates with.
   * @default none
   */
  readonly credential?: CredentialBase;
  /**
   * m3ter's free-form settings; each value is written JSON-encoded, as the provider expects.
   * @default {}
   */
  readonly configData?: Readonly<Record<string, JsonValue>>;
  /**
   * Whether the integration runs. m3ter's provider cannot set it; m3ter-config can.
   * @default true
   */
  readonly active?: boolean;
}

/** An integration (`m3ter_integration_configuration` other than a notification link). */
export abstract class IntegrationBase extends M3terEntity {
  readonly kind = 'integration';
  readonly key: string;
  /** The generated `m3ter_integration_configuration` binding. */
  readonly resource: ResourceLike;

  constructor(scope: Construct, id: string, props: IntegrationProps) {
    super(scope, id);
    const item = {
      entityType: props.entityType,
      destination: props.destination,
      name: props.name,
      credential: props.credential?.key,
      configData: props.configData,
      active: props.active,
    };
    this.check('integration', item);
    this.key = integrationKey(props.entityType, props.destination, props.name ?? null);
    this.resource = this.kit.newResource('integration', this, 'resource', {
      entityType: props.entityType,
      destination: props.destination,
      ...(props.name !== undefined ? { name: props.name } : {}),
      configData: Object.fromEntries(
        Object.entries(props.configData ?? {}).map(([k, v]) => [k, JSON.stringify(v)]),
      ),
    });
    this.annotate(this.resource, {
      ...(props.credential ? { credential: props.credential.key } : {}),
      ...(props.active === false ? { active: false } : {}),
    });
    this.validateAtSynth(props.credential ? [props.credential] : []);
  }
}

// ---- scheduled events -------------------------------------------------------------------------------------------

export interface ScheduledEventProps {
  /** The event type it makes, `scheduled.<entity>.<custom name>` (e.g. `scheduled.bill.dueSoon`); its key. */
  readonly name: string;
  /** The m3ter entity whose date field it follows, e.g. `Bill`. */
  readonly entity: string;
  /** A date field of that entity, e.g. `dueDate`. */
  readonly field: string;
  /** Days after the field's date. */
  readonly offset: number;
}

/** A scheduled event configuration (`m3ter_scheduled_event_configuration`): an event type rules can listen to. */
export abstract class ScheduledEventBase extends M3terEntity {
  readonly kind = 'scheduledEvent';
  readonly key: string;
  /** The generated `m3ter_scheduled_event_configuration` binding. */
  readonly resource: ResourceLike;

  constructor(scope: Construct, id: string, props: ScheduledEventProps) {
    super(scope, id);
    this.check('scheduledEvent', props);
    this.key = props.name;
    this.resource = this.kit.newResource('scheduledEvent', this, 'resource', {
      name: props.name,
      entity: props.entity,
      field: props.field,
      offset: props.offset,
    });
    this.annotate(this.resource);
    this.validateAtSynth();
  }

  /** Its name as a Terraform reference: a rule's `eventName` that makes Terraform create this first. */
  get eventName(): string {
    return this.resource.getStringAttribute('name');
  }
}

// ---- ignore -----------------------------------------------------------------------------------------------------

/**
 * Live entities to leave alone even when their kind is managed, as the YAML config's `ignore`: per section
 * (`webhooks`, `notificationRules`, `links`, `credentials`, `integrations`), keys or glob patterns (`legacy_*`), or
 * `id:<id>` for one live entity without a usable key (as `m3ter-config import` writes them).
 */
export type IgnoreProps = Readonly<{ [K in keyof ConfigIgnore]: readonly string[] }>;

/**
 * Ignore patterns of the stack. m3ter's provider has nothing for them, so they are written under the stack's `"//"`
 * key (`"//": {"m3ter-config": {"ignore": {...}}}`), where `m3ter-config plan` reads them as the YAML loader reads
 * `ignore`. A stack may hold several; their patterns add up.
 */
export abstract class IgnoreBase extends Construct {
  /** The patterns, per section, as given. */
  readonly patterns: IgnoreProps;
  /** The core library this construct belongs to; each entry point's subclass returns its own. */
  protected get kit(): Kit {
    throw new Error('use the constructs of m3ter-config/cdktf or m3ter-config/cdktn, not their base classes');
  }

  constructor(scope: Construct, id: string, patterns: IgnoreProps) {
    super(scope, id);
    const data = { ignore: JSON.parse(JSON.stringify(patterns)) as unknown };
    const errors: Issue[] = validateConfigData(data).map(({ at: _at, ...rest }) => ({
      ...rest,
      file: 'construct',
      line: 0,
      col: 0,
    }));
    if (errors.some((i) => i.severity === 'error')) throw new M3terConstructError(this.node.path, errors);
    this.patterns = patterns;
    this.kit.newFragment(this, 'entry', () => ({ '//': { [SYNTH_META_KEY]: data } }));
  }
}

// ---- environment ------------------------------------------------------------------------------------------------

/** The name of a process environment variable (never its value). */
export interface EnvRef {
  /** Letters, digits and `_`, not starting with a digit. */
  readonly env: string;
}

/** Where an environment's API key, secret and base URL come from: names of environment variables. */
export interface EnvironmentTargetProps {
  /** The variable holding the API key. */
  readonly apiKey?: EnvRef;
  /** The variable holding the API secret. */
  readonly apiSecret?: EnvRef;
  /**
   * The variable holding the API base URL.
   * @default m3ter's
   */
  readonly baseUrl?: EnvRef;
}

export interface M3terEnvironmentProps {
  /**
   * The environment's name, which `--env NAME` (or `M3TER_CONFIG_ENV`) chooses: a letter, then letters, digits, `_`
   * and `-` (at most 63 characters).
   */
  readonly name: string;
  /** The m3ter org this stack must be applied to: a run whose target is another org is refused before any write. */
  readonly orgId: string;
  /** Whether that org is m3ter's PRODUCTION kind of org (`false`: a SANDBOX org); an org of the other kind is refused. */
  readonly production: boolean;
  /**
   * Where this environment's credentials and base URL come from, as names of environment variables. Flags and the
   * `M3TER_*` variables come first.
   * @default the flags and `M3TER_*` variables only
   */
  readonly target?: EnvironmentTargetProps;
}

/**
 * The environment a stack is for: CDKTF's own idiom for several orgs is one stack per environment, each naming its
 * environment with this construct, as the YAML config's `environments:` does. `m3ter-config plan cdktf.out --env
 * sandbox` reads the stack that names `sandbox`. A stack names at most one environment. Written under the stack's
 * `"//"` (`"//": {"m3ter-config": {"environment": {...}}}`); it holds names of variables, never a secret.
 */
export abstract class M3terEnvironmentBase extends Construct {
  readonly name: string;
  readonly orgId: string;
  readonly production: boolean;
  readonly target: EnvironmentTargetProps;
  /** Where the construct was created in the user's code, when the stack trace shows it. */
  readonly source: string | undefined = callerSource();
  /** The core library this construct belongs to; each entry point's subclass returns its own. */
  protected get kit(): Kit {
    throw new Error('use the constructs of m3ter-config/cdktf or m3ter-config/cdktn, not their base classes');
  }

  constructor(scope: Construct, id: string, props: M3terEnvironmentProps) {
    super(scope, id);
    const stack = this.kit.stackOf(this);
    const other = stack.node
      .findAll()
      .find((c): c is M3terEnvironmentBase => c instanceof M3terEnvironmentBase && c !== this);
    const issues = checkEnvironment(props);
    if (other)
      issues.unshift({
        severity: 'error',
        code: 'environment_twice',
        file: 'construct',
        line: 0,
        col: 0,
        pointer: '',
        message: `this stack already names environment ${JSON.stringify(other.name)} (${other.node.path}); a stack is for one environment`,
        hint: 'make one stack per environment, each with its own M3terEnvironment',
      });
    if (issues.length > 0) throw new M3terConstructError(this.node.path, issues);
    this.name = props.name;
    this.orgId = props.orgId;
    this.production = props.production;
    const target: { -readonly [K in keyof EnvironmentTargetProps]: EnvRef } = {};
    for (const field of TARGET_FIELDS) {
      const ref = props.target?.[field];
      if (ref) target[field] = { env: ref.env };
    }
    this.target = target;
    const entry = {
      path: this.node.path,
      ...(this.source !== undefined ? { source: this.source } : {}),
      ...escapeLiterals({ name: this.name, orgId: this.orgId, production: this.production, target }),
    };
    this.kit.newFragment(this, 'entry', () => ({ '//': { [SYNTH_META_KEY]: { environment: entry } } }));
    this.node.addValidation({ validate: () => this.providerOrgMismatch() });
  }

  /** A provider of the stack given another literal org id would let `terraform apply` change another org. */
  private providerOrgMismatch(): string[] {
    const errors: string[] = [];
    for (const c of this.kit.stackOf(this).node.findAll()) {
      const p = c as unknown as { terraformResourceType?: unknown; orgId?: unknown };
      if (p.terraformResourceType !== 'm3ter' || typeof p.orgId !== 'string') continue;
      if (p.orgId.includes('${') || p.orgId === this.orgId) continue;
      errors.push(
        `${this.node.path}: environment ${JSON.stringify(this.name)} is for org ${JSON.stringify(this.orgId)}, but the provider ${c.node.path} is given org ${JSON.stringify(p.orgId)}; pass orgId: env.orgId to the provider, or leave it out`,
      );
    }
    return errors;
  }
}
