import { readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { GITOPS, QUICKSTART, QUICKSTART_ENV, QUICKSTART_SECRETS, ROOT, runCli, tempDir } from './run-cli.js';

const ESC = '\u001b[';

function expectNoSecrets(...outputs: string[]): void {
  for (const out of outputs) for (const secret of QUICKSTART_SECRETS) expect(out).not.toContain(secret);
}

describe('m3ter-config validate', () => {
  it('accepts both examples, offline', async () => {
    const r = await runCli(['validate', QUICKSTART, GITOPS], { cwd: ROOT });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('reports a bad file with file:line:col and exits 1', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'bad.yaml'),
      'webhooks:\n  - code: hook\n    name: Hook\n    description: d\n    url: ftp://x\n    credentials:\n      apiKey: literal-key\n      secret: { env: S }\n',
    );
    const r = await runCli(['validate', 'bad.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bad\.yaml:5:10 \/webhooks\/0\/url: /m);
    expect(r.stderr).toMatch(/^bad\.yaml:7:15 \/webhooks\/0\/credentials\/apiKey: /m);
    expect(r.stderr).not.toContain('literal-key');
    const json = await runCli(['validate', 'bad.yaml', '--format', 'json'], { cwd: dir });
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { issues: { code: string; line: number }[] };
    expect(parsed.issues.map((i) => i.code)).toContain('literal_secret');
  });

  it('rejects an unknown flag with a usage error', async () => {
    const r = await runCli(['validate', '--bogus'], { cwd: ROOT });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('m3ter-config validate --help');
  });
});

describe('plan and apply against the embedded emulator', () => {
  it('a new user: plan, apply, then an empty plan; no secret printed, no colour without a terminal', async () => {
    const cwd = tempDir();
    const common = [QUICKSTART, '--env-file', QUICKSTART_ENV];
    const plan = await runCli(['plan', ...common], { cwd });
    expect(plan.code).toBe(0);
    expect(plan.stdout.split('\n')[0]).toMatch(/local m3ter emulator \(state \.m3ter[/\\]local\.json\)/);
    expect(plan.stdout).toContain('Plan: 5 to create, 0 to update, 0 to delete.');
    expect(plan.stdout).not.toContain(ESC);

    const apply = await runCli(['apply', ...common, '--auto-approve', '--verify'], { cwd });
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Verified');

    const again = await runCli(['plan', ...common, '--detailed-exitcode'], { cwd });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes');
    expect(readFileSync(path.join(cwd, '.m3ter/.gitignore'), 'utf8')).toContain('*');
    expectNoSecrets(plan.stdout, plan.stderr, apply.stdout, apply.stderr, again.stdout);
    // The local org keeps the webhook's key pair (the emulator signs deliveries with it), and nothing else secret,
    // in a file only its owner reads, in a git-ignored folder.
    const local = path.join(cwd, '.m3ter/local.json');
    expect(statSync(local).mode & 0o777).toBe(0o600);
    expect(readFileSync(local, 'utf8')).not.toContain('whsec_quickstart_fake_signing_key');
  });

  it('--detailed-exitcode is 2 when there are changes; json and markdown carry no secret', async () => {
    const cwd = tempDir();
    const common = [QUICKSTART, '--env-file', QUICKSTART_ENV];
    const r = await runCli(['plan', ...common, '--detailed-exitcode'], { cwd });
    expect(r.code).toBe(2);
    const json = await runCli(['plan', ...common, '--format', 'json'], { cwd });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      formatVersion: number;
      summary: { create: number };
      target: Record<string, string>;
    };
    expect(parsed.formatVersion).toBe(1);
    // Stable for machines: the embedded emulator's random port is not part of the plan.
    expect(parsed.target).toEqual({
      type: 'local-emulator',
      statePath: '.m3ter/local.json',
      orgId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      baseUrl: 'in-process',
    });
    expect(parsed.summary.create).toBe(5);
    const md = await runCli(['plan', ...common, '--format', 'markdown'], { cwd });
    expect(md.code).toBe(0);
    expectNoSecrets(json.stdout, md.stdout);
  });

  it('apply refuses without a terminal and without --auto-approve, and sends nothing', async () => {
    const cwd = tempDir();
    const r = await runCli(['apply', QUICKSTART, '--env-file', QUICKSTART_ENV], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--auto-approve');
    const plan = await runCli(['plan', QUICKSTART, '--env-file', QUICKSTART_ENV], { cwd });
    expect(plan.stdout).toContain('Plan: 5 to create');
  });

  it('a missing secret variable is a positioned error and nothing is sent', async () => {
    const cwd = tempDir();
    const r = await runCli(['plan', QUICKSTART], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/m3ter\.yaml:\d+:\d+ .*QUICKSTART_WEBHOOK_API_KEY/);
    expect(r.stderr).toContain('Nothing was sent to the API.');
  });

  it('a saved plan applies; one the org moved past is refused with exit 4 before any write', async () => {
    const cwd = tempDir();
    const common = ['--env-file', QUICKSTART_ENV];
    expect((await runCli(['apply', QUICKSTART, ...common, '--auto-approve'], { cwd })).code).toBe(0);

    // Change a rule's name in a copy of the files, and save the plan.
    const dir = path.join(cwd, 'config');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    const yaml = readFileSync(path.join(QUICKSTART, 'm3ter.yaml'), 'utf8').replace(
      'name: Bill created',
      'name: Bill created (v2)',
    );
    writeFileSync(path.join(dir, 'm3ter.yaml'), yaml);
    const saved = await runCli(['plan', dir, ...common, '--out', 'plan.json'], { cwd });
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain('Plan: 0 to create, 1 to update, 0 to delete.');
    const planText = readFileSync(path.join(cwd, 'plan.json'), 'utf8');
    expectNoSecrets(planText);

    const applied = await runCli(['apply', 'plan.json', ...common, '--verify'], { cwd });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Verified: the org shows every change of the saved plan.');

    // The same saved plan again: the rule's version moved, so it is stale.
    const stale = await runCli(['apply', 'plan.json', ...common], { cwd });
    expect(stale.code).toBe(4);
    expect(`${stale.stdout}${stale.stderr}`).toMatch(/plan again/i);
  });

  it('a plan saved against one local org is refused by another', async () => {
    const a = tempDir();
    const b = tempDir();
    const common = ['--env-file', QUICKSTART_ENV];
    expect((await runCli(['plan', QUICKSTART, ...common, '--out', 'plan.json'], { cwd: a })).code).toBe(0);
    const r = await runCli(['apply', path.join(a, 'plan.json'), ...common], { cwd: b });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/saved plan was made for/);
    // Nothing was created in b's org.
    const again = await runCli(['plan', QUICKSTART, ...common], { cwd: b });
    expect(again.stdout).toContain('Plan: 5 to create');
  });

  it('a tampered saved plan is refused', async () => {
    const cwd = tempDir();
    const saved = await runCli(['plan', QUICKSTART, '--env-file', QUICKSTART_ENV, '--out', 'plan.json'], {
      cwd,
    });
    expect(saved.code).toBe(0);
    const file = path.join(cwd, 'plan.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Bill created', 'Bill deleted'));
    const r = await runCli(['apply', 'plan.json', '--env-file', QUICKSTART_ENV], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/checksum/i);
  });

  it('deleting a webhook that live links still use is unsafe: exit 3', async () => {
    const cwd = tempDir();
    const common = ['--env-file', QUICKSTART_ENV];
    expect((await runCli(['apply', QUICKSTART, ...common, '--auto-approve'], { cwd })).code).toBe(0);
    // Webhooks managed, links not: the webhook would go while two links still point at it.
    const dir = path.join(cwd, 'only-webhooks');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'm3ter.yaml'), 'webhooks: []\n');
    const plan = await runCli(['plan', dir, ...common], { cwd });
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain('commitment_under_10_percent->quickstart_receiver');
    // Refused before any question, with what the plan found: the same refusal with or without --allow-deletes.
    for (const extra of [[], ['--allow-deletes']]) {
      const apply = await runCli(['apply', dir, ...common, '--auto-approve', ...extra], { cwd });
      expect(apply.code).toBe(3);
      expect(apply.stderr).toMatch(
        /the plan is unsafe, nothing was applied: linked_delete: webhook "quickstart_receiver"/,
      );
    }
  });
});

