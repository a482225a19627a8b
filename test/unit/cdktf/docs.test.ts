import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as m3cdktf from '../../../src/cdktf/cdktf.js';
import * as m3cdktn from '../../../src/cdktf/cdktn.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Every name an entry point exports, values and types, as its source and public.ts list them. */
function exportedNames(file: string): string[] {
  const names = new Set<string>();
  for (const f of [file, 'src/cdktf/public.ts']) {
    const source = readFileSync(path.join(ROOT, f), 'utf8');
    for (const block of source.matchAll(/export (?:type )?\{([^}]*)\}/g))
      for (const item of (block[1] as string).split(',')) {
        const name = item
          .trim()
          .replace(/^type /, '')
          .split(/\s+as\s+/)
          .pop()
          ?.trim();
        if (name) names.add(name);
      }
    for (const m of source.matchAll(/^export (?:class|function|const) ([A-Za-z_$][\w$]*)/gm))
      names.add(m[1] as string);
  }
  return [...names].sort();
}

describe('the cdktf and cdktn entry points', () => {
  const doc = readFileSync(path.join(ROOT, 'docs/api.md'), 'utf8');
  const section = doc.slice(doc.indexOf('# The CDKTF and CDK Terrain entry points'));
  const documented = [...section.matchAll(/^#### `([A-Za-z_$][\w$]*)`$/gm)].map((m) => m[1] as string).sort();

  it('export the same names', () => {
    expect(exportedNames('src/cdktf/cdktn.ts')).toEqual(exportedNames('src/cdktf/cdktf.ts'));
    expect(Object.keys(m3cdktn).sort()).toEqual(Object.keys(m3cdktf).sort());
  });

  it('docs/api.md documents exactly what they export', () => {
    expect(documented).toEqual(exportedNames('src/cdktf/cdktf.ts'));
    const names = new Set(documented);
    expect(Object.keys(m3cdktf).filter((k) => !names.has(k))).toEqual([]);
  });
});
