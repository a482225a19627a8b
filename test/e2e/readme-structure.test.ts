import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './run-cli.js';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/**
 * Problems with the code fences of a Markdown text: a fence left open swallows everything after it (headings
 * included) into one code block, and the tests that read blocks by their fences read the wrong text.
 */
function fenceProblems(text: string): string[] {
  const problems: string[] = [];
  let open: { line: number; fence: string } | undefined;
  text.split('\n').forEach((line, i) => {
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (open === undefined) {
      if (fence !== undefined) open = { line: i + 1, fence };
      return;
    }
    // A closing fence: the same character, at least as long, and nothing after it.
    if (fence !== undefined && fence[0] === open.fence[0] && fence.length >= open.fence.length) {
      if (line.trim() === fence) open = undefined;
      else
        problems.push(
          `line ${i + 1}: a fence with an info string inside the block opened on line ${open.line}`,
        );
      return;
    }
    if (/^## /.test(line))
      problems.push(`line ${i + 1}: heading "${line}" inside the block opened on line ${open.line}`);
  });
  if (open !== undefined) problems.push(`line ${open.line}: a fence never closed`);
  return problems;
}

/** GitHub's anchor for a heading. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

const markdownFiles = (dir: string) =>
  readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md') && !f.split(path.sep).includes('node_modules'))
    .map((f) => path.join(dir, f));

describe('the README and docs as Markdown', () => {
  it('close every code fence they open (README, docs/, examples/)', () => {
    for (const file of ['README.md', ...markdownFiles('docs'), ...markdownFiles('examples')])
      expect([file, fenceProblems(readFileSync(path.join(ROOT, file), 'utf8'))]).toEqual([file, []]);
  });

  it('the check finds a fence left open and a heading swallowed by it', () => {
    expect(fenceProblems('```sh\nnpm test\n```\n\n## Next\n')).toEqual([]);
    expect(fenceProblems('```sh\nnpm test\n## Next\n')).toEqual([
      'line 3: heading "## Next" inside the block opened on line 1',
      'line 1: a fence never closed',
    ]);
    expect(fenceProblems('```sh\na\n```ts\nb\n```\n')).toEqual([
      'line 3: a fence with an info string inside the block opened on line 1',
    ]);
  });

  it('the Contents list links every section of the README, in order', () => {
    const sections = [...README.matchAll(/^## (.+)$/gm)]
      .map((m) => m[1] as string)
      .filter((s) => s !== 'Contents');
    const start = README.indexOf('## Contents\n');
    expect(start).toBeGreaterThan(-1);
    const list = README.slice(start).split(/\n## /)[0] as string;
    const entries = [...list.matchAll(/^- \[(.+)\]\(#([^)]+)\)$/gm)].map((m) => [m[1], m[2]]);
    expect(entries).toEqual(sections.map((s) => [s, anchor(s)]));
  });
});

describe('the docs, examples and action name `--dotenv`', () => {
  // Node stops on `--env-file FILE` anywhere on its command line when FILE is missing, before the CLI runs: the old
  // name is written only where the README explains why it is not the primary one.
  const files = [
    'README.md',
    'action.yml',
    'action/main.mjs',
    ...markdownFiles('docs'),
    ...readdirSync(path.join(ROOT, 'examples'), { recursive: true, encoding: 'utf8' })
      .filter((f) => !f.split(path.sep).includes('node_modules') && /\.(md|env|ts|ya?ml|mjs|json)$/.test(f))
      .filter((f) => !f.endsWith('package-lock.json'))
      .map((f) => path.join('examples', f)),
  ];

  it('never `--env-file`, except in the README paragraph on why', () => {
    for (const file of files) {
      let text = readFileSync(path.join(ROOT, file), 'utf8');
      if (file === 'README.md') {
        const why = text.indexOf('**Why not `--env-file`.**');
        expect(why).toBeGreaterThan(-1);
        text = text.slice(0, why) + text.slice(text.indexOf('\n\n', why));
      }
      const lines = text
        .split('\n')
        .flatMap((l, i) => (l.includes('--env-file') ? [`${file}:${i + 1}`] : []));
      expect(lines).toEqual([]);
    }
  });
});

describe('the README Commands section', () => {
  const start = README.indexOf('## Commands\n');
  const section = README.slice(start, README.indexOf('\n## ', start + 1));
  // Options every command shares are in the paragraph under the table.
  const common = section.slice(section.indexOf('`PATH` defaults')).split('\n\n')[0] as string;

  it.each(['plan', 'drift', 'compare', 'webhook test-send'])(
    'names every option of `%s --help` in its row or the paragraph under the table',
    async (command) => {
      const help = await runCli([...command.split(' '), '--help'], { cwd: tempDir() });
      expect(help.code).toBe(0);
      const options = (help.stdout.split('Options:')[1] ?? '').split('\n\n')[0] as string;
      const names = [...options.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1] as string);
      expect(names.length).toBeGreaterThan(0);
      const row = section.split('\n').find((l) => l.startsWith(`| \`m3ter-config ${command} `));
      expect(row).toBeDefined();
      expect(names.filter((n) => !`${row}\n${common}`.includes(`\`${n}`))).toEqual([]);
    },
  );
});