describe('plan against a real HTTP target (the emulator as a remote org)', () => {
  it('names the org and base URL on the first line', async () => {
    const emulator = await startEmulator();
    try {
      const r = await runCli(['plan', QUICKSTART, '--env-file', QUICKSTART_ENV], {
        cwd: tempDir(),
        env: {
          M3TER_ORG_ID: emulator.orgId,
          M3TER_API_KEY: emulator.apiKey,
          M3TER_API_SECRET: emulator.apiSecret,
          M3TER_BASE_URL: emulator.url,
        },
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toContain(`m3ter org ${emulator.orgId} at ${emulator.url}`);
    } finally {
      await emulator.close();
    }
  });

  it('incomplete credentials are an error naming the missing variables', async () => {
    const r = await runCli(['plan', QUICKSTART, '--env-file', QUICKSTART_ENV], {
      cwd: tempDir(),
      env: { M3TER_ORG_ID: 'x' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('M3TER_API_KEY');
    expect(r.stderr).toContain('M3TER_API_SECRET');
  });
});

describe('default config paths', () => {
  it('reads ./m3ter.yaml when no path is given, and says what it looked for when there is none', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'docker-compose.yml'), 'services: {}\n');
    const none = await runCli(['validate'], { cwd });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('looked for m3ter.yaml, m3ter.yml, m3ter');
    writeFileSync(
      path.join(cwd, 'm3ter.yaml'),
      'notificationRules:\n  - code: r\n    name: R\n    description: D\n    eventName: billing.bill.created\n',
    );
    const found = await runCli(['validate'], { cwd });
    expect(found.stderr).toBe('');
    expect(found.code).toBe(0);
  });
});

describe('m3ter-config plan: warnings after the live read', () => {
  it('an ignore pattern that matches nothing is a warning line naming its position', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'm3ter.yaml'),
      'notificationRules:\n  - code: r1\n    name: R\n    description: d\n    eventName: billing.bill.created\nignore:\n  notificationRules: [lgacy_*]\n',
    );
    const r = await runCli(['plan'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^m3ter\.yaml:7:23 \/ignore\/notificationRules\/0: warning: ignore pattern "lgacy_\*" matches no live or declared notification rule \[ignore_matches_nothing\]$/m,
    );
  });
});
