import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../../src/emulator/index.js';
import { type ClientOptions, createClient } from '../../../src/live/client.js';
import type { LiveClient, Target } from '../../../src/live/contract.js';

export function targetOf(emu: RunningEmulator, secret = emu.apiSecret): Target {
  return {
    description: { type: 'm3ter', orgId: emu.orgId, baseUrl: emu.url },
    orgId: emu.orgId,
    baseUrl: emu.url,
    apiKey: emu.apiKey,
    apiSecretReveal: () => secret,
  };
}

/** An emulator on 127.0.0.1:0 and a real client for it; `close` ends both. */
export async function startPair(
  emulatorOptions: EmulatorOptions = {},
  clientOptions: ClientOptions = {},
): Promise<{ emu: RunningEmulator; client: LiveClient; close: () => Promise<void> }> {
  const emu = await startEmulator({ rateLimit: 0, ...emulatorOptions });
  const client = createClient(targetOf(emu), clientOptions);
  return {
    emu,
    client,
    close: async () => {
      await client.close();
      await emu.close();
    },
  };
}

/** A clock whose sleeps return at once and move its time forward instead, for retry tests. */
export function noWaitClock(): { now: () => number; sleep: (ms: number) => Promise<void> } {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    sleep: async (ms) => {
      offset += ms;
    },
  };
}
