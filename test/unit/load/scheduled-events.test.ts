import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  kindsNamedByKey,
  kindsToRead,
  referencedKey,
  REFERENCES,
  referrersOf,
  refersTo,
  withReferencedKinds,
} from '../../../src/kinds/index.js';
import { loadConfig } from '../../../src/load/load-config.js';

/** Scheduled events: the section, the rule's reference by key, and the loader's checks. */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm3cfg-scheduled-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(text: string) {
  await writeFile(path.join(dir, 'm3ter.yaml'), text);
  return loadConfig(['.'], { env: {}, cwd: dir });
}

const rows = (
  issues: readonly { severity: string; code: string; line: number; col: number; pointer: string }[],
) => issues.map((i) => [i.severity, i.code, i.line, i.col, i.pointer]);

const EVENT = `scheduledEvents:
  - name: scheduled.bill.dueSoon
    entity: Bill
    field: dueDate
    offset: 10
`;

const rule = (eventName: string) => `notificationRules:
  - code: bill_due
    name: Bill due
    description: d
    eventName: ${eventName}
`;

describe('scheduled events: the reference by key in the registry', () => {
  const [ref] = REFERENCES.notificationRule;

  it('a rule names a scheduled event by its eventName, only when it starts with scheduled.', () => {
    expect(ref).toMatchObject({ attribute: 'eventName', kind: 'scheduledEvent', by: 'key' });
    expect(referencedKey({ eventName: 'scheduled.bill.dueSoon' }, ref!)).toBe('scheduled.bill.dueSoon');
    expect(referencedKey({ eventName: 'billing.bill.created' }, ref!)).toBeNull();
    expect(referrersOf('scheduledEvent').map((r) => [r.kind, r.ref.attribute])).toEqual([
      ['notificationRule', 'eventName'],
    ]);
  });

  it('matches referrers by key, never by an id', () => {
    const live = { id: 'x', version: 1 };
    const target = { key: 'scheduled.bill.dueSoon', id: 'x' };
    expect(refersTo({ attributes: { eventName: 'scheduled.bill.dueSoon' }, live }, ref!, target)).toBe(true);
    expect(refersTo({ attributes: { eventName: 'scheduled.bill.other' }, live }, ref!, target)).toBe(false);
  });

  it('reads scheduled events only when they are managed or named: rules alone do not read them', () => {
    expect([...withReferencedKinds(['notificationRule'])]).toEqual(['notificationRule']);
    expect([...kindsToRead(['notificationRule'])].sort()).toEqual(['link', 'notificationRule', 'webhook']);
    // Deleting one is judged against the live rules, which reference nothing by id.
    expect([...kindsToRead(['scheduledEvent'])].sort()).toEqual(['notificationRule', 'scheduledEvent']);
    const named = (eventName: string) => ({ kind: 'notificationRule' as const, attributes: { eventName } });
    expect([...kindsNamedByKey([named('billing.bill.created')])]).toEqual([]);
    expect([...kindsNamedByKey([named('scheduled.bill.dueSoon')])]).toEqual(['scheduledEvent']);
  });
});

describe('scheduled events: loading', () => {
  it('loads to the canonical resource keyed by its name', async () => {
    const r = await load(EVENT + rule('scheduled.bill.dueSoon'));
    expect(r.issues).toEqual([]);
    expect(r.state?.resources.scheduledEvent.get('scheduled.bill.dueSoon')).toMatchObject({
      kind: 'scheduledEvent',
      key: 'scheduled.bill.dueSoon',
      attributes: { name: 'scheduled.bill.dueSoon', entity: 'Bill', field: 'dueDate', offset: 10 },
      source: { line: 2, col: 5, pointer: '/scheduledEvents/0' },
    });
    expect([...(r.state?.managedKinds ?? [])]).toEqual(['scheduledEvent', 'notificationRule']);
  });

  it('refuses an offset below 1 (the default option), a bad name, entity or field, each at its place', async () => {
    const r = await load(`scheduledEvents:
  - name: scheduled.bill.zero
    entity: Bill
    field: dueDate
    offset: 0
  - name: bill.dueSoon
    entity: "Bill Entity"
    field: due.date
    offset: 2.5
`);
    expect(rows(r.issues)).toEqual([
      ['error', 'bad_offset', 5, 13, '/scheduledEvents/0/offset'],
      ['error', 'bad_scheduled_event_name', 6, 11, '/scheduledEvents/1/name'],
      ['error', 'bad_entity', 7, 13, '/scheduledEvents/1/entity'],
      ['error', 'bad_field', 8, 12, '/scheduledEvents/1/field'],
      ['error', 'wrong_type', 9, 13, '/scheduledEvents/1/offset'],
    ]);
    expect(r.issues[0]?.hint).toContain('at least 1');
  });

  it('says a whole number is wanted, and how to write a quoted one (not "must be a integer")', async () => {
    const r = await load(`scheduledEvents:
  - name: scheduled.bill.a
    entity: Bill
    field: dueDate
    offset: 2.5
  - name: scheduled.bill.b
    entity: Bill
    field: dueDate
    offset: "10"
`);
    expect(r.issues.map((i) => i.message)).toEqual([
      'offset must be a whole number, not 2.5',
      'offset must be a whole number, not a string',
    ]);
    expect(r.issues[1]?.hint).toBe('write the number without quotes: 10');
  });

  it('refuses a name declared twice', async () => {
    const r = await load(`${EVENT}  - name: scheduled.bill.dueSoon
    entity: Bill
    field: endDate
    offset: 3
`);
    expect(rows(r.issues)).toEqual([['error', 'duplicate_key', 6, 11, '/scheduledEvents/1/name']]);
  });

  it('a rule on an undeclared scheduled event: an error where scheduledEvents is managed, a warning elsewhere', async () => {
    const managed = await load(`scheduledEvents: []\n${rule('scheduled.bill.dueSoon')}`);
    expect(rows(managed.issues)).toEqual([
      ['error', 'dangling_link', 6, 16, '/notificationRules/0/eventName'],
    ]);
    const unmanaged = await load(rule('scheduled.bill.dueSoon'));
    expect(rows(unmanaged.issues)).toEqual([
      ['warning', 'undeclared_reference', 5, 16, '/notificationRules/0/eventName'],
    ]);
    expect(unmanaged.state).toBeDefined();
    // Other event names name nothing.
    expect((await load(`scheduledEvents: []\n${rule('billing.bill.created')}`)).issues).toEqual([]);
  });

  it('suggests the declared name closest to a misspelt one', async () => {
    const r = await load(EVENT + rule('scheduled.bill.dueSon'));
    expect(r.issues[0]?.hint).toBe('did you mean "scheduled.bill.dueSoon"?');
  });
});
