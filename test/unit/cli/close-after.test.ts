import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/cli/command.js';
import { closeAfter, Interrupted } from '../../../src/cli/commands/shared.js';
import type { Session } from '../../../src/workflow/session.js';

function context(): { ctx: CommandContext; stderr: () => string; abort: (reason: string) => void } {
  const controller = new AbortController();
  const err = new PassThrough();
  let text = '';
  err.setEncoding('utf8').on('data', (d: string) => (text += d));
  const ctx = {
    argv: [],
    stdout: new PassThrough(),
    stderr: err,
    stdin: new PassThrough(),
    env: {},
    cwd: '/',
    signal: controller.signal,
  } as CommandContext;
  return { ctx, stderr: () => text, abort: (reason) => controller.abort(reason) };
}

/** A session whose close resolves only when told to: reads still in flight. */
function slowSession(): { session: Session; closed: () => boolean; finish: () => void } {
  let closed = false;
  let finish = (): void => undefined;
  const session = {
    close: () =>
      new Promise<void>((resolve) => {
        finish = () => {
          closed = true;
          resolve();
        };
      }),
  } as unknown as Session;
  return { session, closed: () => closed, finish: () => finish() };
}

const interrupted = { message: (reason: string) => `Work interrupted by ${reason}.`, result: () => 130 };

describe('closeAfter', () => {
  it('closes the session and waits for it after work that ends', async () => {
    const { ctx } = context();
    const { session, closed, finish } = slowSession();
    const done = closeAfter(ctx, session, () => Promise.resolve(0), interrupted);
    await Promise.resolve();
    await Promise.resolve();
    finish();
    expect(await done).toBe(0);
    expect(closed()).toBe(true);
  });

  it('on an interrupt says so, answers at once and leaves the session closing', async () => {
    const { ctx, stderr, abort } = context();
    const { session, closed } = slowSession();
    abort('SIGINT');
    const code = await closeAfter(ctx, session, () => Promise.reject(new Interrupted()), interrupted);
    expect(code).toBe(130);
    expect(closed()).toBe(false);
    expect(stderr()).toBe('Work interrupted by SIGINT.\n');
  });

  it('lets any other error through, after closing', async () => {
    const { ctx } = context();
    const { session, closed, finish } = slowSession();
    const done = closeAfter(ctx, session, () => Promise.reject(new Error('boom')), interrupted);
    await Promise.resolve();
    await Promise.resolve();
    finish();
    await expect(done).rejects.toThrow('boom');
    expect(closed()).toBe(true);
  });
});
