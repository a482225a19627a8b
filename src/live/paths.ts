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

/** An m3ter collection: its path under `/organizations/{orgId}`, its largest page, and what m3ter calls its items. */
export interface Collection {
  readonly segments: readonly string[];
  /** The largest `pageSize` its list accepts (m3ter's OpenAPI ranges). */
  readonly pageSize: number;
  readonly what: string;
}

/** The collections m3ter-config reads and writes. */
export const COLLECTION = {
  webhook: { segments: ['integrationdestinations', 'webhooks'], pageSize: 200, what: 'webhook destination' },
  notificationRule: {
    segments: ['notifications', 'configurations'],
    pageSize: 100,
    what: 'notification rule',
  },
  /** Links and integrations are both integration configurations. */
  integrationConfig: { segments: ['integrationconfigs'], pageSize: 200, what: 'integration configuration' },
  /**
   * [U] in every public source: the docs index lists integration credentials CRUD, but the path was never
   * published. This is a guess from the docs slug; the emulator serves the same path. Change it here only.
   */
  credential: { segments: ['integrationcredentials'], pageSize: 200, what: 'integration credential' },
} as const satisfies Record<string, Collection>;

/** The largest `pageSize` of each collection. */
export const MAX_PAGE_SIZE = {
  webhook: COLLECTION.webhook.pageSize,
  notificationRule: COLLECTION.notificationRule.pageSize,
  integrationConfig: COLLECTION.integrationConfig.pageSize,
  credential: COLLECTION.credential.pageSize,
} as const;
