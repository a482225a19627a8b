import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/load/load-config.js';

/** The integrations section: canonical resources, references to credentials, keys and ignore. */

const ENV = { STRIPE_KEY: 'whsec_never_printed_9d1e' };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm3cfg-integrations-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(map: Record<string, string>) {
  for (const [name, text] of Object.entries(map)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return loadConfig(['.'], { env: ENV, cwd: dir });
}

const STRIPE = `credentials:
  - name: prod-stripe
    destination: Stripe
    type: STRIPE_SIGNED_REQUEST
    signingKey: { env: STRIPE_KEY }
`;

const rows = (
  issues: readonly {
    severity: string;
    code: string;
    file: string;
    line: number;
    col: number;
    pointer: string;
  }[],
) => issues.map((i) => [i.severity, i.code, i.file, i.line, i.col, i.pointer]);

describe('integrations: loading', () => {
  it('loads to the canonical resource, with the defaults: active true, configData {}, name null, credential null', async () => {
    const r = await load({
      'm3ter.yaml': `integrations:
  - entityType: Account
    destination: NetSuite
`,
    });
    expect(r.issues).toEqual([]);
    const s = r.state!;
    expect([...s.managedKinds]).toEqual(['integration']);
    expect([...s.resources.integration.values()]).toEqual([
      {
        kind: 'integration',
        key: 'Account->NetSuite',
        attributes: {
          entityType: 'Account',
          destination: 'NetSuite',
          name: null,
          credential: null,
          configData: {},
          active: true,
        },
        source: { file: 'm3ter.yaml', line: 2, col: 5, pointer: '/integrations/0' },
      },
    ]);
  });

  it('keeps every field written; a credential reference in either spelling is the credential key', async () => {
    const r = await load({
      'm3ter.yaml': `${STRIPE}integrations:
  - entityType: Bill
    destination: Stripe
    name: eu
    credential: Stripe/prod-stripe
    configData:
      syncOnApproval: true
      nested: { a: [1, 2] }
    active: false
  - entityType: Bill
    destination: Stripe
    credential: STRIPE/prod-stripe
`,
    });
    expect(r.issues).toEqual([]);
    const integrations = r.state!.resources.integration;
    expect([...integrations.keys()]).toEqual(['Bill->Stripe/eu', 'Bill->Stripe']);
    expect(integrations.get('Bill->Stripe/eu')?.attributes).toEqual({
      entityType: 'Bill',
      destination: 'Stripe',
      name: 'eu',
      credential: 'STRIPE/prod-stripe',
      configData: { syncOnApproval: true, nested: { a: [1, 2] } },
      active: false,
    });
    expect(integrations.get('Bill->Stripe')?.attributes.credential).toBe('STRIPE/prod-stripe');
    expect(r.state!.resources.credential.has('STRIPE/prod-stripe')).toBe(true);
  });

  it('a credential reference that no file declares is an issue at the reference, with a "did you mean"', async () => {
    const r = await load({
      'creds.yaml': STRIPE,
      'm3ter.yaml': `integrations:
  - entityType: Bill
    destination: Stripe
    credential: Stripe/prod-strpe
  - entityType: Account
    destination: NetSuite
    credential: NetSuite/far-away-name
`,
    });
    expect(rows(r.issues)).toEqual([
      ['error', 'dangling_link', 'm3ter.yaml', 4, 17, '/integrations/0/credential'],
      ['error', 'dangling_link', 'm3ter.yaml', 7, 17, '/integrations/1/credential'],
    ]);
    expect(r.issues[0]?.message).toBe(
      'the integration names integration credential "STRIPE/prod-strpe", which no file declares',
    );
    expect(r.issues[0]?.hint).toBe('did you mean "STRIPE/prod-stripe"?');
    expect(r.issues[1]?.hint).toBe(
      'declare the credential under credentials (as `Destination/name`), or fix the reference',
    );
    expect(r.state).toBeUndefined();
  });

  it('refuses `entityType: Notification` (in any case), pointing at links', async () => {
    const r = await load({
      'm3ter.yaml': `integrations:
  - entityType: Notification
    destination: Webhook
  - entityType: notification
    destination: Slack
`,
    });
    expect(rows(r.issues)).toEqual([
      ['error', 'bad_entity_type', 'm3ter.yaml', 2, 17, '/integrations/0/entityType'],
      ['error', 'bad_entity_type', 'm3ter.yaml', 4, 17, '/integrations/1/entityType'],
    ]);
    expect(r.issues[0]?.message).toBe('entityType "Notification" is not allowed here');
    expect(r.issues[0]?.hint).toContain('a notification to a webhook is declared under `links`');
  });

  it('checks the shape of the key and the reference', async () => {
    const r = await load({
      'm3ter.yaml': `integrations:
  - entityType: Bill line
    destination: Stripe
  - entityType: Bill
    destination: Stripe
    name: a/b
    credential: prod-stripe
  - destination: Stripe
`,
    });
    expect(rows(r.issues)).toEqual([
      ['error', 'bad_entity_type', 'm3ter.yaml', 2, 17, '/integrations/0/entityType'],
      ['error', 'bad_integration_name', 'm3ter.yaml', 6, 11, '/integrations/1/name'],
      ['error', 'bad_credential_reference', 'm3ter.yaml', 7, 17, '/integrations/1/credential'],
      ['error', 'required', 'm3ter.yaml', 8, 5, '/integrations/2'],
    ]);
    expect(r.issues[2]?.hint).toBe('write the credential as `Destination/name`, e.g. `Stripe/prod-stripe`');
  });

  it('a key declared in two files is an error naming both places; a name tells two apart', async () => {
    const one = `integrations:
  - entityType: Account
    destination: NetSuite
`;
    const r = await load({
      'a.yaml': one,
      'team/b.yaml': `${one}  - entityType: Account
    destination: NetSuite
    name: sandbox
`,
    });
    expect(rows(r.issues)).toEqual([['error', 'duplicate_key', 'team/b.yaml', 2, 5, '/integrations/0']]);
    expect(r.issues[0]?.message).toBe('the integration Account->NetSuite is already declared at a.yaml:2:5');
    expect(r.issues[0]?.hint).toContain('the name is part of the key');
  });

  it('ignore.integrations: collected, and a warning when it matches a declared integration', async () => {
    const r = await load({
      'a.yaml': 'ignore:\n  integrations: ["Bill->*", "*->Xero/legacy-?"]\n',
      'b.yaml': `integrations:
  - entityType: Bill
    destination: Stripe
  - entityType: Account
    destination: NetSuite
`,
    });
    expect(rows(r.issues)).toEqual([['warning', 'ignored_but_declared', 'b.yaml', 2, 5, '/integrations/0']]);
    expect(r.issues[0]?.message).toBe('integration "Bill->Stripe" is declared and also matched by ignore');
    expect(r.state!.ignore.integration).toEqual(['Bill->*', '*->Xero/legacy-?']);
    // An ignore list alone does not manage the kind.
    const only = await load({ 'a.yaml': 'ignore:\n  integrations: ["*"]\n', 'b.yaml': '' });
    expect([...only.state!.managedKinds]).toEqual([]);
  });

  it('an empty ignore.integrations entry is an issue at the entry', async () => {
    const r = await load({ 'm3ter.yaml': 'integrations: []\nignore:\n  integrations: ["  "]\n' });
    expect(rows(r.issues)).toEqual([
      ['error', 'empty_string', 'm3ter.yaml', 3, 18, '/ignore/integrations/0'],
    ]);
  });
});
