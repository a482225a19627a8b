/**
 * The m3ter paths m3ter-config uses, in one place. Segments are percent-encoded, so an id or org id can never
 * change the shape of a path.
 */
export function pathOf(...segments: string[]): string {
  return `/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
}

export function orgPath(orgId: string, ...segments: string[]): string {
  return pathOf('organizations', orgId, ...segments);
}

export const TOKEN_PATH = '/oauth/token';

/** Collection paths under `/organizations/{orgId}`, as segments. */
export const COLLECTION = {
  webhook: ['integrationdestinations', 'webhooks'],
  notificationRule: ['notifications', 'configurations'],
  /** Links and integrations are both integration configurations. */
  integrationConfig: ['integrationconfigs'],
  /**
   * [U] in every public source: the docs index lists integration credentials CRUD, but the path was never
   * published. This is a guess from the docs slug; the emulator serves the same path. Change it here only.
   */
  credential: ['integrationcredentials'],
} as const;

/** The largest `pageSize` each list endpoint accepts (m3ter's OpenAPI ranges). */
export const MAX_PAGE_SIZE = {
  webhook: 200,
  notificationRule: 100,
  integrationConfig: 200,
  credential: 200,
} as const;
