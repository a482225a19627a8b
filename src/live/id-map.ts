import type { LiveState } from '../model/state.js';
import type { IdMap } from './contract.js';

/** An IdMap that apply extends as it creates webhooks and rules, and trims as it deletes them. */
export interface MutableIdMap extends IdMap {
  set(kind: 'webhook' | 'notificationRule', code: string, id: string): void;
  /** Forget an id (after a delete). */
  drop(kind: 'webhook' | 'notificationRule', id: string): void;
}

class Bimap {
  readonly idByCode = new Map<string, string>();
  readonly codeById = new Map<string, string>();

  set(code: string, id: string): void {
    const oldCode = this.codeById.get(id);
    if (oldCode !== undefined && oldCode !== code && this.idByCode.get(oldCode) === id)
      this.idByCode.delete(oldCode);
    this.idByCode.set(code, id);
    this.codeById.set(id, code);
  }

  /** Keeps the first id seen for a code (the canonical entity); later ids still resolve to the code. */
  add(code: string, id: string): void {
    if (!this.idByCode.has(code)) this.idByCode.set(code, id);
    this.codeById.set(id, code);
  }

  drop(id: string): void {
    const code = this.codeById.get(id);
    this.codeById.delete(id);
    if (code !== undefined && this.idByCode.get(code) === id) this.idByCode.delete(code);
  }
}

/**
 * Ids and codes of webhooks and rules, both ways. Built from live state (entities keyed `id:<id>` have no code and
 * are left out); with duplicate codes the entity live state keys by the code wins.
 */
export function createIdMap(live?: Pick<LiveState, 'resources'>): MutableIdMap {
  const webhooks = new Bimap();
  const rules = new Bimap();
  if (live) {
    for (const w of live.resources.webhook.values())
      if (!w.key.startsWith('id:')) webhooks.add(w.key, w.live.id);
    for (const r of live.resources.notificationRule.values()) {
      if (!r.key.startsWith('id:')) rules.add(r.key, r.live.id);
    }
  }
  const pick = (kind: 'webhook' | 'notificationRule'): Bimap => (kind === 'webhook' ? webhooks : rules);
  return {
    webhookId: (code) => webhooks.idByCode.get(code),
    ruleId: (code) => rules.idByCode.get(code),
    webhookCode: (id) => webhooks.codeById.get(id),
    ruleCode: (id) => rules.codeById.get(id),
    set: (kind, code, id) => pick(kind).set(code, id),
    drop: (kind, id) => pick(kind).drop(id),
  };
}
