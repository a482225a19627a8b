import type { IdMap } from '../live/contract.js';
import type { Kind } from '../model/kinds.js';

/**
 * The ids and codes known when the apply started, extended with the webhooks and rules created during it, so a link
 * created at a later level resolves its rule and webhook codes to ids that did not exist when the plan was made.
 */
export class ApplyIdMap implements IdMap {
  readonly #base: IdMap;
  readonly #webhookIds = new Map<string, string>();
  readonly #webhookCodes = new Map<string, string>();
  readonly #ruleIds = new Map<string, string>();
  readonly #ruleCodes = new Map<string, string>();

  constructor(base: IdMap) {
    this.#base = base;
  }

  webhookId(code: string): string | undefined {
    return this.#webhookIds.get(code) ?? this.#base.webhookId(code);
  }

  ruleId(code: string): string | undefined {
    return this.#ruleIds.get(code) ?? this.#base.ruleId(code);
  }

  webhookCode(id: string): string | undefined {
    return this.#webhookCodes.get(id) ?? this.#base.webhookCode(id);
  }

  ruleCode(id: string): string | undefined {
    return this.#ruleCodes.get(id) ?? this.#base.ruleCode(id);
  }

  /** Records an entity created (or adopted) during this apply. Only webhooks and rules are referenced by code. */
  remember(kind: Kind, code: string, id: string): void {
    if (kind === 'webhook') {
      this.#webhookIds.set(code, id);
      this.#webhookCodes.set(id, code);
    } else if (kind === 'notificationRule') {
      this.#ruleIds.set(code, id);
      this.#ruleCodes.set(id, code);
    }
  }
}
