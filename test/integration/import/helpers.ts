import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import type { ImportedSecret } from '../../../src/emit/index.js';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import type { LiveClient } from '../../../src/live/contract.js';
import { KINDS } from '../../../src/model/kinds.js';
import type { DesiredState } from '../../../src/model/state.js';
import { runApply } from '../../../src/workflow/apply.js';
import { importOrg, type ImportOptions, type ImportOutcome } from '../../../src/workflow/import.js';
import { planAgainst } from '../../../src/workflow/plan.js';
import type { Session } from '../../../src/workflow/session.js';
import { validate } from '../../../src/workflow/validate.js';
import { type Org, targetOf } from '../../helpers/converge.js';
import { apiSeeder } from '../../helpers/seed-api.js';
import { hostileString, seededRandom, pick } from '../../unit/emit/hostile.js';

export function sessionOf(emulator: RunningEmulator, client: LiveClient): Session {
  return { target: targetOf(emulator), client, close: () => Promise.resolve() };
}

export function freshDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'm3ter-config-import-'));
}

/** Every file under `dir`, with its text. */
export function filesUnder(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const file = path.join(e.parentPath, e.name);
      return { file, text: readFileSync(file, 'utf8') };
    });
}

/**
 * The round trip of the issue: import into a fresh folder, load the files back with the project's own loader (every
 * variable set), check that each loaded entity is exactly the live one, plan (only webhook secret adoption), apply
 * once, plan again (empty). Returns the outcome for further checks.
 */
