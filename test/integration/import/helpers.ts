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
import { targetOf } from '../../helpers/converge.js';

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
