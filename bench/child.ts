import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * Benchmarks run the emulator in a child process (its own core), started from the same file with `flag` set in
 * its environment. The child prints one JSON line of what the parent needs, then runs until its stdin closes.
 */
export async function startChild<T extends object>(
  moduleUrl: string,
  flag: string,
): Promise<T & { process: ChildProcess }> {
  const proc = spawn(process.execPath, [...process.execArgv, fileURLToPath(moduleUrl)], {
    env: { ...process.env, [flag]: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
    rl.once('line', (l) => {
      rl.close();
      resolve(l);
    });
    proc.once('exit', (code) => reject(new Error(`emulator child exited with ${code}`)));
  });
  return { ...(JSON.parse(line) as T), process: proc };
}

/**
 * The tail of a benchmark file: as the child (flag set), serve the emulator; as a script run on its own, run the
 * benchmark and exit non-zero when its target is missed; as an import (`npm run bench`), do nothing.
 */
export async function benchMain(
  moduleUrl: string,
  flag: string,
  sides: { runChild: () => Promise<void>; run: () => Promise<{ ok: boolean }> },
): Promise<void> {
  const isMain = process.argv[1] !== undefined && fileURLToPath(moduleUrl) === process.argv[1];
  if (process.env[flag] === '1') {
    await sides.runChild();
  } else if (isMain) {
    const result = await sides.run();
    if (!result.ok) process.exitCode = 1;
  }
}
