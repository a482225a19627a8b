/**
 * One app, two m3ter orgs: a stack per environment, CDKTF's own idiom. Each stack names its environment (the org it
 * must target and whether that org is a production one); the two differ only in the values passed to the stack
 * class: the receiver's URL and whether the ops webhook is active.
 *
 *   npx tsx examples/cdktf/environments.ts     # writes cdktf.out/stacks/ops-sandbox and cdktf.out/stacks/ops-production
 *   npx m3ter-config plan cdktf.out --env sandbox --dotenv examples/cdktf/environments.env
 *   npx m3ter-config plan cdktf.out --env production --dotenv examples/cdktf/environments.env
 *
 * `--env NAME` picks the stack naming that environment; its `target` says which variables hold that org's API key
 * and secret. For CDK Terrain, import from 'cdktn' and 'm3ter-config/cdktn' instead; nothing else changes.
 */
import { App, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import {
  M3terEnvironment,
  type M3terEnvironmentProps,
  M3terProvider,
  NotificationRule,
  sensitiveVariable,
  Webhook,
} from 'm3ter-config/cdktf';

/** What differs between the environments. */
interface OpsSettings {
  readonly environment: M3terEnvironmentProps;
  /** Where this environment's receiver listens. */
  readonly receiverBase: string;
  /** Whether the ops webhook delivers (the sandbox one is kept quiet). */
  readonly opsActive: boolean;
}

class OpsStack extends TerraformStack {
  constructor(scope: Construct, id: string, settings: OpsSettings) {
    super(scope, id);
    const env = new M3terEnvironment(this, 'environment', settings.environment);
    // Terraform, too, then targets the environment's org.
    new M3terProvider(this, 'm3ter', { orgId: env.orgId });

    // The same variable names in every stack: each run sets TF_VAR_* to its own org's values.
    const ops = new Webhook(this, 'ops', {
      code: 'ops_alerts',
      name: 'Ops alerts',
      description: 'Pages the on-call engineer',
      url: `${settings.receiverBase}/m3ter`,
      active: settings.opsActive,
      apiKey: sensitiveVariable(this, 'ops_webhook_api_key', 'Key id m3ter signs webhook requests with'),
      secret: sensitiveVariable(this, 'ops_webhook_secret', 'Webhook signing secret'),
    });
    new NotificationRule(this, 'bill-created', {
      code: 'bill_created',
      name: 'Bill created',
      description: 'Fires on every new bill',
      eventName: 'billing.bill.created',
      alwaysFireEvent: true,
    }).notify(ops);
  }
}

const app = new App();
new OpsStack(app, 'ops-sandbox', {
  environment: {
    name: 'sandbox',
    orgId: '00000000-0000-4000-8000-00000000a001',
    production: false,
    target: { apiKey: { env: 'M3TER_SANDBOX_API_KEY' }, apiSecret: { env: 'M3TER_SANDBOX_API_SECRET' } },
  },
  receiverBase: 'https://sandbox-hooks.example.com',
  opsActive: false,
});
new OpsStack(app, 'ops-production', {
  environment: {
    name: 'production',
    orgId: '00000000-0000-4000-8000-00000000b002',
    production: true,
    target: {
      apiKey: { env: 'M3TER_PRODUCTION_API_KEY' },
      apiSecret: { env: 'M3TER_PRODUCTION_API_SECRET' },
    },
  },
  receiverBase: 'https://hooks.example.com',
  opsActive: true,
});
app.synth();
