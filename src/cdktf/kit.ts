import type { Construct, IConstruct } from 'constructs';
import { escapeTemplate } from '../model/tf-template.js';

/**
 * What the constructs need from a core library (`cdktf` or CDK Terrain's `cdktn`) and its generated bindings. The two
 * cores have the same API but their classes do not mix, so each entry point (cdktf.ts, cdktn.ts) makes one kit from
 * its own core and the constructs are written once against it.
 */

/** A Terraform variable, as the core's `TerraformVariable`. Secrets must be declared `sensitive: true`. */
export interface SecretVariable extends IConstruct {
  /** The `${var.NAME}` token. */
  readonly stringValue: string;
  readonly sensitive?: boolean | undefined;
  readonly default?: unknown;
  readonly friendlyUniqueId: string;
}

/** A generated resource binding's instance. */
export interface ResourceLike extends IConstruct {
  /** The `${type.name.id}` token. */
  readonly id: string;
  readonly friendlyUniqueId: string;
  /** The `${type.name.<attribute>}` token of one of its attributes. */
  getStringAttribute(terraformAttribute: string): string;
  addOverride(path: string, value: unknown): void;
  overrideLogicalId(id: string): void;
}

type ResourceClass = new (scope: Construct, id: string, config: never) => ResourceLike;

/** The part of a core module the constructs use (structural, so both cores fit). */
export interface CoreModule {
  TerraformVariable: new (
    scope: Construct,
    id: string,
    config: { type?: string; sensitive?: boolean; description?: string },
  ) => SecretVariable;
  TerraformElement: new (scope: Construct, id: string) => IConstruct & { toTerraform(): unknown };
  TerraformStack: { of(construct: IConstruct): IConstruct };
  Annotations: { of(scope: IConstruct): { addWarning(message: string): void } };
}

/** The generated bindings the constructs create (src/cdktf/generated/<core>/). */
export interface BindingsModule {
  webhook: { Webhook: ResourceClass };
  notificationConfiguration: { NotificationConfiguration: ResourceClass };
  integrationConfiguration: { IntegrationConfiguration: ResourceClass };
  scheduledEventConfiguration: { ScheduledEventConfiguration: ResourceClass };
}

export interface Kit {
  /** The core's package name, for messages. */
  readonly core: 'cdktf' | 'cdktn';
  isVariable(value: unknown): value is SecretVariable;
  newVariable(scope: Construct, id: string, description: string | undefined): SecretVariable;
  newResource(
    kind: 'webhook' | 'notification' | 'integration' | 'scheduledEvent',
    scope: Construct,
    id: string,
    config: object,
  ): ResourceLike;
  /** An element whose only output is `fragment()` merged into the stack's JSON (for the root `"//"`). */
  newFragment(scope: Construct, id: string, fragment: () => object): IConstruct;
  stackOf(construct: IConstruct): IConstruct;
  warn(scope: IConstruct, message: string): void;
}

/** A string token of either core (`${TfToken[TOKEN.12]}`), which resolves to a Terraform expression at synth. */
const STRING_TOKEN = /\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;

/**
 * A value with every literal part of its strings escaped for Terraform's templates (`${` as `$${`, `%{` as `%%{`)
 * and the cores' tokens kept: neither core escapes a literal string, so a description holding `${var.x}` would be
 * synthesized as an expression. Objects and arrays are walked; tokens of other types pass through.
 */
export function escapeLiterals<T>(value: T): T {
  if (typeof value === 'string') {
    let out = '';
    let last = 0;
    for (const m of value.matchAll(STRING_TOKEN)) {
      out += escapeTemplate(value.slice(last, m.index)) + m[0];
      last = m.index + m[0].length;
    }
    return (out + escapeTemplate(value.slice(last))) as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => escapeLiterals(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeLiterals(v)])) as T;
  return value;
}

export function makeKit(core: Kit['core'], lib: CoreModule, bindings: BindingsModule): Kit {
  class Fragment extends lib.TerraformElement {
    constructor(
      scope: Construct,
      id: string,
      private readonly fragment: () => object,
    ) {
      super(scope, id);
    }
    override toTerraform(): unknown {
      return this.fragment();
    }
  }
  const classes = {
    webhook: bindings.webhook.Webhook,
    notification: bindings.notificationConfiguration.NotificationConfiguration,
    integration: bindings.integrationConfiguration.IntegrationConfiguration,
    scheduledEvent: bindings.scheduledEventConfiguration.ScheduledEventConfiguration,
  };
  return {
    core,
    isVariable: (value): value is SecretVariable => value instanceof lib.TerraformVariable,
    newVariable: (scope, id, description) =>
      new lib.TerraformVariable(scope, id, {
        type: 'string',
        sensitive: true,
        ...(description !== undefined ? { description } : {}),
      }),
    newResource: (kind, scope, id, config) => new classes[kind](scope, id, escapeLiterals(config) as never),
    newFragment: (scope, id, fragment) => new Fragment(scope, id, fragment),
    stackOf: (construct) => lib.TerraformStack.of(construct),
    warn: (scope, message) => lib.Annotations.of(scope).addWarning(message),
  };
}
