import type { RunningEmulator } from '../../src/emulator/index.js';

/**
 * Seeds an emulator through its m3ter API (token, then POSTs), as a user clicking in the Console would make an org:
 * no admin shortcut, so the entities carry exactly what m3ter stores for such requests (webhooks without a
 * m3ter-config fingerprint, for one).
 */
export interface ApiSeeder {
  webhook(body: Record<string, unknown>): Promise<{ id: string }>;
  rule(body: Record<string, unknown>): Promise<{ id: string }>;
  config(body: Record<string, unknown>): Promise<{ id: string }>;
  credential(body: Record<string, unknown>): Promise<{ id: string }>;
  scheduledEvent(body: Record<string, unknown>): Promise<{ id: string }>;
}

export async function apiSeeder(emulator: RunningEmulator): Promise<ApiSeeder> {
  const basic = Buffer.from(`${emulator.apiKey}:${emulator.apiSecret}`).toString('base64');
  const tokenAnswer = await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials' }),
  });
  const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
  const post = async (path: string, body: Record<string, unknown>): Promise<{ id: string }> => {
    const res = await fetch(`${emulator.url}/organizations/${emulator.orgId}/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { id: string; message?: string };
    if (!res.ok) throw new Error(`seeding ${path}: ${res.status} ${json.message ?? ''}`);
    return json;
  };
  return {
    webhook: (body) => post('integrationdestinations/webhooks', body),
    rule: (body) => post('notifications/configurations', body),
    config: (body) => post('integrationconfigs', body),
    credential: (body) => post('integrationcredentials', body),
    scheduledEvent: (body) => post('scheduledevents/configurations', body),
  };
}
