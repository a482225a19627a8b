import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigSources } from '../../src/load/cdktf-synth.js';
import { loadConfig } from '../../src/load/load-config.js';
import { renderPlan } from '../../src/render/plan.js';
import type { DesiredState } from '../../src/model/state.js';
import { applyAndConverge, type Org, planAgainst, startOrg } from '../helpers/converge.js';
import { checkTerraformJson } from '../helpers/tf-schema-check.js';
import { QUICKSTART_SECRETS, ROOT, runCli, tempDir } from './run-cli.js';

/**
 * examples/cdktf as a user runs it: the app synthesizes (as `npm run synth` does), the output passes the provider
 * schema, declares exactly what the quickstart and the integrations example declare, applies to an emulator and then plans empty, through the
 * library and through the CLI.
 */
const ENV_FILE = 'examples/cdktf/cdktf.env';
let work: string;
let stackDir: string;

beforeAll(() => {
  work = tempDir();
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'examples/cdktf/main.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: path.join(work, 'cdktf.out'), CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
    },
  );
  expect(run.status, run.stderr).toBe(0);
  stackDir = path.join(work, 'cdktf.out/stacks/quickstart');
  cpSync(path.join(ROOT, ENV_FILE), path.join(work, 'cdktf.env'));
}, 60_000);

let org: Org | undefined;
afterAll(async () => {
  await org?.close();
});

/** What a desired state declares, with secret values (compared, never printed) and without sources. */
function declared(state: DesiredState): unknown {
  return Object.fromEntries(
    Object.entries(state.resources).map(([kind, map]) => [
      kind,
      [...map.values()]
        .sort((a, b) => (a.key < b.key ? -1 : 1))
        .map((r) => ({
          key: r.key,
          attributes: r.attributes,
          secrets: Object.fromEntries(Object.entries(r.secrets ?? {}).map(([k, s]) => [k, s.reveal()])),
        })),
    ]),
  );
}

