import { createHash } from 'node:crypto';
import { type ApiContext, type ApiRequest, type Route, route } from './api.js';

/**
 * GET /organizations/{orgId}/users/me, shaped as m3ter's MeResponse: the caller (`serviceUser` for a service user's
 * token, `user` for a person's, never both) and the org with its `type`, the only signal m3ter's API gives of
 * sandbox against production. A path naming another org never gets here: the server refuses it first.
 */
export function usersMeRoutes(ctx: ApiContext): Route[] {
  // Audit times of entities the emulator does not let anyone change: when it started.
  const since = ctx.nowIso();
  const audit = { dtCreated: since, dtLastModified: since, createdBy: 'SYSTEM', lastModifiedBy: 'SYSTEM' };
  const { orgId, orgType } = ctx.options;
  return [
    route('GET', '/organizations/{orgId}/users/me', (req) => ({
      body: {
        ...caller(req, orgId, audit),
        organization: {
          id: orgId,
          version: 1,
          orgId,
          organizationName: orgType === 'PRODUCTION' ? 'Emulated production org' : 'Emulated sandbox org',
          shortName: orgType === 'PRODUCTION' ? 'emulator-production' : 'emulator-sandbox',
          type: orgType,
          status: 'ACTIVE',
          ...audit,
        },
      },
    })),
  ];
}

function caller(req: ApiRequest, orgId: string, audit: Record<string, string>): Record<string, unknown> {
  const { apiKey, kind } = req.caller;
  const id = stableId(`${orgId}\u0000${kind}\u0000${apiKey}`);
  if (kind === 'serviceUser') return { serviceUser: { id, version: 1, name: apiKey, ...audit } };
  return {
    user: {
      id,
      version: 1,
      firstName: 'Emulated',
      lastName: 'User',
      email: `${encodeURIComponent(apiKey)}@users.emulator.invalid`,
      organizations: [orgId],
      supportUser: false,
      ...audit,
    },
  };
}

/** A UUID (v4 layout) derived from `seed`, so a user keeps its id across restarts and state files. */
function stableId(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
