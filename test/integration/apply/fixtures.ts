import { Secret } from '../../../src/model/secret.js';
import type { DesiredState } from '../../../src/model/state.js';
import { d, desiredState } from '../../unit/plan/builders.js';

/**
 * Example-like desired states, built in code so these tests do not depend on the loader. The examples/ folder
 * itself is applied by examples.test.ts once loadConfig exists.
 */

/** One secret pair for every webhook, so planning pays one scrypt per run rather than one per webhook. */
export function sharedSecrets(): Record<string, Secret> {
  return { apiKey: new Secret('HOOK_KEY', 'hook-key-1'), secret: new Secret('HOOK_SECRET', 'hook-secret-1') };
}

function hook(code: string, over: Parameters<typeof d.webhook>[1] = {}) {
  return { ...d.webhook(code, over), secrets: sharedSecrets() };
}

/** The quickstart shape: one webhook, one rule, one link. */
export function quickstart(): DesiredState {
  return desiredState([
    hook('ops-hook'),
    d.rule('commitment-updated'),
    d.link('commitment-updated', 'ops-hook'),
  ]);
}

/** Every kind, several of each, rules linked to several webhooks. */
export function fullOrg(n = 3): DesiredState {
  const resources = [
    d.credential('SALESFORCE', 'sf-sync'),
    d.credential('CHARGEBEE', 'cb-sync', { type: 'CHARGEBEE_AUTH', settings: { site: 'acme' } }),
  ];
  resources[1] = {
    ...resources[1]!,
    secrets: { apiKey: new Secret('CB_API_KEY', 'cb-api-key') },
  };
  const hooks = Array.from({ length: n }, (_, i) => hook(`hook-${i}`, { active: i % 2 === 0 }));
  const rules = Array.from({ length: n + 1 }, (_, i) =>
    d.rule(`rule-${i}`, i % 2 === 0 ? {} : { calculation: 'new.amount > 100', alwaysFireEvent: true }),
  );
  const links = [];
  for (let r = 0; r <= n; r++) {
    for (let h = 0; h < n; h++) if ((r + h) % 2 === 0) links.push(d.link(`rule-${r}`, `hook-${h}`));
  }
  return desiredState([...resources, ...hooks, ...rules, ...links]);
}

/**
 * `n` webhooks and rules, each rule linked to one webhook; with `credentials`, that many standalone credentials too
 * (then every kind is managed, else credentials are left alone).
 */
export function hooksAndRules(n: number, prefix = 'x', credentials = 0): DesiredState {
  const resources = [];
  for (let i = 0; i < n; i++) {
    resources.push(hook(`${prefix}-hook-${i}`));
    resources.push(d.rule(`${prefix}-rule-${i}`));
    resources.push(d.link(`${prefix}-rule-${i}`, `${prefix}-hook-${i}`));
  }
  for (let i = 0; i < credentials; i++) resources.push(d.credential('SALESFORCE', `${prefix}-cred-${i}`));
  return desiredState(resources, {
    managed: ['webhook', 'notificationRule', 'link', ...(credentials > 0 ? (['credential'] as const) : [])],
  });
}

/**
 * Adds integrations `Account->Salesforce/<name>`, each authenticated by the credential `SALESFORCE/<credential>`
 * (null: none), and manages the kind.
 */
export function withIntegrations(
  state: DesiredState,
  integrations: readonly { name: string; credential: string | null; batch?: number; active?: boolean }[],
): DesiredState {
  for (const i of integrations) {
    const r = d.integration('Account', 'Salesforce', {
      name: i.name,
      credential: i.credential === null ? null : `SALESFORCE/${i.credential}`,
      configData: { batch: i.batch ?? 100 },
      active: i.active ?? true,
    });
    state.resources.integration.set(r.key, r);
  }
  state.managedKinds.add('integration');
  return state;
}

/**
 * Adds scheduled events `scheduled.bill.<name>` (10 days after a bill's due date unless `offset` says otherwise),
 * points each rule of `listeners` (rule code -> event name) at its event, and manages the kind.
 */
export function withScheduledEvents(
  state: DesiredState,
  events: readonly { name: string; offset?: number }[],
  listeners: Readonly<Record<string, string>>,
): DesiredState {
  for (const e of events) {
    const r = d.scheduledEvent(`scheduled.bill.${e.name}`, { offset: e.offset ?? 10 });
    state.resources.scheduledEvent.set(r.key, r);
  }
  for (const [code, event] of Object.entries(listeners)) {
    const rule = state.resources.notificationRule.get(code);
    if (!rule) throw new Error(`no rule ${code}`);
    state.resources.notificationRule.set(code, {
      ...rule,
      attributes: { ...rule.attributes, eventName: `scheduled.bill.${event}` },
    });
  }
  state.managedKinds.add('scheduledEvent');
  return state;
}