describe('examples/cdktf', () => {
  it('synthesizes cdktf.out/stacks/quickstart/cdk.tf.json, valid against the provider schema', () => {
    const json: unknown = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    expect(checkTerraformJson(json)).toEqual([]);
    expect(existsSync(path.join(work, 'cdktf.out/manifest.json'))).toBe(true);
  });

  it('declares what the quickstart declares, plans identically, applies and then plans empty for both', async () => {
    const fromStack = await loadConfigSources([stackDir], { env: {}, cwd: ROOT, envFiles: [ENV_FILE] });
    expect(fromStack.issues).toEqual([]);
    const fromYaml = await loadConfig(['examples/quickstart', 'examples/integrations'], {
      env: {},
      cwd: ROOT,
      envFiles: ['examples/quickstart/quickstart.env', 'examples/integrations/integrations.env'],
    });
    expect(fromYaml.issues).toEqual([]);
    expect(declared(fromStack.state!)).toEqual(declared(fromYaml.state!));
    expect([...fromStack.state!.managedKinds].sort()).toEqual([...fromYaml.state!.managedKinds].sort());

    org = await startOrg();
    const changes = async (state: DesiredState) =>
      renderPlan((await planAgainst(org!.client, state)).plan, { format: 'text', color: false });
    expect(await changes(fromStack.state!)).toEqual(await changes(fromYaml.state!));
    await applyAndConverge(org.client, fromStack.state!);
    expect(await changes(fromYaml.state!)).toContain('No changes.');
  });

  it('m3ter-config apply cdktf.out/stacks/quickstart, then plan --detailed-exitcode exits 0', async () => {
    const apply = await runCli(
      ['apply', 'cdktf.out/stacks/quickstart', '--env-file', 'cdktf.env', '--auto-approve'],
      {
        cwd: work,
      },
    );
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 7 created');
    const plan = await runCli(
      ['plan', 'cdktf.out', '--stack', 'quickstart', '--env-file', 'cdktf.env', '--detailed-exitcode'],
      {
        cwd: work,
      },
    );
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    for (const s of QUICKSTART_SECRETS)
      expect(apply.stdout + apply.stderr + plan.stdout + plan.stderr).not.toContain(s);
  });

  it('bad synth output: positioned issues naming the construct and its source line, nothing sent', async () => {
    const bad = tempDir();
    const doc = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
      '//': { 'm3ter-config': { credentials: Record<string, { fields: Record<string, string> }> } };
    };
    doc.resource['m3ter_webhook']!['receiver']!['url'] = 'ftp://example.com/hook';
    doc['//']['m3ter-config'].credentials['quickstart-stripe']!.fields['signingKey'] =
      'whsec_pasted_by_mistake';
    doc.resource['m3ter_integration_configuration']!['bill-created_notify-receiver']!['entity_id'] =
      '${m3ter_notification_configuration.gone.id}';
    mkdirSync(path.join(bad, 'stack'));
    writeFileSync(path.join(bad, 'stack/cdk.tf.json'), JSON.stringify(doc, null, 2));
    cpSync(path.join(ROOT, ENV_FILE), path.join(bad, 'cdktf.env'));

    const run = await runCli(['apply', 'stack', '--env-file', 'cdktf.env', '--auto-approve'], { cwd: bad });
    expect(run.code).toBe(1);
    const text = readFileSync(path.join(bad, 'stack/cdk.tf.json'), 'utf8').split('\n');
    const lineOf = (needle: string) => text.findIndex((l) => l.includes(needle)) + 1;
    expect(run.stderr).toContain(`stack/cdk.tf.json:${lineOf('whsec_pasted_by_mistake')}:`);
    expect(run.stderr).toMatch(
      new RegExp(
        `stack/cdk\\.tf\\.json:${lineOf('m3ter_notification_configuration.gone')}:\\d+ /resource/m3ter_integration_configuration/bill-created_notify-receiver/entity_id: quickstart/bill-created/notify-receiver \\(examples/cdktf/main\\.ts:\\d+:\\d+\\): entity_id names m3ter_notification_configuration\\.gone`,
      ),
    );
    expect(run.stderr).toMatch(
      new RegExp(
        `stack/cdk\\.tf\\.json:${lineOf('ftp://example.com/hook')}:\\d+ /resource/m3ter_webhook/receiver/url: quickstart/receiver \\(examples/cdktf/main\\.ts:\\d+:\\d+\\): `,
      ),
    );
    expect(run.stderr).not.toContain('whsec_pasted_by_mistake');
    // Nothing was sent: the embedded emulator never started, or holds nothing.
    const state = path.join(bad, '.m3ter/local.json');
    if (existsSync(state)) expect(readFileSync(state, 'utf8')).not.toContain('quickstart');
  });

  it('export --format tf-json writes the quickstart as Terraform JSON that passes the same checks and reads back the same', async () => {
    const dir = tempDir();
    const run = await runCli(
      [
        'export',
        path.join(ROOT, 'examples/quickstart'),
        path.join(ROOT, 'examples/integrations'),
        '--format',
        'tf-json',
        '--out',
        'main.tf.json',
      ],
      {
        cwd: dir,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const text = readFileSync(path.join(dir, 'main.tf.json'), 'utf8');
    for (const s of QUICKSTART_SECRETS) expect(text + run.stdout + run.stderr).not.toContain(s);
    expect(checkTerraformJson(JSON.parse(text))).toEqual([]);
    const env = {
      TF_VAR_quickstart_webhook_api_key: 'quickstart-fake-api-key',
      TF_VAR_quickstart_webhook_secret: 'quickstart-fake-webhook-secret',
      TF_VAR_quickstart_stripe_signing_key: 'whsec_quickstart_fake_signing_key',
    };
    const back = await loadConfigSources([path.join(dir, 'main.tf.json')], { env, cwd: dir });
    expect(back.issues).toEqual([]);
    const yaml = await loadConfig(['examples/quickstart', 'examples/integrations'], {
      env: {},
      cwd: ROOT,
      envFiles: ['examples/quickstart/quickstart.env', 'examples/integrations/integrations.env'],
    });
    expect(declared(back.state!)).toEqual(declared(yaml.state!));
  });

  it('both built entry points import and synthesize under plain node (no tsx)', () => {
    const outdir = tempDir();
    const script = `
      for (const core of ['cdktf', 'cdktn']) {
        const lib = await import(core);
        const m3 = await import('m3ter-config/' + core);
        const app = new lib.App({ outdir: ${JSON.stringify(outdir)} + '/' + core });
        const stack = new lib.TerraformStack(app, 's');
        new m3.M3terProvider(stack, 'm3ter');
        new m3.NotificationRule(stack, 'r', { code: 'r', name: 'R', description: 'd', eventName: 'billing.bill.created' });
        app.synth();
      }`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    for (const core of ['cdktf', 'cdktn']) {
      const json: unknown = JSON.parse(readFileSync(path.join(outdir, core, 'stacks/s/cdk.tf.json'), 'utf8'));
      expect(checkTerraformJson(json)).toEqual([]);
      expect(JSON.stringify(json)).toContain('"m3ter_notification_configuration"');
    }
  });
});
