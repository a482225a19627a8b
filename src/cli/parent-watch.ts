import { fstatSync } from 'node:fs';

/** How often the parent process is looked for. */
const POLL_MS = 250;

/**
 * Calls `onGone` once the process that started this one has gone: `npx` (or a test runner, a shell script) was
 * stopped, even by SIGKILL, which no signal forwarding survives. Seen two ways: this process was re-parented (its
 * parent pid changed), or stdin is a pipe and its writing end was closed. A terminal or /dev/null on stdin is left
 * alone: those never mean the parent went away. Returns a function that stops watching.
 */
export function watchParent(onGone: (why: string) => void): () => void {
  const parent = process.ppid;
  let done = false;
  const gone = (why: string): void => {
    if (done) return;
    stop();
    onGone(why);
  };
  const timer = setInterval(() => {
    if (process.ppid !== parent) gone(`its parent process (pid ${parent}) exited`);
  }, POLL_MS);
  timer.unref();
  const onEnd = (): void => gone('stdin was closed');
  let piped = false;
  try {
    const stat = fstatSync(0);
    piped = stat.isFIFO() || stat.isSocket();
  } catch {
    // No stdin at all: nothing to watch there.
  }
  if (piped) {
    process.stdin.on('end', onEnd).on('close', onEnd).resume();
    // Reading stdin must not keep the process alive on its own.
    (process.stdin as { unref?: () => void }).unref?.();
  }
  function stop(): void {
    done = true;
    clearInterval(timer);
    if (piped) process.stdin.off('end', onEnd).off('close', onEnd).pause();
  }
  return stop;
}
