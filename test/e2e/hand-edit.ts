import { expect } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';

/** A change by hand: the rule read from the org, its description edited, and PUT back with its version. */
export async function editRuleByHand(emu: RunningEmulator, code: string, description: string): Promise<void> {
  const basic = Buffer.from(`${emu.apiKey}:${emu.apiSecret}`).toString('base64');
  const tokenAnswer = await fetch(`${emu.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials' }),
  });
  const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const base = `${emu.url}/organizations/${emu.orgId}/notifications/configurations`;
  const list = (await (await fetch(base, { headers })).json()) as { data: { id: string; code: string }[] };
  const rule = list.data.find((r) => r.code === code);
  expect(rule).toBeDefined();
  const current = (await (await fetch(`${base}/${rule!.id}`, { headers })).json()) as Record<string, unknown>;
  const res = await fetch(`${base}/${rule!.id}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ ...current, description }),
  });
  expect(res.status).toBe(200);
}
