/**
 * The one table of integration credential kinds: which destination systems exist, how the config language names
 * them, which m3ter `DestinationType` each maps to, which credential `type`s each accepts, and the fields each type
 * needs. The schema (schemas/credential.schema.json), the loader and the live client all read this table; a test
 * checks that the schema's property list matches it.
 *
 * Provenance: the destination and type names come from m3ter's `DestinationType` and
 * `IntegrationCredentialsRequestBase.type` enums in its OpenAPI spec. m3ter does not publish the type-specific
 * payloads, so the field names below are our choice [U]: keep them here, in one place, so they are easy to change.
 */

/** One field a credential type needs. */
export interface CredentialField {
  /** The key in the YAML file and in the API body. */
  name: string;
  /** Secret fields are written as env references and held in `Secret` objects; others are plain settings. */
  secret: boolean;
  required: boolean;
  description: string;
}

export interface CredentialTypeSpec {
  /** m3ter's credential type, e.g. `CHARGEBEE_AUTH`. */
  type: string;
  fields: readonly CredentialField[];
}

export interface DestinationSpec {
  /** The name users write in `destination:`, e.g. `Stripe`, `AWS Marketplace`. */
  label: string;
  /**
   * The value in the canonical model and the API: m3ter's `DestinationType` where one exists (`STRIPE`, `AWS`),
   * else an upper-case name of our own (`HUBSPOT`) [U].
   */
  destination: string;
  /** True when `destination` is a value of m3ter's published `DestinationType` enum. */
  m3terDestinationType: boolean;
  types: readonly CredentialTypeSpec[];
}

const secret = (name: string, description: string): CredentialField => ({
  name,
  secret: true,
  required: true,
  description,
});
const setting = (name: string, description: string, required = true): CredentialField => ({
  name,
  secret: false,
  required,
  description,
});

const spec = (type: string, ...fields: CredentialField[]): CredentialTypeSpec => ({ type, fields });

const HTTP_BASIC = spec(
  'HTTP_BASIC',
  setting('username', 'User name for HTTP basic authentication.'),
  secret('password', 'Password.'),
);
const OAUTH_CLIENT_CREDENTIALS = spec(
  'OAUTH_CLIENT_CREDENTIALS',
  setting('clientId', 'OAuth client id.'),
  secret('clientSecret', 'OAuth client secret.'),
);
const STRIPE_SIGNED_REQUEST = spec(
  'STRIPE_SIGNED_REQUEST',
  secret('signingKey', 'The Stripe webhook signing key (whsec_...).'),
);
const PADDLE_AUTH = spec(
  'PADDLE_AUTH',
  setting('vendorId', 'Paddle vendor id.'),
  secret('apiKey', 'Paddle API key.'),
);
const STATIC_API_KEY = spec('STATIC_API_KEY', secret('apiKey', 'The API key.'));

