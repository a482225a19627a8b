import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signM3terRequest } from '../../src/signing/index.js';
import { ROOT, type SpawnedCli, spawnCli, tempDir } from './run-cli.js';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The section's receiver, written as TypeScript that is also plain JavaScript, as a folder that can run it. */
function receiverFolder(): string {
  const section = README.slice(README.indexOf('## Receiving m3ter webhooks'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1] as string;
  expect(code).toMatch(/verifyNodeRequest/);
  const dir = tempDir();
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(ROOT, path.join(dir, 'node_modules', 'm3ter-config'));
  writeFileSync(path.join(dir, 'receiver.mjs'), code);
  return dir;
}

describe("the README's receiver", () => {
  let receiver: SpawnedCli | undefined;
  afterEach(async () => {
    receiver?.child.kill('SIGTERM');
    await receiver?.done;
    receiver = undefined;
  });

  it('runs as written under plain node, refuses what is not signed with its secret, and a replay', async () => {
    const dir = receiverFolder();
    const port = await freePort();
    const url = 'https://hooks.example.com/m3ter';
    receiver = spawnCli(process.execPath, ['receiver.mjs'], {
      cwd: dir,
      env: { WEBHOOK_URL: url, M3TER_WEBHOOK_SECRET: 'readme-secret', PORT: String(port) },
    });
    const body = JSON.stringify({ eventName: 'billing.bill.created' });
    const post = async (headers: Record<string, string>) => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/m3ter`, { method: 'POST', headers, body });
          return { status: r.status, text: await r.text() };
        } catch (e) {
          // Refused until the receiver listens: each refusal is a round trip, no timer involved.
          if (Date.now() > deadline) throw e;
        }
      }
    };
    const sign = (secret: string) => signM3terRequest({ url, body, apiKey: 'readme-key', secret }).headers;
    const good = sign('readme-secret');
    expect(await post(good)).toEqual({ status: 200, text: '' });
    await receiver.waitFor(/billing\.bill\.created \(signed with API key readme-key\)/);
    expect(await post(good)).toEqual({ status: 401, text: 'replayed' });
    expect(await post(sign('wrong-secret'))).toEqual({ status: 401, text: 'signature_mismatch' });
  });

  it('stops at start, naming the variables, when the secret is not set', async () => {
    const dir = receiverFolder();
    receiver = spawnCli(process.execPath, ['receiver.mjs'], {
      cwd: dir,
      env: { WEBHOOK_URL: 'https://hooks.example.com/m3ter', PORT: '0' },
    });
    const run = await receiver.done;
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('set WEBHOOK_URL and M3TER_WEBHOOK_SECRET');
  });
});
