/** Request counters for tests and benchmarks (`GET /_emulator/counters`). Admin requests are not counted. */
export interface EmulatorCounters {
  /** Every counted request (API routes and /oauth/token). */
  total: number;
  /** By `METHOD /route/template`, e.g. `GET /organizations/{orgId}/notifications/configurations`. */
  requests: Record<string, number>;
  /** Responses sent, by status code. Resets, hangs and commit-then-fail send none. */
  statuses: Record<string, number>;
  /** 429s sent by the rate limiter (injected 429s are counted as faults). */
  rateLimited: number;
  /** Faults injected, all kinds. */
  faultsInjected: number;
  faultsByKind: Record<string, number>;
  tokensIssued: number;
}

export class Counters {
  private c: EmulatorCounters = Counters.empty();

  static empty(): EmulatorCounters {
    return {
      total: 0,
      requests: {},
      statuses: {},
      rateLimited: 0,
      faultsInjected: 0,
      faultsByKind: {},
      tokensIssued: 0,
    };
  }

  request(key: string): void {
    this.c.total++;
    this.c.requests[key] = (this.c.requests[key] ?? 0) + 1;
  }

  status(status: number): void {
    this.c.statuses[status] = (this.c.statuses[status] ?? 0) + 1;
  }

  rateLimited(): void {
    this.c.rateLimited++;
  }

  fault(kind: string): void {
    this.c.faultsInjected++;
    this.c.faultsByKind[kind] = (this.c.faultsByKind[kind] ?? 0) + 1;
  }

  tokenIssued(): void {
    this.c.tokensIssued++;
  }

  snapshot(): EmulatorCounters {
    return structuredClone(this.c);
  }

  reset(): void {
    this.c = Counters.empty();
  }
}
