import { InternalError } from '../model/errors.js';
import { parseFingerprint } from '../model/fingerprint.js';
import type { DesiredResource, LiveResource, WebhookAttributes } from '../model/resource.js';
import type { KindAdapter, LiveClient, WriteContext } from './contract.js';
import { fingerprintMaterial, idKey } from '../kinds/index.js';
import { defineAdapter } from './define-adapter.js';
import { bool, entityOf, num, obj, type RawEntity, str } from './entity.js';
import { COLLECTION } from './paths.js';

/**
 * Webhook destinations (`/integrationdestinations/webhooks`). Each owns an embedded M3TER_SIGNED_REQUEST
 * credential whose `name` carries m3ter-config's secret fingerprint (model/fingerprint.ts).
 */

/** m3ter's JSON → the canonical webhook, with the loader's defaults (a missing `active` is true). */
export function normalizeWebhook(value: unknown): LiveResource<'webhook'> {
  const { raw, live } = entityOf(value, 'webhook destination');
  const creds = obj(raw, 'credentials');
  const attributes: WebhookAttributes = {
    name: str(raw, 'name') ?? '',
    description: str(raw, 'description') ?? '',
    url: str(raw, 'url') ?? '',
    active: bool(raw, 'active') ?? true,
    credentialType: (str(creds ?? {}, 'type') ??
      'M3TER_SIGNED_REQUEST') as WebhookAttributes['credentialType'],
  };
  if (creds) {
    const fingerprint = str(creds, 'name');
    if (parseFingerprint(fingerprint) && fingerprint !== undefined) live.secretFingerprint = fingerprint;
    const credId = str(creds, 'id');
    if (credId !== undefined) live.credentialId = credId;
    const credVersion = num(creds, 'version');
    if (credVersion !== undefined) live.credentialVersion = credVersion;
  }
  const code = str(raw, 'code');
  return { kind: 'webhook', key: code ? code : idKey(live.id), attributes, live };
}

/** The full body m3ter requires on create and on update (PUT replaces everything, credentials included). */
export async function webhookBody(
  desired: DesiredResource<'webhook'>,
  ctx: WriteContext,
): Promise<RawEntity> {
  const material = fingerprintMaterial(desired);
  if (!material) {
    throw new InternalError(
      'internal_missing_secret',
      `webhook ${desired.key} has no resolved apiKey and secret`,
      {
        key: desired.key,
      },
    );
  }
  const a = desired.attributes;
  return {
    name: a.name,
    description: a.description,
    url: a.url,
    code: desired.key,
    active: a.active,
    credentials: {
      type: a.credentialType,
      apiKey: desired.secrets?.['apiKey']?.reveal(),
      secret: desired.secrets?.['secret']?.reveal(),
      name: await ctx.fingerprints.compute(material, ctx.salt),
      destination: 'WEBHOOK',
    },
  };
}

/**
 * m3ter documents a separate `PUT .../active?active=` call; if it ever ignores `active` in the body, fix it with
 * that call (the emulator honours the body, so this costs nothing there).
 */
async function settleActive(
  client: LiveClient,
  result: LiveResource<'webhook'>,
  desired: DesiredResource<'webhook'>,
): Promise<LiveResource<'webhook'>> {
  const active = desired.attributes.active;
  if (result.attributes.active === active) return result;
  const path = `${webhookAdapter.path(client, result.live.id)}/active`;
  return normalizeWebhook(await client.put(path, undefined, { active: String(active) }));
}

export const webhookAdapter: KindAdapter<'webhook'> = defineAdapter({
  kind: 'webhook',
  collection: COLLECTION.webhook,
  accepts: () => true,
  normalize: normalizeWebhook,
  body: webhookBody,
  settle: settleActive,
  // A webhook written by this run carries this run's salt in its secret fingerprint.
  carriesRunSecrets: (live, ctx) =>
    parseFingerprint(live.live.secretFingerprint)?.salt.equals(ctx.salt) === true,
});
