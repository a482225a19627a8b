import { randomBytes } from 'node:crypto';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import type { EmulatorState } from './store.js';

/**
 * The state file: written atomically (a temporary file in the same directory, then rename) and serialized, so a
 * crash leaves the old or the new file and concurrent requests never interleave writes. Writes coalesce: while
 * one is in flight, later changes wait and go out together in the next write, which holds the newest state.
 *
 * Temporary files have unpredictable names and are created exclusively (never through a planted link), 0600: the
 * file holds the webhooks' signing secrets. An emulator that writes holds `<file>.lock` (its pid), so a second one
 * on the same file refuses to start instead of overwriting the first one's writes; a lock whose process is gone is
 * taken over. An emulator that only reads the file takes no lock.
 */
export class StateFile {
  private wanted = 0;
  private written = 0;
  private running: Promise<void> | undefined;
  private waiters: { generation: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private locked = false;

  constructor(
    readonly path: string,
    private readonly snapshot: () => EmulatorState,
  ) {}

  get lockPath(): string {
    return `${this.path}.lock`;
  }

  /** Takes the lock, or throws naming the process that holds it. */
  async lock(): Promise<void> {
    const mine = `${process.pid}\n`;
    for (let attempt = 0; attempt < 3; attempt++) {
      // Written whole before it appears under the lock's name, so a reader never sees an empty lock.
      if (await this.createExclusively(this.lockPath, mine)) {
        this.locked = true;
        return;
      }
      const holder = await readPid(this.lockPath);
      if (holder !== undefined && isAlive(holder)) {
        throw new Error(
          `another emulator (process ${holder}) is using it, and ${this.lockPath} is its lock. Stop that emulator, ` +
            'or give this one another state file; an emulator that only reads (plan) needs no lock',
        );
      }
      // The process that held it is gone (or the lock is not one of ours): take it over.
      await unlink(this.lockPath).catch(ignoreMissing);
    }
    throw new Error(`cannot take the lock ${this.lockPath}: it keeps changing`);
  }

  /** Whether a live process other than this emulator holds the lock. */
  async lockHeldElsewhere(): Promise<boolean> {
    if (this.locked) return false;
    const holder = await readPid(this.lockPath);
    return holder !== undefined && isAlive(holder);
  }

  /** Gives the lock back, if this emulator still holds it. */
  async unlock(): Promise<void> {
    if (!this.locked) return;
    this.locked = false;
    if ((await readPid(this.lockPath)) === process.pid) await unlink(this.lockPath).catch(ignoreMissing);
  }

  /**
   * Creates `path` holding `text` unless something is there already (a file, a link, a directory): false then.
   * The text goes to a new temporary file first, linked into place whole.
   */
  async createExclusively(path: string, text: string): Promise<boolean> {
    const tmp = this.tempName(path);
    await writeFile(tmp, text, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
    try {
      await link(tmp, path);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    } finally {
      await unlink(tmp).catch(ignoreMissing);
    }
  }

  async load(): Promise<unknown | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new Error('it is not valid JSON', {
        cause: e,
      });
    }
  }

  /** Resolves once a write that includes every change made so far is on disk. */
  save(): Promise<void> {
    const generation = ++this.wanted;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ generation, resolve, reject }));
    if (!this.running) this.running = this.loop();
    return done;
  }

  /** Resolves when no write is pending. */
  async flush(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private async loop(): Promise<void> {
    try {
      while (this.written < this.wanted) {
        const generation = this.wanted;
        try {
          await this.writeAtomically(`${JSON.stringify(this.snapshot(), null, 2)}\n`);
          this.written = generation;
          this.settle(generation, undefined);
        } catch (e) {
          this.written = generation;
          this.settle(generation, e);
        }
      }
    } finally {
      this.running = undefined;
    }
  }

  private settle(generation: number, error: unknown): void {
    const keep: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.generation > generation) keep.push(w);
      else if (error === undefined) w.resolve();
      else w.reject(error);
    }
    this.waiters = keep;
  }

  private async writeAtomically(text: string): Promise<void> {
    const tmp = this.tempName(this.path);
    // 'wx': fails on anything already there, a planted link included, instead of writing through it.
    await writeFile(tmp, text, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
    try {
      await rename(tmp, this.path);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  private tempName(path: string): string {
    return `${path}.${randomBytes(12).toString('hex')}.tmp`;
  }
}

async function readPid(path: string): Promise<number | undefined> {
  try {
    const text = await readFile(path, 'utf8');
    return /^[1-9][0-9]{0,9}\n?$/.test(text) ? Number(text.trim()) : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ignoreMissing(e: unknown): void {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
}
