import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/load/load-config.js';

/** The hints a kind gives for a missing key, and the variable names suggested for its secrets, come from its module. */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm3cfg-hints-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function hints(text: string): Promise<[string, string | undefined][]> {
  await writeFile(path.join(dir, 'm3ter.yaml'), text);
  const r = await loadConfig(['.'], { env: {}, cwd: dir });
  return r.issues.map((i) => [i.pointer ?? '', i.hint]);
}

describe("a kind's hints", () => {
  it('a webhook without credentials, a rule without a code, a literal webhook secret', async () => {
    expect(
      await hints(`webhooks:
  - code: orders
    name: Orders
    description: d
    url: https://example.com/hook
  - code: ops
    name: Ops
    description: d
    url: https://example.com/hook
    credentials: { apiKey: { env: OPS_KEY }, secret: literal }
notificationRules:
  - name: Bill Due Soon!
    description: d
    eventName: billing.bill.created
`),
    ).toEqual([
      [
        '/webhooks/0',
        'add `credentials: { apiKey: { env: NAME }, secret: { env: NAME } }`; m3ter requires them (dummy values are fine when the receiver does not check signatures)',
      ],
      [
        '/webhooks/1/credentials/apiKey',
        'set OPS_KEY in the environment or in an env file passed with --dotenv',
      ],
      [
        '/webhooks/1/credentials/secret',
        'put the value in an environment variable (e.g. OPS_WEBHOOK_SECRET) and write `secret: { env: OPS_WEBHOOK_SECRET }`',
      ],
      ['/notificationRules/0', 'm3ter requires a code for notification rules: add `code: bill_due_soon`'],
    ]);
  });
});
