import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackVariablesOf, type StackCore } from '../../../src/emit/cdktf.js';
import { loadConfigSources } from '../../../src/load/cdktf-synth.js';
import { KINDS } from '../../../src/model/kinds.js';
import type { DesiredState } from '../../../src/model/state.js';
import { runApply } from '../../../src/workflow/apply.js';
import { importOrg } from '../../../src/workflow/import.js';
import { planAgainst } from '../../../src/workflow/plan.js';
import { type Org, startOrg } from '../../helpers/converge.js';
import { apiSeeder } from '../../helpers/seed-api.js';
import { filesUnder, freshDir, seedHostileOrg, sessionOf } from './helpers.js';

/** A stack cannot hold scheduled events yet (import refuses them): the rest of the org is imported. */
const STACK_KINDS = new Set(KINDS.filter((k) => k !== 'scheduledEvent'));

/**
 * import --format cdktf / cdktn over seeded hostile orgs: the written main.ts runs under tsx (resolving
 * m3ter-config/<core> to this checkout through tsconfig paths, and the cores through a node_modules link), its synth
 * output loads back exactly what m3ter holds, plans only the adoption of webhook secrets, and plans empty after one
 * apply. Each synth is a process (~2-3 s), so few seeds.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const CASES: [StackCore, number][] = [
  ['cdktf', 101],
  ['cdktf', 102],
  ['cdktn', 103],
];

function synth(dir: string): void {
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'main.ts'], {
    cwd: dir,
    env: { ...process.env, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.json'), CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
}

describe('import --format cdktf|cdktn round trip (seeded hostile orgs)', () => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg();
  });
  afterAll(async () => org.close());

  for (const [core, seed] of CASES) {
    it(`${core}, seed ${seed}: main.ts synthesizes, loads back exactly, plans only secret adoption, then empty`, async () => {
      org.emulator.admin.reset();
      await seedHostileOrg(org, seed);
      const session = sessionOf(org.emulator, org.client);
      const cwd = freshDir();
      const outcome = await importOrg(session, {
        out: 'm3ter',
        cwd,
        env: {},
        format: core,
        kinds: STACK_KINDS,
      });
      expect(outcome.model.problems).toEqual([]);
      expect(outcome.checked).toBe(false);
      const dir = path.join(cwd, 'm3ter');
      const main = readFileSync(path.join(dir, 'main.ts'), 'utf8');
      expect(main).toContain(`from "m3ter-config/${core}"`);
      expect(main).not.toMatch(/[\u2028\u2029\u202a-\u202e\u0000-\u0008]/);
      const template = readFileSync(path.join(dir, 'm3ter.env.template'), 'utf8');
      const env: Record<string, string> = {};
      for (const s of outcome.model.secrets) {
        const name = `TF_VAR_${stackVariablesOf(outcome.model).get(s.env) ?? ''}`;
        expect(template).toContain(`${name}=\n`);
        env[name] = `value-of-${name}-${seed}`;
      }
      synth(dir);
      if (process.env['KEEP_IMPORT_STACK']) console.log(dir);
      rmSync(path.join(dir, 'node_modules'));

      const loaded = await loadConfigSources([path.join(dir, 'cdktf.out/stacks/m3ter')], { env, cwd: dir });
      expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
      const desired = loaded.state as DesiredState;
      const first = await planAgainst(desired, session);
      for (const kind of STACK_KINDS) {
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
      expect(first.plan.changes.length).toBe(desired.resources.webhook.size);
      const applied = await runApply(session, first.plan, { planned: first, checkCurrent: true });
      expect(applied.result.failed).toEqual([]);
      const second = await planAgainst(desired, session);
      expect(second.plan.changes).toEqual([]);
      for (const { file, text } of filesUnder(dir))
        for (const v of Object.values(env))
          expect(text.includes(v), `${file} holds a secret value`).toBe(false);
    }, 60_000);
  }

  it('a webhook with no code goes into Ignore: the synth output ignores it and plans no delete of it', async () => {
    org.emulator.admin.reset();
    const api = await apiSeeder(org.emulator);
    const credentials = {
      type: 'M3TER_SIGNED_REQUEST',
      apiKey: 'k-1',
      secret: 's-1',
      destination: 'WEBHOOK',
    };
    await api.webhook({
      code: 'ok',
      name: 'OK',
      description: 'd',
      url: 'https://h.example.com/a',
      credentials,
    });
    const uncoded = await api.webhook({
      name: 'No code',
      description: 'd',
      url: 'https://h.example.com/b',
      credentials,
    });
    const session = sessionOf(org.emulator, org.client);
    const cwd = freshDir();
    const outcome = await importOrg(session, {
      out: 'm3ter',
      cwd,
      env: {},
      format: 'cdktf',
      kinds: STACK_KINDS,
    });
    expect(outcome.model.problems.map((p) => p.ignore)).toEqual([`id:${uncoded.id}`]);
    const dir = path.join(cwd, 'm3ter');
    const main = readFileSync(path.join(dir, 'main.ts'), 'utf8');
    expect(main).toContain('new Ignore(stack, "ignore", {');
    expect(main).toContain(`"id:${uncoded.id}", // no_natural_key: `);
    synth(dir);
    rmSync(path.join(dir, 'node_modules'));
    const env = Object.fromEntries(
      outcome.model.secrets.map((s) => [`TF_VAR_${stackVariablesOf(outcome.model).get(s.env) ?? ''}`, 'x']),
    );
    const loaded = await loadConfigSources([path.join(dir, 'cdktf.out/stacks/m3ter')], { env, cwd: dir });
    expect(loaded.issues).toEqual([]);
    const desired = loaded.state as DesiredState;
    expect(desired.ignore.webhook).toEqual([`id:${uncoded.id}`]);
    expect(desired.managedKinds.has('webhook')).toBe(true);
    const planned = await planAgainst(desired, session);
    expect(planned.plan.changes.map((c) => `${c.type} ${c.kind} ${c.key}`)).toEqual(['update webhook ok']);
  }, 60_000);

  it('is deterministic: the same org imports to the same files', async () => {
    org.emulator.admin.reset();
    await seedHostileOrg(org, 104);
    const session = sessionOf(org.emulator, org.client);
    const a = freshDir();
    const b = freshDir();
    await importOrg(session, { out: 'm3ter', cwd: a, env: {}, format: 'cdktf', kinds: STACK_KINDS });
    await importOrg(session, { out: 'm3ter', cwd: b, env: {}, format: 'cdktf', kinds: STACK_KINDS });
    const text = (d: string) => filesUnder(path.join(d, 'm3ter')).map((f) => [path.basename(f.file), f.text]);
    expect(text(a)).toEqual(text(b));
  });
});
