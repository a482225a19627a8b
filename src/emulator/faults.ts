import { seededRandom } from '../model/random.js';
import type { FaultKind, ResolvedOptions } from './options.js';

export interface FaultDecision {
  kind: FaultKind;
  /** For '5xx': which status. */
  status: number;
}

const SERVER_ERRORS = [500, 502, 504] as const;

/**
 * One draw per API request that passed auth and the rate limit, in arrival order. A request gets a fault when
 * the first draw is below faultRate; a second draw picks the kind, a third the 5xx status.
 */
export class FaultPlan {
  private rand: () => number;
  constructor(private readonly options: ResolvedOptions) {
    // The same seed replays the same faults for the same request order.
    this.rand = seededRandom(options.seed);
  }

  next(): FaultDecision | undefined {
    const { faultRate, faultKinds } = this.options;
    if (faultRate <= 0) return undefined;
    if (this.rand() >= faultRate) return undefined;
    const kind = faultKinds[Math.floor(this.rand() * faultKinds.length)] as FaultKind;
    const status =
      kind === '5xx' ? (SERVER_ERRORS[Math.floor(this.rand() * SERVER_ERRORS.length)] as number) : 0;
    return { kind, status };
  }

  /** Start the sequence over (admin reset). */
  restart(): void {
    this.rand = seededRandom(this.options.seed);
  }
}

/**
 * The per-organization limit (m3ter documents 50 requests/second from all callers, throttled "for the remainder
 * of the second"): fixed windows aligned to whole clock seconds.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { second: number; count: number }>();
  constructor(private readonly options: ResolvedOptions) {}

  /** undefined when allowed; otherwise the whole seconds until the window ends (for Retry-After). */
  take(orgId: string): number | undefined {
    const limit = this.options.rateLimit;
    if (limit <= 0) return undefined;
    const now = this.options.now();
    const second = Math.floor(now / 1000);
    let w = this.windows.get(orgId);
    if (!w || w.second !== second) {
      // Requests to unknown orgs are counted too (before auth); keep that map from growing without bound.
      if (this.windows.size > 1_000) this.windows.clear();
      w = { second, count: 0 };
      this.windows.set(orgId, w);
    }
    w.count++;
    if (w.count <= limit) return undefined;
    return Math.max(1, Math.ceil(((second + 1) * 1000 - now) / 1000));
  }

  clear(): void {
    this.windows.clear();
  }
}
