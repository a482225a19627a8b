import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, QUICKSTART, QUICKSTART_ENV, runCli, spawnCli, tempDir } from './run-cli.js';

/**
 * The embedded emulator's state file in one checkout: runs that only read (plan) share it, even with each other on a
 * checkout that has no file yet and while a writer holds it; a second writer refuses, saying who holds the file.
 */
describe('the embedded emulator state file, shared by runs in one checkout', () => {
  const common = [QUICKSTART, '--env-file', QUICKSTART_ENV];

  it('two plans at once on a fresh checkout agree on one org, and a saved plan applies', async () => {
    const cwd = tempDir();
    const [a, b] = await Promise.all([
      runCli(['plan', ...common, '--format', 'json'], { cwd }),
      runCli(['plan', ...common, '--format', 'json', '--out', 'saved.json'], { cwd }),
    ]);
    expect(a.stderr).toBe('');
    expect(b.stderr).toBe('');
    expect([a.code, b.code]).toEqual([0, 0]);
    const orgOf = (text: string) => (JSON.parse(text) as { target: { orgId: string } }).target.orgId;
    const stateOrg = (
      JSON.parse(readFileSync(path.join(cwd, '.m3ter/local.json'), 'utf8')) as { orgId: string }
    ).orgId;
    expect(orgOf(a.stdout)).toBe(stateOrg);
    expect(orgOf(b.stdout)).toBe(stateOrg);
    const apply = await runCli(['apply', 'saved.json', '--env-file', QUICKSTART_ENV, '--auto-approve'], {
      cwd,
    });
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
  });

  it('plans run while a writer holds the file; a second writer refuses and names the holder', async () => {
    const cwd = tempDir();
    const first = await runCli(['apply', ...common, '--auto-approve'], { cwd });
    expect(first.code).toBe(0);
    const local = path.join(cwd, '.m3ter/local.json');
    const orgId = (JSON.parse(readFileSync(local, 'utf8')) as { orgId: string }).orgId;
    // A writer that stays: the emulator command on the same file.
    const holder = spawnCli(process.execPath, [BIN, 'emulator', '--state-file', local, '--org-id', orgId], {
      cwd,
    });
    try {
      await holder.waitFor(/Ctrl-C/);
      const plans = await Promise.all([
        runCli(['plan', ...common, '--detailed-exitcode'], { cwd }),
        runCli(['plan', ...common, '--detailed-exitcode'], { cwd }),
      ]);
      for (const p of plans) {
        expect(p.stderr).toBe('');
        expect(p.code).toBe(0);
        expect(p.stdout).toContain('No changes');
      }
      const second = await runCli(['apply', ...common, '--auto-approve'], { cwd });
      expect(second.code).not.toBe(0);
      expect(second.stderr).toMatch(
        new RegExp(`another emulator \\(process ${holder.child.pid}\\) is using it.*local\\.json\\.lock`),
      );
    } finally {
      holder.child.kill('SIGTERM');
      await holder.done;
    }
    // The holder gave the file back: writers work again.
    const after = await runCli(['apply', ...common, '--auto-approve'], { cwd });
    expect(after.code).toBe(0);
  });
});
