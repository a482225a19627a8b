import { main } from './main.js';

/** The entry point: the only place that touches process.exit. */
const controller = new AbortController();
let interrupted = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    controller.abort();
  });
}

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = code;
// Let stdout drain, then leave even if a stray handle is open.
process.stdout.write('', () => process.exit(code));
