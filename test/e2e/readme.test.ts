import { execFile, spawn } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, tempDir } from './run-cli.js';

const run = promisify(execFile);
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The fenced ```sh blocks of the README, in order. */
function shBlocks(): string[] {
  return [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] as string).trim());
}

function sectionBlock(heading: string): string {
  const start = README.indexOf(heading);
  expect(start, heading).toBeGreaterThan(-1);
  const block = /```sh\n([\s\S]*?)```/.exec(README.slice(start));
  return (block?.[1] as string).trim();
}

describe('the README', () => {
  it('starts with the install-and-run command and the test command', () => {
    const [first, second] = shBlocks();
    expect(first).toMatch(/^npm ci && npx m3ter-config apply examples\/quickstart .*--auto-approve/);
    expect(second).toBe('npm test');
    expect(README.indexOf(first as string)).toBeLessThan(1500);
  });

  it('its first command, after npm ci, applies the quickstart and the second plan is empty', async () => {
    const [first] = shBlocks();
    const cwd = tempDir();
    symlinkSync(path.join(ROOT, 'examples'), path.join(cwd, 'examples'));
    const command = (first as string)
      .replace(/^npm ci && /, '')
      .replaceAll('npx m3ter-config', `node ${BIN}`);
    const env = { PATH: process.env['PATH'] ?? '', HOME: cwd };
    const { stdout } = await run('bash', ['-c', command], { cwd, env });
    expect(stdout).toContain('Plan: 5 to create, 0 to update, 0 to delete.');
    expect(stdout).toMatch(/Apply complete/);
    expect(stdout.trimEnd()).toMatch(/No changes\. Live state matches the configuration\.$/);
  });

  it('its curl sequence works against `m3ter-config emulator`', async () => {
    const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0'], {
      env: { PATH: process.env['PATH'] ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: string) => {
          out += d;
          if (out.includes('export M3TER_API_SECRET=')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`emulator exited ${code}`)));
      });
      const exports = out
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith('export M3TER_'));
      expect(exports).toHaveLength(4);
      const script = `${exports.join('\n')}\nset -e\n${sectionBlock('### Try it with curl')}`;
      const { stdout } = await run('bash', ['-c', script], { env: { PATH: process.env['PATH'] ?? '' } });
      // The create answers the webhook at version 1; the list shows it.
      const bodies = stdout.trim().split(/(?<=\})\s*(?=\{"data")/);
      const created = JSON.parse(bodies[0] as string) as {
        version: number;
        code: string;
        credentials: object;
      };
      expect(created).toMatchObject({ version: 1, code: 'ops' });
      expect(created.credentials).not.toHaveProperty('secret');
      const list = JSON.parse(bodies[1] as string) as { data: { code: string }[] };
      expect(list.data.map((w) => w.code)).toEqual(['ops']);
    } finally {
      child.kill('SIGINT');
    }
  });
});
