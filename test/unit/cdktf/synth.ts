import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as cdktf from 'cdktf';
import * as cdktn from 'cdktn';
import type { TerraformStack } from 'cdktf';
import * as m3cdktf from '../../../src/cdktf/cdktf.js';
import * as m3cdktn from '../../../src/cdktf/cdktn.js';

/** One core and its entry point. The cdktn types are the cdktf ones in shape; their classes do not mix. */
export interface Core {
  name: 'cdktf' | 'cdktn';
  lib: typeof cdktf;
  m3: typeof m3cdktf;
}

export const CORES: readonly Core[] = [
  { name: 'cdktf', lib: cdktf, m3: m3cdktf },
  { name: 'cdktn', lib: cdktn as unknown as typeof cdktf, m3: m3cdktn as unknown as typeof m3cdktf },
];

/** Synthesizes one stack named `stack` into a fresh outdir; returns its cdk.tf.json (text and data) and the dir. */
export function synth(
  core: Core,
  build: (stack: TerraformStack, m3: typeof m3cdktf) => void,
  options: { provider?: boolean; keep?: boolean } = {},
): { text: string; json: Record<string, unknown>; outdir: string; file: string } {
  const outdir = mkdtempSync(path.join(tmpdir(), `m3ter-${core.name}-`));
  try {
    const app = new core.lib.App({ outdir });
    const stack = new core.lib.TerraformStack(app, 'stack');
    if (options.provider !== false) new core.m3.M3terProvider(stack, 'm3ter');
    build(stack, core.m3);
    app.synth();
    const file = path.join(outdir, 'stacks/stack/cdk.tf.json');
    const text = readFileSync(file, 'utf8');
    return { text, json: JSON.parse(text) as Record<string, unknown>, outdir, file };
  } finally {
    if (!options.keep) rmSync(outdir, { recursive: true, force: true });
  }
}

/** Golden-file form: no absolute paths, no source line numbers (they move with every edit of a test). */
export function normalise(text: string): string {
  return text
    .replace(/"path": "\/[^"]*\/(terraform\.[^"/]+\.tfstate)"/g, '"path": "<cwd>/$1"')
    .replace(/("source": "[^"]+):\d+:\d+"/g, '$1:LINE:COL"');
}

/** The quickstart's declarations, in constructs. */
export function quickstart(stack: TerraformStack, m3: typeof m3cdktf): void {
  const receiver = new m3.Webhook(stack, 'receiver', {
    name: 'Quickstart receiver',
    description: 'Receives the quickstart notifications',
    url: 'https://webhooks.example.com/m3ter/quickstart',
    apiKey: m3.sensitiveVariable(stack, 'quickstart_webhook_api_key'),
    secret: m3.sensitiveVariable(stack, 'quickstart_webhook_secret'),
  });
  new m3.NotificationRule(stack, 'commitment', {
    code: 'commitment_under_10_percent',
    name: 'Commitment has under 10% remaining',
    description: "Fires when a commitment's spend crosses 90%",
    eventName: 'configuration.commitment.updated',
    calculation: '(new.amountSpent >= ((new.amount*90)/100))',
  }).notify(receiver);
  new m3.NotificationRule(stack, 'bill-created', {
    code: 'bill_created',
    name: 'Bill created',
    description: 'Fires on every new bill',
    eventName: 'billing.bill.created',
    alwaysFireEvent: true,
  }).notify(receiver, { active: false });
  const stripe = new m3.Credential(stack, 'stripe', {
    name: 'quickstart-stripe',
    destination: 'Stripe',
    type: 'STRIPE_SIGNED_REQUEST',
    fields: { signingKey: m3.sensitiveVariable(stack, 'quickstart_stripe_signing_key') },
  });
  new m3.Integration(stack, 'bills', {
    entityType: 'Bill',
    destination: 'Stripe',
    credential: stripe,
    configData: { syncOnApproval: true, accounts: ['a', 'b'] },
  });
}
