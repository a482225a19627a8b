import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from '../../../src/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Every name src/index.ts exports, values and types, as written in its `export { ... }` lists. */
function exportedNames(): string[] {
  const source = readFileSync(path.join(ROOT, 'src/index.ts'), 'utf8');
  expect(source, 'src/index.ts names each export (no export *)').not.toMatch(/export \*/);
  const names: string[] = [];
  for (const block of source.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
    for (const item of (block[1] as string).split(',')) {
      const words = item
        .trim()
        .replace(/^type /, '')
        .split(/\s+as\s+/);
      const name = words[words.length - 1]?.trim();
      if (name) names.push(name);
    }
  }
  return names.sort();
}

/** The names documented in docs/api.md: one `### \`name\`` heading each. */
function documentedNames(): string[] {
  const doc = readFileSync(path.join(ROOT, 'docs/api.md'), 'utf8');
  return [...doc.matchAll(/^### `([A-Za-z_$][\w$]*)`$/gm)].map((m) => m[1] as string).sort();
}

describe('the public API', () => {
  it('docs/api.md documents exactly the names src/index.ts exports', () => {
    expect(documentedNames()).toEqual(exportedNames());
  });

  it('every value the module exports at run time is among them', () => {
    const names = new Set(exportedNames());
    expect(Object.keys(api).filter((k) => !names.has(k))).toEqual([]);
  });

  it('leaves internals out', () => {
    for (const internal of [
      'seededRandom',
      'newFingerprintSalt',
      'FINGERPRINT_PREFIX',
      'parseFingerprint',
      'FingerprintCache',
      'webhookSecrets',
      'adapters',
      'createClient',
    ]) {
      expect(api).not.toHaveProperty(internal);
    }
  });
});
