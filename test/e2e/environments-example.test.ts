import { cpSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { editRuleByHand } from './hand-edit.js';
import { ROOT, runCli, tempDir } from './run-cli.js';
import { writeCount } from '../helpers/writes.js';

/**
 * examples/environments as its README tells it, against two emulators (a SANDBOX and a PRODUCTION org): the
 * README's own commands apply the same files to each org with its own values, both then plan empty, compare finds
 * them equal and then names a change made by hand; the wrong org, the wrong kind of org and an unconfirmed apply to
 * production are refused before any write.
 */

const EXAMPLE = path.join(ROOT, 'examples/environments');
const SECRETS = ['example-billing-secret-not-real-0001', 'example-ops-secret-not-real-0002'];

const running: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

async function emulatorOf(options: EmulatorOptions): Promise<RunningEmulator> {
  const e = await startEmulator({ rateLimit: 0, ...options });
  running.push(e);
  return e;
}

/** The requests that could change the emulator's org; the online checks' evaluations change nothing. */
const writes = (e: RunningEmulator): number =>
  writeCount(e.admin.counters(), (route) => route.includes('/evaluate'));

/** The README's "Against two orgs" block: its exported variables and its m3ter-config commands (not the emulators). */
function readmeBlock(): { exports: Record<string, string>; commands: string[][] } {
  const readme = readFileSync(path.join(EXAMPLE, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Against two orgs'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const exports: Record<string, string> = {};
  const commands: string[][] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('export ')) {
      for (const pair of line.slice('export '.length).split(' ')) {
        const [name, value] = pair.split('=');
        exports[name!] = value!;
      }
    } else if (line.startsWith('npx m3ter-config ') && !line.includes(' emulator ')) {
      commands.push(line.slice('npx m3ter-config '.length).split(' '));
    }
  }
  return { exports, commands };
}

/** The block's variables, with each base URL pointed at the emulator started for it (on a free port). */
function envFor(exports: Record<string, string>, sandbox: RunningEmulator, production: RunningEmulator) {
  return {
    ...exports,
    M3TER_SANDBOX_BASE_URL: sandbox.url,
    M3TER_PRODUCTION_BASE_URL: production.url,
  };
}

function folder(): string {
  const cwd = tempDir();
  cpSync(EXAMPLE, path.join(cwd, 'examples/environments'), { recursive: true });
  return cwd;
}

describe('examples/environments', () => {
  it('the README commands apply each org its own values, plan empty, and compare 0, then 2 on a change by hand', async () => {
    const { exports, commands } = readmeBlock();
    expect(commands.map((c) => c[0])).toEqual(['apply', 'apply', 'compare']);
    const sandbox = await emulatorOf({ orgId: 'sandbox-org', orgType: 'SANDBOX' });
    const production = await emulatorOf({ orgId: 'production-org', orgType: 'PRODUCTION' });
    const cwd = folder();
    const env = envFor(exports, sandbox, production);
    const outputs: string[] = [];

    for (const args of commands) {
      const run = await runCli(args, { cwd, env });
      outputs.push(run.stdout, run.stderr);
      expect(run.code, `${args.join(' ')}\n${run.stderr}`).toBe(0);
    }
    const sbState = sandbox.admin.exportState();
    const prState = production.admin.exportState();
    expect(sbState.webhooks.map((w) => w.url).sort()).toEqual([
      'https://receivers.sandbox.example.com/m3ter/billing',
      'https://receivers.sandbox.example.com/m3ter/ops',
    ]);
    expect(prState.webhooks.map((w) => w.url).sort()).toEqual([
      'https://receivers.example.com/m3ter/billing',
      'https://receivers.example.com/m3ter/ops',
    ]);
    // The trial rule is the sandbox's include only.
    expect(JSON.stringify(sbState)).toContain('bill_updated_trial');
    expect(JSON.stringify(prState)).not.toContain('bill_updated_trial');

    const envFile = ['--dotenv', 'examples/environments/environments.env'];
    for (const name of ['sandbox', 'production']) {
      const again = await runCli(
        ['plan', 'examples/environments/m3ter', '--env', name, ...envFile, '--detailed-exitcode'],
        { cwd, env },
      );
      outputs.push(again.stdout, again.stderr);
      expect(again.code, again.stderr).toBe(0);
    }

    await editRuleByHand(production, 'bill_created', 'Changed in the Console');
    const compare = commands[2]!;
    const differs = await runCli(compare, { cwd, env });
    outputs.push(differs.stdout, differs.stderr);
    expect(differs.code, differs.stderr).toBe(2);
    expect(differs.stdout).toContain('bill_created');
    expect(differs.stdout).toContain('Changed in the Console');

    for (const text of outputs) for (const secret of SECRETS) expect(text).not.toContain(secret);
  }, 120_000);

  it('refuses the production files aimed at the sandbox org, an org of the wrong kind, and an unconfirmed apply', async () => {
    const { exports } = readmeBlock();
    const sandbox = await emulatorOf({ orgId: 'sandbox-org', orgType: 'SANDBOX' });
    const production = await emulatorOf({ orgId: 'production-org', orgType: 'PRODUCTION' });
    // An org that has the sandbox's id but says it is production.
    const impostor = await emulatorOf({ orgId: 'sandbox-org', orgType: 'PRODUCTION' });
    const cwd = folder();
    const base = ['examples/environments/m3ter', '--dotenv', 'examples/environments/environments.env'];

    // The production environment with the sandbox org's credentials: the org id is not production's.
    const crossed = {
      ...envFor(exports, sandbox, production),
      M3TER_ORG_ID: 'sandbox-org',
      M3TER_PRODUCTION_BASE_URL: sandbox.url,
    };
    const wrongOrg = await runCli(
      ['apply', ...base, '--env', 'production', '--auto-approve', '--confirm-org', 'sandbox-org'],
      { cwd, env: crossed },
    );
    expect(wrongOrg.code, wrongOrg.stderr).toBe(3);
    expect(wrongOrg.stderr).toContain('production-org');
    expect(writes(sandbox)).toBe(0);

    // The sandbox environment aimed at an org of the PRODUCTION kind.
    const wrongKind = { ...envFor(exports, sandbox, production), M3TER_SANDBOX_BASE_URL: impostor.url };
    for (const args of [
      ['plan', ...base, '--env', 'sandbox'],
      ['apply', ...base, '--env', 'sandbox', '--auto-approve'],
    ]) {
      const run = await runCli(args, { cwd, env: wrongKind });
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toContain('PRODUCTION');
    }
    expect(writes(impostor)).toBe(0);

    // Production, unprompted and unconfirmed.
    const unconfirmed = await runCli(['apply', ...base, '--env', 'production', '--auto-approve'], {
      cwd,
      env: envFor(exports, sandbox, production),
    });
    expect(unconfirmed.code).toBe(3);
    expect(unconfirmed.stderr).toContain('--confirm-org production-org');
    expect(writes(production)).toBe(0);
  }, 120_000);
});
