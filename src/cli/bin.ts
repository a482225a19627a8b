import { main } from './main.js';
import { Interrupts } from './interrupt.js';
import { parentWatcher } from './parent-watch.js';

/** The entry point: the only place that touches process.exit. */
const watchParent = parentWatcher();
// A reader that goes away (`apply ... | head -1`) must not kill the run half-way: the write error (EPIPE) is taken
// here, stdout is then destroyed, and commands that must leave an account (apply) put it on stderr instead.
process.stdout.on('error', () => undefined);
const exit = (code: number): void => {
  process.exitCode = code;
  // Let stdout drain, then leave even if a stray handle is open.
  process.stdout.write('', () => process.exit(code));
};
const interrupts = new Interrupts({ write: (text) => process.stderr.write(text), exit });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => interrupts.receive(signal));
}

exit(
  await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    signal: interrupts.signal,
    interrupts,
    watchParent,
  }),
);
