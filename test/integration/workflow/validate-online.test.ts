import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { openSession, type Session } from '../../../src/workflow/session.js';
import { validate } from '../../../src/workflow/validate.js';
import { validateOnline } from '../../../src/workflow/validate-online.js';

let emulator: RunningEmulator | undefined;
let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  await emulator?.close();
  session = emulator = undefined;
});

/** Rules the offline check refuses: the online test below sends what only m3ter can refuse. */
const OFFLINE_YAML = `notificationRules:
  - code: typo
    name: Typo
    description: A mistyped event name
    eventName: configuration.commitment.updatd
  - code: wrong_side
    name: Wrong side
    description: old.* on a created event
    eventName: configuration.commitment.created
    calculation: new.amount > 1 AND old.amount > 1
  - code: bad_operator
    name: Bad operator
    description: = instead of ==
    eventName: billing.bill.created
    calculation: new.total = 100
  - code: fine
    name: Fine
    description: Nothing wrong
    eventName: configuration.commitment.updated
    calculation: (new.amountSpent >= ((new.amount*90)/100)) AND (old.amountSpent == null)
`;

const YAML = `notificationRules:
  - code: typo
    name: Typo
    description: A mistyped event name
    eventName: configuration.commitment.updatd
  - code: symbols
    name: Symbols
    description: && where m3ter documents AND
    eventName: configuration.commitment.updated
    calculation: new.amount > 1 && old.amount > 1
  - code: fine
    name: Fine
    description: Nothing wrong
    eventName: configuration.commitment.updated
    calculation: (new.amountSpent >= ((new.amount*90)/100)) AND (old.amountSpent == null)
`;

describe('validate --online', () => {
  it('the offline check already refuses what it can tell, at the same place', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'm3ter-online-'));
    writeFileSync(path.join(dir, 'rules.yaml'), OFFLINE_YAML);
    const offline = await validate(['rules.yaml'], { env: {}, cwd: dir });
    expect(offline.issues.map((i) => [i.code, `${i.file}:${i.line}:${i.col}`, i.pointer])).toEqual([
      ['invalid_calculation', 'rules.yaml:10:37', '/notificationRules/1/calculation'],
      ['invalid_calculation', 'rules.yaml:15:28', '/notificationRules/2/calculation'],
    ]);
  });

  it('reports unknown event names and refused calculations at their field, sending no writes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'm3ter-online-'));
    writeFileSync(path.join(dir, 'rules.yaml'), YAML);
    const offline = await validate(['rules.yaml'], { env: {}, cwd: dir });
    expect(offline.errorCount).toBe(0);
    expect(offline.issues.map((i) => i.code)).toEqual(['calculation_reading']);
    emulator = await startEmulator({ rateLimit: 0 });
    const e = emulator;
    session = await openSession({
      env: {
        M3TER_ORG_ID: e.orgId,
        M3TER_API_KEY: e.apiKey,
        M3TER_API_SECRET: e.apiSecret,
        M3TER_BASE_URL: e.url,
      },
      cwd: dir,
    });
    const issues = await validateOnline(offline.state!, session.client, { cwd: dir });
    expect(issues.map((i) => [i.code, `${i.file}:${i.line}:${i.col}`, i.pointer])).toEqual([
      ['unknown_event_name', 'rules.yaml:5:16', '/notificationRules/0/eventName'],
      ['invalid_calculation', 'rules.yaml:10:33', '/notificationRules/1/calculation'],
    ]);
    expect(issues[0]?.hint).toBe('did you mean configuration.commitment.updated?');
    expect(issues[1]?.message).toMatch(/'&&' is not an operator: write AND, OR or NOT/);
    const requests = Object.keys(e.admin.counters().requests).filter((r) => !r.includes('/oauth/token'));
    expect(requests.sort()).toEqual([
      'GET /organizations/{orgId}/events/types',
      'POST /organizations/{orgId}/notifications/evaluate',
    ]);
  });

  it('accepts a rule on a scheduled event the files declare and m3ter does not hold yet (apply creates it first)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'm3ter-online-'));
    writeFileSync(
      path.join(dir, 'rules.yaml'),
      `scheduledEvents:
  - name: scheduled.bill.dueSoon
    entity: Bill
    field: dueDate
    offset: 10
notificationRules:
  - code: due
    name: Due
    description: On a declared scheduled event
    eventName: scheduled.bill.dueSoon
    calculation: "true"
`,
    );
    const offline = await validate(['rules.yaml'], { env: {}, cwd: dir });
    expect(offline.errorCount).toBe(0);
    emulator = await startEmulator({ rateLimit: 0 });
    const e = emulator;
    session = await openSession({
      env: {
        M3TER_ORG_ID: e.orgId,
        M3TER_API_KEY: e.apiKey,
        M3TER_API_SECRET: e.apiSecret,
        M3TER_BASE_URL: e.url,
      },
      cwd: dir,
    });
    const issues = await validateOnline(offline.state!, session.client, { cwd: dir });
    expect(issues).toEqual([]);
  });
});
