import type { EmulatorCounters } from '../../src/emulator/index.js';

/**
 * How many requests an emulator took that could change its org: every POST, PUT and DELETE but the token's, less
 * those `alsoExcept` names (a test that lets a read-only POST through says so).
 */
export function writeCount(
  c: EmulatorCounters,
  alsoExcept: (route: string) => boolean = () => false,
): number {
  return Object.entries(c.requests)
    .filter(
      ([route]) => /^(POST|PUT|DELETE) /.test(route) && !route.includes('/oauth/token') && !alsoExcept(route),
    )
    .reduce((n, [, v]) => n + v, 0);
}
