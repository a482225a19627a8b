import { describe, expect, it } from 'vitest';
import { QUICKSTART, QUICKSTART_ENV, QUICKSTART_SECRETS, runCli, tempDir } from './run-cli.js';

/**
 * Two jobs that share no M3TER_CONFIG_FINGERPRINT_KEY (say, the apply job's service user and the nightly drift
 * job's): the second cannot compare the webhooks' secrets with what the first wrote. It says so in a note, and
 * reports neither a change nor drift; --rotate-secrets still re-sends them.
 */
describe('a plan or drift run under another fingerprint key', () => {
  // Six CLI runs, each deriving its fingerprint key (scrypt): on a CI machine running the e2e passes side by side,
  // the default 30 s was too short.
  it(
    'notes that the secrets cannot be compared, plans nothing, reports no drift; --rotate-secrets re-sends',
    {
      timeout: 90_000,
    },
    async () => {
      const cwd = tempDir();
      const common = [QUICKSTART, '--env-file', QUICKSTART_ENV];
      const keyA = { M3TER_CONFIG_FINGERPRINT_KEY: 'the-apply-jobs-key' };
      const keyB = { M3TER_CONFIG_FINGERPRINT_KEY: 'the-drift-jobs-key' };
      const applied = await runCli(['apply', ...common, '--auto-approve'], { cwd, env: keyA });
      expect(applied.code, applied.stderr).toBe(0);

      const plan = await runCli(['plan', ...common, '--detailed-exitcode'], { cwd, env: keyB });
      expect(plan.code, plan.stdout).toBe(0);
      expect(plan.stdout).toContain('No changes.');
      expect(plan.stderr).toContain('cannot be compared under this fingerprint key');
      expect(plan.stderr).toContain('M3TER_CONFIG_FINGERPRINT_KEY');

      const drift = await runCli(['drift', ...common], { cwd, env: keyB });
      expect(drift.code, drift.stdout + drift.stderr).toBe(0);
      expect(drift.stderr).toContain('cannot be compared under this fingerprint key');
      const json = await runCli(['drift', ...common, '--format', 'json'], { cwd, env: keyB });
      expect(json.code).toBe(0);
      expect((JSON.parse(json.stdout) as { items: unknown[] }).items).toEqual([]);

      const rotate = await runCli(['plan', ...common, '--rotate-secrets', '--detailed-exitcode'], {
        cwd,
        env: keyB,
      });
      expect(rotate.code).toBe(2);
      expect(rotate.stdout).toContain('Plan: 0 to create, 1 to update, 0 to delete.');

      // The same key as the apply: nothing to note.
      const same = await runCli(['plan', ...common, '--detailed-exitcode'], { cwd, env: keyA });
      expect(same.code).toBe(0);
      expect(same.stderr).toBe('');
      for (const out of [plan, drift, json, rotate, same])
        for (const s of QUICKSTART_SECRETS) expect(out.stdout + out.stderr).not.toContain(s);
    },
  );
});
