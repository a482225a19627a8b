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
  /** Set when m3ter never published the path: `segments` is a guess the user can replace (see UNCONFIRMED). */
  readonly unconfirmed?: keyof typeof UNCONFIRMED;
}

/**
 * The paths m3ter-config guesses, each with the one variable that replaces the guess and the config sections that
 * need it (leave them out to go on without it). A 404 from one of these is reported as an unconfirmed endpoint.
 */
export const UNCONFIRMED = {
  credential: {
    variable: 'M3TER_CONFIG_CREDENTIALS_PATH',
    sections: ['credentials', 'integrations'],
  },
} as const satisfies Record<string, { variable: string; sections: readonly string[] }>;

/** Replacements of guessed paths, as segments under `/organizations/{orgId}` (see {@link parseCollectionPath}). */
export type CollectionPaths = { readonly [K in keyof typeof UNCONFIRMED]?: readonly string[] };

/**
 * `integrationcredentials` or `/integration/credentials/`: a path under `/organizations/{orgId}/` as segments.
 * `undefined` when it is not one (empty, `.` or `..`, a query, characters a path segment does not take as is).
 */
export function parseCollectionPath(text: string): string[] | undefined {
  const segments = text
    .trim()
    .replace(/^\/+|\/+$/g, '')
    .split('/');
  if (segments.some((s) => !/^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/.test(s) || s === '..')) return undefined;
  return segments;
}

/** The segments of a collection for a client: the replacement of a guessed path when one is set. */
export function segmentsOf(collection: Collection, paths: CollectionPaths | undefined): readonly string[] {
  return (collection.unconfirmed && paths?.[collection.unconfirmed]) ?? collection.segments;
}

/** The collections m3ter-config reads and writes. */
export const COLLECTION = {
  webhook: { segments: ['integrationdestinations', 'webhooks'], pageSize: 200, what: 'webhook destination' },
  notificationRule: {
    segments: ['notifications', 'configurations'],
    pageSize: 100,
    what: 'notification rule',
  },
  scheduledEvent: {
    segments: ['scheduledevents', 'configurations'],
    pageSize: 100,
    what: 'scheduled event configuration',
  },
  /** Links and integrations are both integration configurations. */
  integrationConfig: { segments: ['integrationconfigs'], pageSize: 200, what: 'integration configuration' },
  /**
   * [U] in every public source: the docs index lists integration credentials CRUD, but the path was never
   * published. This is a guess from the docs slug; the emulator serves the same path. Change it here only; a user
   * sets another with M3TER_CONFIG_CREDENTIALS_PATH (UNCONFIRMED).
   */
  credential: {
    segments: ['integrationcredentials'],
    pageSize: 200,
    what: 'integration credential',
    unconfirmed: 'credential',
  },
} as const satisfies Record<string, Collection>;

/** The largest `pageSize` of each collection. */
export const MAX_PAGE_SIZE = {
  webhook: COLLECTION.webhook.pageSize,
  notificationRule: COLLECTION.notificationRule.pageSize,
  scheduledEvent: COLLECTION.scheduledEvent.pageSize,
  integrationConfig: COLLECTION.integrationConfig.pageSize,
  credential: COLLECTION.credential.pageSize,
} as const;
