import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';

/** Runs the CLI in process and collects what it writes. */
async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const stream = (key: 'stdout' | 'stderr') => {
    const s = new PassThrough();
    s.setEncoding('utf8').on('data', (d: string) => (out[key] += d));
    return s;
  };
  const code = await main(argv, {
    stdout: stream('stdout'),
    stderr: stream('stderr'),
    stdin: new PassThrough(),
    env: {},
    cwd: process.cwd(),
    signal: new AbortController().signal,
  });
  return { code, ...out };
}

describe('a command with subcommands', () => {
  it('lists its subcommands, and each has its own help', async () => {
    const help = await cli(['webhook', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/listen +Receive webhook deliveries/);
    expect(help.stdout).toMatch(/test-send +Send a signed sample/);
    const sub = await cli(['webhook', 'listen', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/^Usage: m3ter-config webhook listen \[PATH\.\.\.\]/);
    expect(sub.stdout).toContain('--forward URL');
    expect((await cli(['help', 'webhook'])).stdout).toMatch(/Subcommands:/);
  });

  it('suggests the subcommand meant, and refuses none', async () => {
    const typo = await cli(['webhook', 'lisen']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/did you mean `m3ter-config webhook listen`\?/);
    expect((await cli(['webhook'])).code).toBe(1);
    const bad = await cli(['webhook', 'test-send', 'x', '--evnt', 'a']);
    expect(bad.stderr).toMatch(/did you mean --event\?[\s\S]*m3ter-config webhook test-send --help/);
  });
});

describe('the main help', () => {
  it('names scheduled events among what m3ter-config manages and graph draws', async () => {
    const help = await cli(['--help']);
    const intro = help.stdout.split('\n\n')[0]!.replace(/\n/g, ' ');
    expect(intro).toContain('scheduled events');
    expect(help.stdout).toMatch(/graph +Draw the topology \([^)]*scheduled events[^)]*\)/);
  });
});