/** Every destination the config language knows, in the order error messages list them. */
export const CREDENTIAL_DESTINATIONS: readonly DestinationSpec[] = [
  { label: 'Stripe', destination: 'STRIPE', m3terDestinationType: true, types: [STRIPE_SIGNED_REQUEST] },
  {
    label: 'Stripe test',
    destination: 'STRIPE_TEST',
    m3terDestinationType: true,
    types: [STRIPE_SIGNED_REQUEST],
  },
  {
    label: 'NetSuite',
    destination: 'NETSUITE',
    m3terDestinationType: true,
    types: [
      {
        type: 'NETSUITE_AUTH',
        fields: [
          setting('accountId', 'NetSuite account id.'),
          setting('consumerKey', 'Consumer key of the NetSuite integration record.'),
          secret('consumerSecret', 'Consumer secret of the NetSuite integration record.'),
          setting('tokenId', 'Token id of the NetSuite access token.'),
          secret('tokenSecret', 'Token secret of the NetSuite access token.'),
        ],
      },
    ],
  },
  { label: 'Paddle', destination: 'PADDLE', m3terDestinationType: true, types: [PADDLE_AUTH] },
  {
    label: 'Paddle sandbox',
    destination: 'PADDLE_SANDBOX',
    m3terDestinationType: true,
    types: [PADDLE_AUTH],
  },
  {
    label: 'Chargebee',
    destination: 'CHARGEBEE',
    m3terDestinationType: true,
    types: [
      {
        type: 'CHARGEBEE_AUTH',
        fields: [
          setting('site', 'Chargebee site name (the `acme` in acme.chargebee.com).'),
          secret('apiKey', 'Chargebee API key.'),
        ],
      },
    ],
  },
  {
    label: 'QuickBooks',
    destination: 'QUICKBOOKS',
    m3terDestinationType: true,
    types: [OAUTH_CLIENT_CREDENTIALS],
  },
  {
    label: 'QuickBooks sandbox',
    destination: 'QUICKBOOKS_SANDBOX',
    m3terDestinationType: true,
    types: [OAUTH_CLIENT_CREDENTIALS],
  },
  { label: 'Xero', destination: 'XERO', m3terDestinationType: true, types: [OAUTH_CLIENT_CREDENTIALS] },
  {
    label: 'Salesforce',
    destination: 'SALESFORCE',
    m3terDestinationType: true,
    types: [OAUTH_CLIENT_CREDENTIALS, HTTP_BASIC],
  },
  {
    label: 'AWS Marketplace',
    destination: 'AWS',
    m3terDestinationType: true,
    types: [
      {
        type: 'AWS_INTEGRATION',
        fields: [
          setting('accessKeyId', 'AWS access key id.'),
          secret('secretAccessKey', 'AWS secret access key.'),
          setting('region', 'AWS region, e.g. us-east-1.', false),
        ],
      },
    ],
  },
  {
    label: 'Azure Marketplace',
    destination: 'AZURE',
    m3terDestinationType: false,
    types: [
      {
        type: 'OAUTH_CLIENT_CREDENTIALS',
        fields: [
          setting('tenantId', 'Microsoft Entra tenant id.'),
          setting('clientId', 'Application (client) id.'),
          secret('clientSecret', 'Client secret.'),
        ],
      },
    ],
  },
  {
    // m3sh workflows receive incoming webhooks; these credentials authenticate the caller.
    label: 'm3sh workflows',
    destination: 'M3TER',
    m3terDestinationType: true,
    types: [
      {
        type: 'M3TER_APP_SIGNATURE',
        fields: [
          setting('accessKeyId', 'Access key id of the signing key pair.'),
          secret('apiSecret', 'API secret.'),
        ],
      },
      HTTP_BASIC,
      STATIC_API_KEY,
    ],
  },
  {
    label: 'HubSpot',
    destination: 'HUBSPOT',
    m3terDestinationType: false,
    types: [
      {
        type: 'HUBSPOT_CLIENT_SECRET',
        fields: [
          setting('clientId', 'HubSpot app client id.', false),
          secret('clientSecret', 'HubSpot app client secret.'),
        ],
      },
      { type: 'HUBSPOT_ACCESS_TOKEN', fields: [secret('accessToken', 'HubSpot private app access token.')] },
    ],
  },
  {
    label: 'Sage Intacct',
    destination: 'SAGE_INTACCT',
    m3terDestinationType: false,
    types: [
      {
        type: 'SAGE_INTACCT_CLIENT_CREDENTIALS',
        fields: [
          setting('clientId', 'Sage Intacct client id.'),
          secret('clientSecret', 'Sage Intacct client secret.'),
        ],
      },
      {
        type: 'SAGE_INTACCT_CLIENT_SECRET',
        fields: [
          setting('clientId', 'Sage Intacct client id.', false),
          secret('clientSecret', 'Sage Intacct client secret.'),
        ],
      },
    ],
  },
  {
    label: 'Slack',
    destination: 'SLACK',
    m3terDestinationType: false,
    types: [{ type: 'SLACK_WEBHOOK', fields: [secret('webhookUrl', 'The Slack incoming-webhook URL.')] }],
  },
  {
    label: 'Opsgenie',
    destination: 'OPSGENIE',
    m3terDestinationType: false,
    types: [{ type: 'OPSGENIE_KEY', fields: [secret('apiKey', 'Opsgenie API key.')] }],
  },
  {
    label: 'SAP ByDesign',
    destination: 'SAP_BYD',
    m3terDestinationType: false,
    types: [
      {
        type: 'SAP_BYD',
        fields: [setting('username', 'SAP ByDesign user.'), secret('password', 'Password.')],
      },
    ],
  },
];

/** The destination labels users may write, in table order. */
export const DESTINATION_LABELS: readonly string[] = CREDENTIAL_DESTINATIONS.map((d) => d.label);

/** Every credential field name across the table, sorted; secret-ness is the same wherever a name appears. */
export function allCredentialFields(): CredentialField[] {
  const byName = new Map<string, CredentialField>();
  for (const d of CREDENTIAL_DESTINATIONS) {
    for (const t of d.types) {
      for (const f of t.fields) if (!byName.has(f.name)) byName.set(f.name, f);
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A destination by its label (`Stripe`) or its canonical value (`STRIPE`). */
export function findDestination(labelOrValue: string): DestinationSpec | undefined {
  return (
    CREDENTIAL_DESTINATIONS.find((d) => d.label === labelOrValue) ??
    CREDENTIAL_DESTINATIONS.find((d) => d.destination === labelOrValue)
  );
}

export type CredentialTypeLookup =
  | { ok: true; destination: DestinationSpec; spec: CredentialTypeSpec }
  | { ok: false; reason: 'unknown_destination'; known: readonly string[] }
  | { ok: false; reason: 'unknown_type'; destination: DestinationSpec; known: readonly string[] };

/**
 * The spec for a (destination, type) pair. `destination` may be a label (`AWS Marketplace`) or the canonical value
 * (`AWS`), so the live client can look up what it reads back from m3ter.
 */
export function lookupCredentialType(destination: string, type: string): CredentialTypeLookup {
  const d = findDestination(destination);
  if (!d) return { ok: false, reason: 'unknown_destination', known: DESTINATION_LABELS };
  const spec = d.types.find((t) => t.type === type);
  if (!spec) return { ok: false, reason: 'unknown_type', destination: d, known: d.types.map((t) => t.type) };
  return { ok: true, destination: d, spec };
}

/** Every known combination, as `Label: TYPE` lines, for error hints. */
export function knownCredentialCombinations(): string[] {
  return CREDENTIAL_DESTINATIONS.map((d) => `${d.label}: ${d.types.map((t) => t.type).join(', ')}`);
}
