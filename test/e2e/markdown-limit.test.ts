import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.js';

/** `--markdown-limit` and `--markdown-full`, one pair of options for plan and drift, as a CI job uses them. */

function manyRules(cwd: string, n: number): string {
  const rules = Array.from(
    { length: n },
    (_, i) =>
      `  - code: rule_${i}\n    name: Rule ${i}\n    description: Fires on every new bill, number ${i}\n    eventName: billing.bill.created`,
  );
  const file = path.join(cwd, 'm3ter.yaml');
  writeFileSync(file, `notificationRules:\n${rules.join('\n')}\n`);
  return file;
}

describe('Markdown reports within a limit, through the CLI', () => {
  it('plan: the comment fits, names the saved plan and the full Markdown, which holds every change', async () => {
    const cwd = tempDir();
    const config = manyRules(cwd, 300);
    const args = ['plan', config, '--format', 'markdown', '--out', 'plan.json'];
    const r = await runCli([...args, '--markdown-limit', '5000', '--markdown-full', 'plan-full.md'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeLessThanOrEqual(5000);
    expect(r.stdout).toMatch(
      /\*\*\d+ of 300 changes are not shown here\*\*, to keep this under 5000 characters/,
    );
    expect(r.stdout).toContain('the saved plan (`plan.json`) and in the full Markdown (`plan-full.md`)');
    const full = readFileSync(path.join(cwd, 'plan-full.md'), 'utf8');
    expect(full.match(/^\+ notification rule "/gm)).toHaveLength(300);
    expect(full).not.toContain('not shown here');
    const byDefault = await runCli(args, { cwd });
    expect(byDefault.stdout.length).toBeLessThanOrEqual(64_000);
    expect(byDefault.stdout).toMatch(
      /\*\*\d+ of 300 changes are not shown here\*\*, to keep this under 64000/,
    );
    const all = await runCli([...args, '--markdown-limit', '0'], { cwd });
    expect(all.stdout.match(/^\+ notification rule "/gm)).toHaveLength(300);
  });

  it('drift: the issue body fits and counts the items left out', async () => {
    const cwd = tempDir();
    const config = manyRules(cwd, 300);
    const r = await runCli(
      [
        'drift',
        config,
        '--format',
        'markdown',
        '--markdown-limit',
        '5000',
        '--markdown-full',
        'drift-full.md',
      ],
      { cwd },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout.length).toBeLessThanOrEqual(5000);
    expect(r.stdout).toMatch(/\*\*\d+ of 300 items are not shown here\*\*/);
    const full = readFileSync(path.join(cwd, 'drift-full.md'), 'utf8');
    expect(full.match(/^\| notification rule `rule_\d+` \|/gm)).toHaveLength(300);
  });

  it('refuses a limit it cannot keep, and --markdown-full without Markdown', async () => {
    const cwd = tempDir();
    const config = manyRules(cwd, 1);
    for (const value of ['100', '-1', 'lots', '1e5']) {
      const r = await runCli(['plan', config, '--format', 'markdown', `--markdown-limit=${value}`], { cwd });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        '--markdown-limit takes a number of characters, at least 4000, or 0 for no limit',
      );
    }
    const r = await runCli(['drift', config, '--markdown-full', 'x.md'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--markdown-full needs --format markdown');
  });
});
