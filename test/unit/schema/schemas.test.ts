import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { GENERATED_TYPES_PATH, generateTypes } from '../../../scripts/generate-types.js';
import {
  allCredentialFields,
  CREDENTIAL_DESTINATIONS,
  DESTINATION_LABELS,
  findDestination,
  lookupCredentialType,
} from '../../../src/model/credential-types.js';
import { GENERATED_VALIDATORS_PATH, generateValidators } from '../../../scripts/generate-validators.js';
import {
  compileConfigValidator,
  readSchemas,
  ROOT_SCHEMA_FILE,
  SCHEMA_ID_BASE,
} from '../../../src/schema/compile.js';
import { configValidator } from '../../../src/schema/validators.js';
import { validateConfigData } from '../../../src/schema/issues.js';

describe('schemas/', () => {
  const schemas = readSchemas();

  it('are draft 2020-12, each with an $id matching its file name, and compile', () => {
    expect([...schemas.keys()]).toEqual([
      'apply-record.schema.json',
      'common.schema.json',
      'credential.schema.json',
      'drift-report.schema.json',
      'environments.schema.json',
      'ignore.schema.json',
      'integration.schema.json',
      'link.schema.json',
      'm3ter-config.schema.json',
      'notification-rule.schema.json',
      'saved-plan.schema.json',
      'scheduled-event.schema.json',
      'secret-ref.schema.json',
      'webhook.schema.json',
    ]);
    for (const [name, s] of schemas) {
      expect(s['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(s['$id']).toBe(SCHEMA_ID_BASE + name);
    }
    expect(typeof configValidator()).toBe('function');
    expect(typeof compileConfigValidator()).toBe('function');
  });

  it('the root references every per-kind schema', () => {
    const text = JSON.stringify(schemas.get(ROOT_SCHEMA_FILE));
    for (const f of ['webhook', 'notification-rule', 'link', 'credential', 'ignore']) {
      expect(text).toContain(`"${f}.schema.json"`);
    }
  });

  it('the credential schema matches src/model/credential-types.ts', () => {
    const cred = schemas.get('credential.schema.json') as {
      properties: Record<string, { enum?: string[]; $ref?: string }>;
    };
    expect(cred.properties['destination']?.enum).toEqual(DESTINATION_LABELS);
    const types = [...new Set(CREDENTIAL_DESTINATIONS.flatMap((d) => d.types.map((t) => t.type)))].sort();
    expect(cred.properties['type']?.enum).toEqual(types);
    const fields = allCredentialFields();
    expect(Object.keys(cred.properties).filter((k) => !['name', 'destination', 'type'].includes(k))).toEqual(
      fields.map((f) => f.name),
    );
    for (const f of fields) {
      expect(cred.properties[f.name]?.$ref, f.name).toBe(
        f.secret ? 'secret-ref.schema.json' : 'common.schema.json#/$defs/text',
      );
    }
    // A field name means the same thing everywhere: secret in one type, secret in all.
    for (const d of CREDENTIAL_DESTINATIONS) {
      for (const t of d.types) {
        for (const f of t.fields)
          expect(fields.find((g) => g.name === f.name)?.secret, `${d.label} ${t.type} ${f.name}`).toBe(
            f.secret,
          );
      }
    }
  });
});

describe('src/model/generated/config-types.ts', () => {
  it('is what scripts/generate-types.ts makes from schemas/ (run `npm run generate:types`)', async () => {
    const onDisk = await readFile(GENERATED_TYPES_PATH, 'utf8');
    expect(onDisk.split('\n')[0]).toMatch(/^\/\/ GENERATED FILE/);
    expect(onDisk).toBe(await generateTypes());
  });
});

describe('src/schema/generated/validators.ts', () => {
  it('is what scripts/generate-validators.ts makes from schemas/ (run `npm run generate:validators`)', async () => {
    const onDisk = await readFile(GENERATED_VALIDATORS_PATH, 'utf8');
    expect(onDisk.split('\n')[0]).toMatch(/^\/\/ GENERATED FILE/);
    expect(onDisk).toBe(generateValidators());
  });

  it('reports exactly what ajv compiling the schemas now reports', () => {
    const samples: unknown[] = [
      {},
      { webhooks: [{ code: 'a', name: 'A', url: 'http://x', credentials: {} }] },
      { notificationRules: [{ code: 1 }], links: 'no', ignore: { webhooks: [3] } },
      { unknown: true, webhooks: [{ code: 'b', name: 'B', url: 'https://h/b', extra: 1 }] },
    ];
    const now = compileConfigValidator();
    for (const data of samples) {
      const ahead = configValidator();
      ahead(data);
      now(data);
      expect(JSON.stringify(ahead.errors ?? null)).toBe(JSON.stringify(now.errors ?? null));
    }
  });
});

describe('credential type table', () => {
  it('looks up by label or canonical destination', () => {
    expect(findDestination('AWS Marketplace')?.destination).toBe('AWS');
    expect(findDestination('AWS')?.label).toBe('AWS Marketplace');
    const ok = lookupCredentialType('Chargebee', 'CHARGEBEE_AUTH');
    expect(ok.ok && ok.spec.fields.map((f) => [f.name, f.secret])).toEqual([
      ['site', false],
      ['apiKey', true],
    ]);
    expect(lookupCredentialType('Chargebee', 'HTTP_BASIC')).toMatchObject({
      ok: false,
      reason: 'unknown_type',
      known: ['CHARGEBEE_AUTH'],
    });
    expect(lookupCredentialType('Nope', 'HTTP_BASIC')).toMatchObject({
      ok: false,
      reason: 'unknown_destination',
    });
  });
  it("canonical destinations fit m3ter's destination pattern", () => {
    for (const d of CREDENTIAL_DESTINATIONS) expect(d.destination).toMatch(/^[a-zA-Z0-9_-]+$/);
  });
  it('covers the destinations and pairs the issue names', () => {
    const pairs = CREDENTIAL_DESTINATIONS.flatMap((d) => d.types.map((t) => `${d.label}:${t.type}`));
    for (const p of [
      'Stripe:STRIPE_SIGNED_REQUEST',
      'Chargebee:CHARGEBEE_AUTH',
      'NetSuite:NETSUITE_AUTH',
      'Paddle:PADDLE_AUTH',
      'QuickBooks:OAUTH_CLIENT_CREDENTIALS',
      'Xero:OAUTH_CLIENT_CREDENTIALS',
      'Salesforce:HTTP_BASIC',
      'AWS Marketplace:AWS_INTEGRATION',
      'Azure Marketplace:OAUTH_CLIENT_CREDENTIALS',
      'm3sh workflows:M3TER_APP_SIGNATURE',
      'HubSpot:HUBSPOT_CLIENT_SECRET',
      'Sage Intacct:SAGE_INTACCT_CLIENT_SECRET',
    ]) {
      expect(pairs).toContain(p);
    }
  });
});

/** `${...}` strings built without a template-looking literal (the linter flags those). */
const dollar = (inner: string) => `$${inner}`;

describe('validateConfigData', () => {
  const hook = (secret: unknown) => ({
    webhooks: [
      {
        name: 'A',
        description: 'B',
        url: 'https://x.example',
        credentials: { apiKey: { env: 'K' }, secret },
      },
    ],
  });
  it('accepts both secret reference forms', () => {
    expect(validateConfigData(hook({ env: 'S' }))).toEqual([]);
    expect(validateConfigData(hook(dollar('{env:S}')))).toEqual([]);
  });
  it.each([
    ['hunter2-literal-value', 'literal_secret'],
    [42, 'literal_secret'],
    [true, 'literal_secret'],
    ['$S', 'bad_secret_ref'],
    [dollar('{S}'), 'bad_secret_ref'],
    [dollar('{env:1S}'), 'bad_env_name'],
    [null, 'wrong_type'],
    [['x'], 'wrong_type'],
    [{}, 'required'],
    [{ env: 3 }, 'wrong_type'],
    [{ env: 'bad name' }, 'bad_env_name'],
    [{ env: 'S', value: 'x' }, 'unknown_key'],
  ])('explains %j in a secret field as %s, without its value', (secret, code) => {
    const issues = validateConfigData(hook(secret));
    expect(issues.map((i) => i.code)).toEqual([code]);
    if (typeof secret === 'string' && secret.length > 3) expect(JSON.stringify(issues)).not.toContain(secret);
  });
  it('accepts an empty file and each section alone', () => {
    expect(validateConfigData({})).toEqual([]);
    expect(validateConfigData({ links: [] })).toEqual([]);
    expect(validateConfigData({ ignore: {} })).toEqual([]);
  });
  it('accepts the documented event names and rejects malformed ones', () => {
    const rule = (eventName: string) => ({
      notificationRules: [{ code: 'c', name: 'n', description: 'd', eventName }],
    });
    for (const ok of [
      'configuration.commitment.updated',
      'billing.bill.created',
      'billing.scheduledbalancecharge.deleted',
      'scheduled.bill.endDateEvent',
      'integration.validation.error',
      'integration.missingaccountmapping.error',
      'dataexport.job.failure',
      'ingest.validation.failure',
    ]) {
      expect(validateConfigData(rule(ok)), ok).toEqual([]);
    }
    for (const bad of [
      'Commitment Updated',
      'configuration.commitment',
      'configuration..updated',
      'a.b.c.d',
      '.a.b',
      'a.b.',
    ]) {
      expect(
        validateConfigData(rule(bad)).map((i) => i.code),
        bad,
      ).toEqual(['bad_event_name']);
    }
  });
});
