import { type EmulatorOptions, type OrgType, resolveOptions } from './options.js';
import { EmulatorServer } from './server.js';
import type { EmulatorCounters } from './counters.js';
import type { Delivery, FireResult } from './deliveries.js';
import type { EmulatorState } from './store.js';

export type { EmulatorCounters } from './counters.js';
export type { Delivery, DeliveryAttempt, FireResult } from './deliveries.js';
export {
  DEFAULT_API_KEY,
  DEFAULT_API_SECRET,
  DEFAULT_EVENT_TYPES,
  DEFAULT_ORG_ID,
  type EmulatorOptions,
  type EmulatorUser,
  FAULT_KINDS,
  type FaultKind,
  isLoopbackHost,
  ORG_TYPES,
  type OrgType,
  SECRET_MASK,
  type UserKind,
  USERS_ME_MODES,
  type UsersMeMode,
} from './options.js';
export type {
  CredentialEntity,
  EmulatorState,
  IntegrationConfigEntity,
  NotificationEntity,
  WebhookEntity,
} from './store.js';

/** In-process handles on a running emulator, the same operations as the /_emulator/* routes. */
export interface EmulatorAdmin {
  /** Delete every entity, restart the fault sequence and rate windows. Issued tokens stay valid. */
  reset(): Promise<void>;
  /** Replace all data with a state export (as from exportState()). */
  seed(state: EmulatorState): Promise<void>;
  /** A deep copy of all data; secrets appear only as digests keyed by a random key of this process. */
  exportState(): EmulatorState;
  counters(): EmulatorCounters;
  resetCounters(): void;
  /** Fires an event, as POST /_emulator/events: `{ eventName, new?, old?, eventTime? }`. */
  fireEvent(event: {
    eventName: string;
    new?: object;
    old?: object;
    eventTime?: string;
  }): Promise<FireResult>;
  /** Every delivery so far, as GET /_emulator/deliveries. */
  deliveries(): Delivery[];
  /** The next attempt of every pending delivery, now (POST /_emulator/deliveries/retry). */
  retryDeliveries(): Promise<Delivery[]>;
}

export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:41234` (use as M3TER_BASE_URL). */
  url: string;
  orgId: string;
  /** The kind of org served, as `users/me` answers it. */
  orgType: OrgType;
  apiKey: string;
  apiSecret: string;
  /** Stops listening, ends every connection (hung ones included) and waits for the state file. */
  close(): Promise<void>;
  admin: EmulatorAdmin;
}

/** Starts an m3ter API emulator over HTTP. See the README section "The m3ter API emulator". */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const resolved = resolveOptions(options);
  const server = new EmulatorServer(resolved);
  const url = await server.start();
  return {
    url,
    orgId: resolved.orgId,
    orgType: resolved.orgType,
    apiKey: resolved.apiKey,
    apiSecret: resolved.apiSecret,
    close: () => server.close(),
    admin: {
      reset: () => server.reset(),
      seed: (state) => server.seed(state),
      exportState: () => server.exportState(),
      counters: () => server.snapshotCounters(),
      resetCounters: () => server.counters.reset(),
      fireEvent: (event) => server.deliveries.fire(event),
      deliveries: () => server.deliveries.list(),
      retryDeliveries: () => server.deliveries.retryNow(),
    },
  };
}
