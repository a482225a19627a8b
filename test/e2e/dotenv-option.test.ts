import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUICKSTART, QUICKSTART_ENV, QUICKSTART_SECRETS, runCli, tempDir } from './run-cli.js';

// Through the bin shim as npm runs it (`node bin/m3ter-config.js ...`): Node itself reads `--env-file` anywhere on
// that command line, so the option that reaches the CLI for a missing file is `--dotenv`.
describe('--dotenv FILE', () => {
  it.each(['plan', 'validate'])(
    '%s: a missing file is the tool’s own error, before the org is touched',
    async (cmd) => {
      const cwd = tempDir();
      const r = await runCli([cmd, QUICKSTART, '--dotenv', 'missing.env'], { cwd });
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/^node:/m);
      expect(r.stderr).toMatch(/^missing\.env: cannot read the env file .*\[path_not_found\]$/m);
      expect(r.stderr).toContain('hint: check the --dotenv path');
      expect(r.stdout).not.toContain('Plan:');
      expect(existsSync(path.join(cwd, '.m3ter'))).toBe(false);
    },
  );

  it('a file that cannot be read (a folder) is named in the error', async () => {
    const cwd = tempDir();
    mkdirSync(path.join(cwd, 'secrets.env'));
    const r = await runCli(['plan', QUICKSTART, '--dotenv', 'secrets.env'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^secrets\.env: cannot read the env file/m);
    expect(existsSync(path.join(cwd, '.m3ter'))).toBe(false);
  });

  it('reads the file (also as --dotenv=FILE and -dotenv FILE); --env-file still works for a file that exists', async () => {
    const cwd = tempDir();
    for (const args of [
      ['--dotenv', QUICKSTART_ENV],
      [`--dotenv=${QUICKSTART_ENV}`],
      ['-dotenv', QUICKSTART_ENV],
      ['--env-file', QUICKSTART_ENV],
    ]) {
      const r = await runCli(['validate', QUICKSTART, '--require-env', ...args], { cwd });
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.code).toBe(0);
      for (const secret of QUICKSTART_SECRETS) expect(r.stdout).not.toContain(secret);
    }
  });

  it('a syntax error in the file is reported at its line and column, with no value shown', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'bad.env'), 'GOOD=1\nSECRET=abc#hidden-part\n');
    const r = await runCli(['validate', QUICKSTART, '--dotenv', 'bad.env'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bad\.env:2:11: .*holds a # with no space before it \[env_file_syntax\]$/m);
    expect(r.stderr + r.stdout).not.toContain('hidden-part');
    expect(r.stderr + r.stdout).not.toContain('abc');
  });
});