export async function importAndRoundTrip(
  session: Session,
  options: {
    secretValue: (secret: ImportedSecret) => string;
    importOptions?: Partial<ImportOptions>;
    /** Whether the webhooks' secrets are adopted (made by hand), or were written by m3ter-config with these values. */
    adopts?: boolean;
  },
): Promise<{ outcome: ImportOutcome; dir: string; desired: DesiredState }> {
  const dir = freshDir();
  const outcome = await importOrg(session, { out: 'm3ter', cwd: dir, env: {}, ...options.importOptions });
  expect(outcome.model.problems).toEqual([]);
  expect(outcome.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const env = Object.fromEntries(outcome.model.secrets.map((s) => [s.env, options.secretValue(s)]));
  const loaded = await validate(['m3ter'], { env, cwd: dir, requireEnv: true });
  expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const desired = loaded.state as DesiredState;

  const first = await planAgainst(desired, session);
  // Loading gives exactly what m3ter holds: every attribute of every entity, strings byte for byte.
  for (const kind of KINDS) {
    const live = first.live.resources[kind];
    expect([...desired.resources[kind].keys()].sort()).toEqual([...live.keys()].sort());
    for (const [key, want] of desired.resources[kind])
      expect(want.attributes).toEqual(live.get(key)?.attributes);
  }
  const unexpected = first.plan.changes.filter(
    (c) =>
      !(
        c.type === 'update' &&
        c.kind === 'webhook' &&
        c.fields.length === 1 &&
        c.fields[0]?.reason === 'adopt'
      ),
  );
  expect(unexpected).toEqual([]);
  expect(first.plan.changes.length).toBe(options.adopts === false ? 0 : desired.resources.webhook.size);

  if (first.plan.changes.length > 0) {
    const applied = await runApply(session, first.plan, { planned: first, checkCurrent: true });
    expect(applied.result.failed).toEqual([]);
    expect(applied.result.notAttempted).toEqual([]);
  }
  const second = await planAgainst(desired, session);
  expect(second.plan.changes).toEqual([]);

  // No secret value in any written file.
  const values = Object.values(env);
  for (const { file, text } of filesUnder(path.join(dir, 'm3ter'))) {
    for (const v of values) expect(text.includes(v), `${file} holds a secret value`).toBe(false);
  }
  return { outcome, dir, desired };
}

/** Codes the config language accepts that YAML reads as something else when written bare. */
const HOSTILE_CODES = [
  'yes',
  'no',
  'null',
  'true',
  'off',
  'on',
  'y',
  '0123',
  '1e3',
  '0x1F',
  '12',
  '1_000',
  'N',
  'Null-1',
  '-x'.slice(1),
];
/** `entityType` and `destination` tokens (letters, digits, `_`, `-`) that YAML reads as something else. */
const HOSTILE_TOKENS = [
  'yes',
  'No',
  'null',
  'TRUE',
  '0123',
  '1e3',
  '0x10',
  '2001-12-14'.replace(/-/g, '_'),
  'Bill',
  '007',
];

/** A text value m3ter and the config language accept: not blank (a name that is only spaces is refused by both). */
function text(random: () => number): string {
  const s = hostileString(random);
  return s.trim() === '' ? `${s}x` : s;
}

function uniqueCode(random: () => number, taken: Set<string>): string {
  let code = pick(random, HOSTILE_CODES);
  for (let n = 2; taken.has(code.toLowerCase()); n++) code = `${pick(random, HOSTILE_CODES)}_${n}`;
  taken.add(code.toLowerCase());
  return code;
}

/** A URL path that keeps YAML-hostile characters but no whitespace (the language requires none). */
function url(random: () => number): string {
  const path = hostileString(random).replace(/\s/g, '');
  return `https://hooks.example.com/${encodeURIComponent(path).replace(/%23/g, '#').replace(/%3A/g, ':')}?q=${pick(random, ['yes', 'a: b', '~', '#x'])}`.replace(
    /\s/g,
    '',
  );
}

/**
 * Hostile text as a string literal of the calculation language (`\` and `"` escaped), so the calculation still
 * passes the offline check while its text carries every hostile character to the emitter.
 */
export function calcString(t: string): string {
  return `"${t.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export async function seedHostileOrg(org: Org, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const api = await apiSeeder(org.emulator);
  const taken = new Set<string>();
  const webhooks: string[] = [];
  for (let i = 0; i < 3; i++) {
    const created = await api.webhook({
      code: uniqueCode(random, taken),
      name: text(random),
      description: text(random),
      url: url(random),
      active: random() < 0.7,
      credentials: {
        type: 'M3TER_SIGNED_REQUEST',
        apiKey: `key-${seed}-${i}`,
        secret: `secret-${seed}-${i}`,
        destination: 'WEBHOOK',
      },
    });
    webhooks.push(created.id);
  }
  // The scheduled event some rules listen to (made without drawing from `random`, so each seed's org is as before).
  await api.scheduledEvent({
    name: 'scheduled.bill.endDateEvent',
    entity: 'Bill',
    field: 'endDate',
    offset: 5,
  });
  const ruleCodes = new Set<string>();
  for (let i = 0; i < 3; i++) {
    const always = random() < 0.3;
    const calculation = always
      ? undefined
      : random() < 0.5
        ? `new.a == ${calcString(text(random))}\n  AND new.b != ${calcString(text(random))}\n`
        : `new.a == ${calcString(text(random))}`;
    const rule = await api.rule({
      code: uniqueCode(random, ruleCodes),
      name: text(random),
      description: text(random),
      eventName: pick(random, [
        'configuration.commitment.updated',
        'billing.bill.created',
        'scheduled.bill.endDateEvent',
      ]),
      ...(calculation !== undefined ? { calculation } : {}),
      active: random() < 0.7,
      alwaysFireEvent: always,
    });
    await api.config({
      entityType: 'Notification',
      destination: 'Webhook',
      entityId: rule.id,
      destinationId: webhooks[i % webhooks.length],
      configData: {},
      enabled: random() < 0.8,
    });
  }
  const credential = await api.credential({
    name: text(random).replace(/\//g, '|'),
    destination: 'CHARGEBEE',
    type: 'CHARGEBEE_AUTH',
    settings: { site: text(random) },
    secrets: { apiKey: `chargebee-${seed}` },
  });
  const integrationNames = new Set<string>();
  for (let i = 0; i < 2; i++) {
    let name = text(random).replace(/\//g, '|');
    while (integrationNames.has(name.toLowerCase())) name += 'x';
    integrationNames.add(name.toLowerCase());
    const configData: Record<string, unknown> = {
      [text(random)]: text(random),
      nested: { [text(random)]: [text(random), random() < 0.5, Math.round(random() * 1000) / 8, null] },
      flag: random() < 0.5,
    };
    await api.config({
      entityType: pick(random, HOSTILE_TOKENS),
      destination: pick(random, HOSTILE_TOKENS),
      name,
      integrationCredentialsId: credential.id,
      configData,
      enabled: true,
    });
  }
}
