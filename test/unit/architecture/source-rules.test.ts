import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Rules over the text of src/ beyond the layer table (imports.test.ts): no import cycles, no outside citations. */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const root = path.join(repo, 'src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const files = walk(root).filter((f) => !f.split(path.sep).includes('generated'));
const rel = (f: string): string => path.relative(root, f).split(path.sep).join('/');

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The import graph between files, type-only imports included (a type cycle still ties two modules together). */
function importGraph(sources: readonly string[]): Map<string, string[]> {
  const known = new Set(sources);
  const graph = new Map<string, string[]>();
  for (const file of sources) {
    const deps = [...readFileSync(file, 'utf8').matchAll(IMPORT)]
      .map((m) => (m[1] ?? m[2]) as string)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'))
      .filter((dep) => known.has(dep));
    graph.set(file, deps);
  }
  return graph;
}

/** Every group of files that import each other, directly or round a loop (Tarjan's strongly connected components). */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/**
 * Citations of what a reader of the repository cannot open: a section sign, an issue number, the shared notes
 * outside the repository, or a Markdown file that is not in it. A comment states the fact itself.
 */
function outsideCitations(text: string, exists: (repoPath: string) => boolean): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/§\s*[\w.]*|\bissues? #?\d+|\.\.\/shared\b|\b[\w./-]*\.md\b/gi)) {
    const cited = m[0];
    if (/\.md$/i.test(cited) && !cited.startsWith('../') && exists(cited)) continue;
    found.push(cited);
  }
  return found;
}

describe('source rules', () => {
  it('no two files import each other, even for types', () => {
    const cycles = importCycles(importGraph(files)).map((group) => group.map(rel).join(' <-> '));
    expect(cycles).toEqual([]);
  });

  it('the cycle check finds a loop of two and of three, and no loop in a chain', () => {
    expect(
      importCycles(
        new Map([
          ['a', ['b']],
          ['b', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b']]);
    expect(
      importCycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c']]);
    expect(
      importCycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('src/ cites nothing outside the repository: the fact is written where it is used', () => {
    const exists = (p: string): boolean => existsSync(path.join(repo, p));
    const violations = files.flatMap((file) =>
      outsideCitations(readFileSync(file, 'utf8'), exists).map((cited) => `${rel(file)}: ${cited}`),
    );
    expect(violations).toEqual([]);
  });

  it('the citation check catches each form and lets files of the repository through', () => {
    const exists = (p: string): boolean => p === 'README.md' || p === 'docs/api.md';
    expect(
      outsideCitations(
        '// (REFERENCE.md §3b) see EVENTS.md, issue 10, issue #21 and ../shared/m3ter-api/x; README.md, docs/api.md',
        exists,
      ),
    ).toEqual(['REFERENCE.md', '§3b', 'EVENTS.md', 'issue 10', 'issue #21', '../shared']);
  });
});
