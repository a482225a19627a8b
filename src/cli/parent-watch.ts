import { fstatSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** How often the parent process is looked for. */
const POLL_MS = 250;

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash']);

/** The parent pid of `pid` from /proc (Linux); undefined where there is no /proc or the process is gone. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: state, ppid, ...
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** `sh -c '...'`, as `npx` and `npm run` start a command: the process to watch is the one above it. */
function isShellWrapper(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return SHELLS.has(path.basename(argv[0] ?? '')) && argv[1] === '-c';
  } catch {
    return false;
  }
}

/**
 * Calls `onGone` once the process that started this one has gone: `npx` (or a test runner, a script) was stopped,
 * even by SIGKILL, which no signal forwarding survives. Seen three ways: this process was re-parented (its parent
 * pid changed); the parent is a `sh -c` wrapper (npx puts one in between) and the wrapper was re-parented; or
 * stdin is a pipe and its writing end was closed. A terminal or /dev/null on stdin is left alone: those never mean
 * the parent went away. `parentWatcher()` notes the parents at once; the function it returns starts watching and
 * returns a function that stops it.
 */
export function parentWatcher(): (onGone: (why: string) => void) => () => void {
  // Taken now, at start: were it taken when watching begins, a parent that died in between would go unnoticed.
  const parent = process.ppid;
  const grandparent = isShellWrapper(parent) ? parentOf(parent) : undefined;
  return (onGone) => watch(parent, grandparent, onGone);
}

function watch(parent: number, grandparent: number | undefined, onGone: (why: string) => void): () => void {
  let done = false;
  const gone = (why: string): void => {
    if (done) return;
    stop();
    onGone(why);
  };
  const check = (): void => {
    if (process.ppid !== parent) gone(`its parent process (pid ${parent}) exited`);
    else if (grandparent !== undefined && parentOf(parent) !== grandparent)
      gone(`the process that started it (pid ${grandparent}) exited`);
  };
  const timer = setInterval(check, POLL_MS);
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
  check();
  function stop(): void {
    done = true;
    clearInterval(timer);
    if (piped) process.stdin.off('end', onEnd).off('close', onEnd).pause();
  }
  return stop;
}
