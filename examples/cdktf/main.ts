/**
 * The quickstart as a CDK for Terraform stack: one webhook, two notification rules sending to it, one integration
 * credential, and an integration that syncs bills to Stripe with that credential. It declares exactly what
 * examples/quickstart and examples/integrations declare together (the credential rests on an endpoint m3ter has
 * not published: see examples/integrations/README.md).
 *
 *   npm run synth                     # writes cdktf.out/stacks/quickstart/cdk.tf.json (or: cdktf synth)
 *   npx m3ter-config plan cdktf.out/stacks/quickstart --dotenv examples/cdktf/cdktf.env
 *
 * For CDK Terrain, import from 'cdktn' and 'm3ter-config/cdktn' instead; nothing else changes.
 */
import { App, TerraformStack } from 'cdktf';
import {
  Credential,
  Integration,
  M3terProvider,
  NotificationRule,
  sensitiveVariable,
  Webhook,
} from 'm3ter-config/cdktf';

const app = new App();
const stack = new TerraformStack(app, 'quickstart');
new M3terProvider(stack, 'm3ter');

// Secrets are sensitive variables: their values come from TF_VAR_<name> (cdktf.env holds fake ones).
const receiver = new Webhook(stack, 'receiver', {
  // No `code`, so it is derived from the name: "Quickstart receiver" -> quickstart_receiver.
  name: 'Quickstart receiver',
  description: 'Receives the quickstart notifications',
  url: 'https://webhooks.example.com/m3ter/quickstart',
  apiKey: sensitiveVariable(stack, 'quickstart_webhook_api_key', 'Key id m3ter signs webhook requests with'),
  secret: sensitiveVariable(stack, 'quickstart_webhook_secret', 'Webhook signing secret'),
});

new NotificationRule(stack, 'commitment-under-10-percent', {
  code: 'commitment_under_10_percent',
  name: 'Commitment has under 10% remaining',
  description: "Fires when a commitment's spend crosses 90%",
  eventName: 'configuration.commitment.updated',
  calculation:
    '(new.amountSpent >= ((new.amount*90)/100)) AND ' +
    '((old.amountSpent <= ((old.amount*90)/100)) OR (old.amountSpent == null))',
}).notify(receiver);

new NotificationRule(stack, 'bill-created', {
  code: 'bill_created',
  name: 'Bill created',
  description: 'Fires on every new bill',
  eventName: 'billing.bill.created',
  alwaysFireEvent: true,
}).notify(receiver);

// m3ter's provider has no credentials resource: this one is carried under "//" for m3ter-config.
const stripe = new Credential(stack, 'quickstart-stripe', {
  name: 'quickstart-stripe',
  destination: 'Stripe',
  type: 'STRIPE_SIGNED_REQUEST',
  fields: { signingKey: sensitiveVariable(stack, 'quickstart_stripe_signing_key', 'Stripe signing key') },
});

new Integration(stack, 'bills-to-stripe', {
  entityType: 'Bill',
  destination: 'Stripe',
  credential: stripe,
  configData: { syncOnApproval: true },
});

app.synth();
