import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import type { EmulatorState } from './store.js';

/**
 * The state file: written atomically (temporary file in the same directory, then rename) and serialized, so a
 * crash leaves the old or the new file and concurrent requests never interleave writes. Writes coalesce: while
 * one is in flight, later changes wait and go out together in the next write, which holds the newest state.
 */
export class StateFile {
  private wanted = 0;
  private written = 0;
  private running: Promise<void> | undefined;
  private waiters: { generation: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private tmpCounter = 0;

  constructor(
    readonly path: string,
    private readonly snapshot: () => EmulatorState,
  ) {}

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
    const tmp = `${this.path}.${process.pid}.${++this.tmpCounter}.tmp`;
    try {
      // 0600: the file holds the webhooks' signing secrets (store.ts `signingKey`).
      await writeFile(tmp, text, { encoding: 'utf8', mode: 0o600 });
      await rename(tmp, this.path);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }
}
