import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.js';

/** `graph`'s default Mermaid stays within Mermaid's default limits (500 arrows, 50,000 characters) or says what to use. */

function fanIn(cwd: string, rules: number): string {
  const lines = [
    'webhooks:',
    '  - code: hook',
    '    name: Hook',
    '    description: Receives everything',
    '    url: https://hooks.example.test/m3ter',
    '    credentials:',
    '      type: M3TER_SIGNED_REQUEST',
    '      apiKey: { env: HOOK_KEY }',
    '      secret: { env: HOOK_SECRET }',
    'notificationRules:',
    ...Array.from({ length: rules }, (_, i) => [
      `  - code: rule_${i}`,
      `    name: Rule ${i}`,
      '    description: Fires on bills',
      '    eventName: billing.bill.created',
    ]).flat(),
    'links:',
    ...Array.from({ length: rules }, (_, i) => [`  - rule: rule_${i}`, '    webhook: hook']).flat(),
  ];
  const file = path.join(cwd, 'm3ter.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('graph: Mermaid within its default limits', () => {
  it('refuses a default Mermaid picture past 500 arrows and names svg and dot; --format mermaid writes it with a warning', async () => {
    const cwd = tempDir();
    const config = fanIn(cwd, 300); // 600 arrows: rule -> link -> webhook
    const r = await runCli(['graph', config], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('the Mermaid picture has 600 arrows and ');
    expect(r.stderr).toContain("over Mermaid's default limits (500 arrows, 50000 characters)");
    expect(r.stderr).toContain('--format svg or --format dot');
    const asked = await runCli(['graph', config, '--format', 'mermaid'], { cwd });
    expect(asked.code).toBe(0);
    expect(asked.stdout).toMatch(/^flowchart LR\n/);
    expect(asked.stderr).toContain('warning: the Mermaid picture has 600 arrows');
    const dot = await runCli(['graph', config, '--format', 'dot'], { cwd });
    expect(dot.code).toBe(0);
    expect(dot.stderr).toBe('');
    // Fewer arrows, still drawn by default.
    const small = await runCli(['graph', fanIn(cwd, 200)], { cwd });
    expect(small.code).toBe(0);
    expect(small.stderr).toBe('');
  });
});
