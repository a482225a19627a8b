import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { canonicalJson } from '../../src/render/canonical-json.js';
import { runCli, tempDir } from './run-cli.js';
import { writeCount } from '../helpers/writes.js';

/**
 * Issue 8 point 7: a saved plan whose delete was pointed at another live entity, with the checksum recomputed (as
 * anyone who can write the file can), is refused before any write (exit 4), because apply compares the key as well
 * as the version of what the id names now.
 */

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function hook(code: string): string {
  return [
    `  - code: ${code}`,
    `    name: Hook ${code}`,
    `    description: Sends to ${code}`,
    `    url: https://hooks.example.test/${code}`,
    '    credentials:',
    '      type: M3TER_SIGNED_REQUEST',
    '      apiKey: { env: HOOK_KEY }',
    '      secret: { env: HOOK_SECRET }',
  ].join('\n');
}

interface SavedFile {
  checksum: string;
  plan: { changes: { action: string; key: string; id: string; version: number }[] };
}

/** What src/workflow/saved-plan.ts writes: the canonical JSON of the plan, hashed. */
function rechecksum(file: SavedFile): string {
  file.checksum = `sha256:${createHash('sha256').update(canonicalJson(file.plan), 'utf8').digest('hex')}`;
  return `${canonicalJson(file, 2)}\n`;
}

/** The requests that could change the emulator's org. */
const writes = (e: RunningEmulator): number => writeCount(e.admin.counters());

describe('apply PLANFILE with a delete re-pointed at another entity', () => {
  it('is refused with exit 4 before any write, and nothing is deleted', async () => {
    emulator = await startEmulator({ rateLimit: 0 });
    const cwd = tempDir();
    const env = {
      M3TER_ORG_ID: emulator.orgId,
      M3TER_API_KEY: emulator.apiKey,
      M3TER_API_SECRET: emulator.apiSecret,
      M3TER_BASE_URL: emulator.url,
      HOOK_KEY: 'hook-key-fake',
      HOOK_SECRET: 'hook-secret-fake',
    };
    const both = path.join(cwd, 'both.yaml');
    const one = path.join(cwd, 'one.yaml');
    writeFileSync(both, `webhooks:\n${hook('keep')}\n${hook('drop')}\n`);
    writeFileSync(one, `webhooks:\n${hook('keep')}\n`);
    expect((await runCli(['apply', both, '--auto-approve'], { cwd, env })).code).toBe(0);

    const saved = await runCli(['plan', one, '--out', 'plan.json'], { cwd, env });
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain('Plan: 0 to create, 0 to update, 1 to delete.');

    // Point the delete at "keep" (its id and version), and recompute the checksum.
    const keep = emulator.admin.exportState().webhooks.find((w) => w.code === 'keep')!;
    const file = JSON.parse(readFileSync(path.join(cwd, 'plan.json'), 'utf8')) as SavedFile;
    const del = file.plan.changes.find((c) => c.action === 'delete')!;
    expect(del.key).toBe('drop');
    del.id = keep.id;
    del.version = keep.version;
    writeFileSync(path.join(cwd, 'plan.json'), rechecksum(file));

    emulator.admin.resetCounters();
    const r = await runCli(['apply', 'plan.json'], { cwd, env });
    expect(r.code).toBe(4);
    const out = `${r.stdout}${r.stderr}`;
    expect(out).toMatch(/plan again/i);
    expect(out).toContain('"keep"');
    expect(writes(emulator)).toBe(0);
    expect(
      emulator.admin
        .exportState()
        .webhooks.map((w) => w.code)
        .sort(),
    ).toEqual(['drop', 'keep']);
    // The checksum really was valid: the same file is not refused as tampered.
    expect(out).not.toMatch(/checksum/i);
  });
});
