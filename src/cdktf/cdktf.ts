/**
 * `m3ter-config/cdktf`: m3ter constructs for CDK for Terraform (`cdktf` 0.21). The same constructs for CDK Terrain are
 * `m3ter-config/cdktn`; both are made from constructs.ts, and a stack uses one core only.
 */
import * as core from 'cdktf';
import type { Construct } from 'constructs';
import * as bindings from './generated/cdktf/index.js';
import {
  CredentialBase,
  IgnoreBase,
  IntegrationBase,
  ScheduledEventBase,
  LinkBase,
  M3terEnvironmentBase,
  NotificationRuleBase,
  type NotifyOptions,
  WebhookBase,
} from './constructs.js';
import { type Kit, makeKit, type SecretVariable } from './kit.js';

export * from './public.js';
/** The generated bindings for m3ter's provider (`m3ter_webhook`, ...), as `cdktf get` would make them. */
export { bindings };

const KIT: Kit = makeKit('cdktf', core, bindings);

/** m3ter's Terraform provider (`m3ter-com/m3ter ~> 0.9.0`); a stack needs one. Its settings default to M3TER_* variables. */
export class M3terProvider extends bindings.provider.M3TerProvider {}

/** A sensitive `TerraformVariable` of type string holding a secret; Terraform and m3ter-config read it from TF_VAR_<id>. */
export function sensitiveVariable(scope: Construct, id: string, description?: string): SecretVariable {
  return KIT.newVariable(scope, id, description);
}

/** A webhook destination (`m3ter_webhook`). */
export class Webhook extends WebhookBase {
  protected override get kit(): Kit {
    return KIT;
  }
}

/** A notification rule (`m3ter_notification_configuration`); `notify(webhook)` links it to a webhook. */
export class NotificationRule extends NotificationRuleBase {
  protected override get kit(): Kit {
    return KIT;
  }
  override notify(webhook: WebhookBase, options: NotifyOptions = {}): Link {
    return new Link(this, `notify-${webhook.node.id}`, { ...options, rule: this, webhook });
  }
}

/** A link from a rule to a webhook (`m3ter_integration_configuration`, entity type Notification). */
export class Link extends LinkBase {
  protected override get kit(): Kit {
    return KIT;
  }
}

/** An integration credential, carried under the stack's `"//"` (the provider has no resource for it). */
export class Credential extends CredentialBase {
  protected override get kit(): Kit {
    return KIT;
  }
}

/** An integration (`m3ter_integration_configuration`). */
export class Integration extends IntegrationBase {
  protected override get kit(): Kit {
    return KIT;
  }
}

/** A scheduled event configuration (`m3ter_scheduled_event_configuration`): pass it as a rule's `eventName`. */
export class ScheduledEvent extends ScheduledEventBase {
  protected override get kit(): Kit {
    return KIT;
  }
}

/**
 * Live entities the stack leaves alone even when their kind is managed, as the YAML config's `ignore`:
 * `new Ignore(stack, 'ignore', { webhooks: ['legacy_*'], links: ['id:123'] })`. Written under the stack's `"//"`.
 */
export class Ignore extends IgnoreBase {
  protected override get kit(): Kit {
    return KIT;
  }
}

/**
 * The environment this stack is for (one stack per environment): `new M3terEnvironment(stack, 'env', { name:
 * 'sandbox', orgId: '...', production: false })`; `--env sandbox` then picks this stack from a cdktf.out. Written
 * under the stack's `"//"`; a stack names at most one.
 */
export class M3terEnvironment extends M3terEnvironmentBase {
  protected override get kit(): Kit {
    return KIT;
  }
}
