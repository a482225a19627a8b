import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './run-cli.js';

const run = promisify(execFile);

/** Every ```ts block of the README and docs/ that imports the package (any entry point), with where it is. */
function packageSnippets(): { where: string; code: string }[] {
  const files = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).map((f) => `docs/${f}`)].filter((f) =>
    f.endsWith('.md'),
  );
  const out: { where: string; code: string }[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)) {
      const code = m[1] as string;
      if (!/from '(m3ter-config)(\/[\w-]+)?'/.test(code)) continue;
      const line = text.slice(0, m.index).split('\n').length;
      out.push({ where: `${file}:${line}`, code });
    }
  }
  return out;
}

describe('README and docs snippets that import the package', () => {
  it('type-check against the built package under strict', async () => {
    const snippets = packageSnippets();
    expect(snippets.map((s) => s.where.split(':')[0])).toEqual(
      expect.arrayContaining(['README.md', 'docs/api.md']),
    );
    expect(existsSync(path.join(ROOT, 'dist/signing/index.d.ts')), 'dist/ is built').toBe(true);
    const dir = tempDir();
    const modules = path.join(dir, 'node_modules');
    mkdirSync(path.join(modules, '@types'), { recursive: true });
    // The package as a user installs it (its exports point at dist/), next to what the snippets themselves import.
    symlinkSync(ROOT, path.join(modules, 'm3ter-config'));
    for (const dep of ['@types/node', 'cdktf', 'cdktn', 'constructs']) {
      symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(modules, dep));
    }
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    const names = snippets.map((s, i) => {
      const name = `snippet-${i}.ts`;
      writeFileSync(path.join(dir, name), `// ${s.where}\n${s.code}`);
      return name;
    });
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: ['node'],
          noEmit: true,
          skipLibCheck: true,
        },
        files: names,
      }),
    );
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', dir], { cwd: dir }).then(
      () => '',
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    const located = result.replace(/snippet-(\d+)\.ts\((\d+),/g, (_m, i: string, line: string) => {
      const s = snippets[Number(i)];
      return `${s?.where ?? '?'} (+${Number(line) - 1}),`;
    });
    expect(located).toBe('');
  }, 120_000);
});
