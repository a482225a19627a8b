import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/m3ter-config.js');
export const QUICKSTART = path.join(ROOT, 'examples/quickstart');
export const QUICKSTART_ENV = path.join(QUICKSTART, 'quickstart.env');
export const INTEGRATIONS = path.join(ROOT, 'examples/integrations');
export const INTEGRATIONS_ENV = path.join(INTEGRATIONS, 'integrations.env');
export const GITOPS = path.join(ROOT, 'examples/gitops');

/** The fake values in quickstart.env: none may ever be printed. */
export const QUICKSTART_SECRETS = [
  'quickstart-fake-api-key',
  'quickstart-fake-webhook-secret',
  'whsec_quickstart_fake_signing_key',
];

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A fresh working folder, so the embedded emulator's .m3ter/local.json is the test's own. */
export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'm3ter-config-e2e-'));
}

/**
 * Runs the CLI as a user does: `node bin/m3ter-config.js ARGS` with no terminal, a clean environment (no m3ter
 * credentials unless given) and NO_COLOR unset, so colour is decided by the missing TTY alone.
 */
export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; input?: string },
): Promise<CliRun> {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: options.cwd, ...options.env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

export interface SpawnedCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout (or stderr) matches; rejects if the process ends first. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<void>;
  done: Promise<CliRun>;
}

/** Starts a command as runCli does, for tests that signal it while it runs. */
export function spawnCli(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; stdin?: 'pipe' | 'ignore' },
): SpawnedCli {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: options.cwd, ...options.env };
  const child = spawn(command, args, {
    cwd: options.cwd,
    env,
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const l of listeners) l();
  };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => ((out.stdout += d), changed()));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => ((out.stderr += d), changed()));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      changed();
      resolve({ code: code ?? (signal ? -1 : -2), stdout: out.stdout, stderr: out.stderr });
    });
  });
  let closed = false;
  void done.then(() => (closed = true));
  return {
    child,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    done,
    waitFor: (pattern, stream = 'stdout') =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(out[stream])) {
            listeners.delete(check);
            resolve();
          } else if (closed) {
            listeners.delete(check);
            reject(new Error(`ended before ${pattern}: ${out.stdout}\n${out.stderr}`));
          }
        };
        listeners.add(check);
        void done.then(check);
        check();
      }),
  };
}
