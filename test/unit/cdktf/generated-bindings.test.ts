import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BINDINGS_DIR,
  CDKTN_ENTRY,
  generateBindings,
  generateCdktnEntry,
} from '../../../scripts/generate-cdktf-bindings.js';

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)])),
  );
  return nested.flat();
}

describe('generated provider bindings', () => {
  it('are up to date with schemas/terraform-provider-schema.json (run npm run generate:cdktf)', async () => {
    const expected = await generateBindings();
    const files = (await walk(BINDINGS_DIR)).map((f) =>
      path.relative(BINDINGS_DIR, f).split(path.sep).join('/'),
    );
    expect(files.sort()).toEqual([...expected.keys()].sort());
    for (const [rel, text] of expected)
      expect(await readFile(path.join(BINDINGS_DIR, rel), 'utf8'), rel).toBe(text);
  }, 30_000);

  it('the cdktn entry point is the cdktf one with the core renamed (run npm run generate:cdktf)', async () => {
    expect(await readFile(CDKTN_ENTRY, 'utf8')).toBe(await generateCdktnEntry());
  });

  it('import their own core only', () => {
    return Promise.all(
      ['cdktf', 'cdktn'].map(async (core) => {
        const text = await readFile(path.join(BINDINGS_DIR, core, 'webhook/index.ts'), 'utf8');
        expect(text).toContain(`from '${core}'`);
        expect(text).not.toContain(`from '${core === 'cdktf' ? 'cdktn' : 'cdktf'}'`);
      }),
    );
  });
});
