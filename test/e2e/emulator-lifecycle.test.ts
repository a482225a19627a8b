import { describe, expect, it } from 'vitest';
import { BIN, ROOT, spawnCli, tempDir } from './run-cli.js';

const READY = /Press Ctrl-C to stop\./;

describe('m3ter-config emulator stops with whoever started it', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('on %s: stops cleanly, exit 0', async (signal) => {
    const run = spawnCli(process.execPath, [BIN, 'emulator', '--port', '0'], { cwd: tempDir() });
    await run.waitFor(READY);
    run.child.kill(signal);
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`m3ter emulator stopped (${signal})`);
  });

  it('when its piped stdin is closed', async () => {
    const run = spawnCli(process.execPath, [BIN, 'emulator', '--port', '0'], {
      cwd: tempDir(),
      stdin: 'pipe',
    });
    await run.waitFor(READY);
    run.child.stdin?.end();
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('m3ter emulator stopped (stdin was closed)');
  });

  it('when the parent that started it through `sh -c` (as npx does) is killed with SIGKILL', async () => {
    // The parent starts `sh -c 'node bin emulator'` with stdout inherited, so the test's pipe closes only when the
    // emulator has exited too.
    const script = `require('node:child_process').spawn('sh', ['-c', ${JSON.stringify(`"${process.execPath}" "${BIN}" emulator --port 0`)}], { stdio: ['ignore', 'inherit', 'inherit'] }); setInterval(() => {}, 1000);`;
    const parent = spawnCli(process.execPath, ['-e', script], { cwd: tempDir() });
    await parent.waitFor(READY);
    parent.child.kill('SIGKILL');
    const r = await parent.done;
    expect(r.stdout).toMatch(/m3ter emulator stopped \(the process that started it \(pid \d+\) exited\)/);
  });

  // npx starts npm before the CLI, which takes seconds on a busy machine.
  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'started through npx: stops when npx gets %s',
    async (signal) => {
      const run = spawnCli('npx', ['--no-install', 'm3ter-config', 'emulator', '--port', '0'], {
        cwd: ROOT,
        // npm runs this package's `prepare` (a rebuild that empties dist/) when npx runs in its own folder: a test
        // file running beside this one would find no CLI. Scripts are not what is tested here.
        env: {
          HOME: process.env['HOME'] ?? tempDir(),
          npm_config_update_notifier: 'false',
          npm_config_ignore_scripts: 'true',
        },
      });
      await run.waitFor(READY);
      run.child.kill(signal);
      // npx's stdout is the emulator's: it closes only when the emulator has exited.
      const r = await run.done;
      expect(r.stdout).toMatch(/m3ter emulator stopped \(.+\)/);
    },
    90_000,
  );
});
