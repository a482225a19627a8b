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

describe("the README's receiver", () => {
  let receiver: SpawnedCli | undefined;
  afterEach(async () => {
    receiver?.child.kill('SIGTERM');
    await receiver?.done;
  });

  it('runs as written under plain node and refuses what is not signed with its secret', async () => {
    const section = README.slice(README.indexOf('## Receiving m3ter webhooks'));
    const code = /```js\n([\s\S]*?)```/.exec(section)?.[1] as string;
    expect(code).toMatch(/verifyNodeRequest/);
    const dir = tempDir();
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(ROOT, path.join(dir, 'node_modules', 'm3ter-config'));
    writeFileSync(path.join(dir, 'receiver.mjs'), code);
    const port = await freePort();
    const url = 'https://hooks.example.com/m3ter';
    receiver = spawnCli(process.execPath, ['receiver.mjs'], {
      cwd: dir,
      env: { WEBHOOK_URL: url, M3TER_WEBHOOK_SECRET: 'readme-secret', PORT: String(port) },
    });
    const body = JSON.stringify({ eventName: 'billing.bill.created' });
    const post = async (secret: string) => {
      const { headers } = signM3terRequest({ url, body, apiKey: 'readme-key', secret });
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          return (await fetch(`http://127.0.0.1:${port}/m3ter`, { method: 'POST', headers, body })).status;
        } catch (e) {
          // Refused until the receiver listens: each refusal is a round trip, no timer involved.
          if (Date.now() > deadline) throw e;
        }
      }
    };
    expect(await post('readme-secret')).toBe(200);
    await receiver.waitFor(/billing\.bill\.created \(signed with API key readme-key\)/);
    expect(await post('wrong-secret')).toBe(401);
  });
});
