import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fastParseYaml } from '../../../src/load/fast-yaml.js';
import { locate, type ParsedFile, parseYaml } from '../../../src/load/yaml.js';
import { seededRandom } from '../../../src/model/random.js';

/**
 * The fast reader decides nothing: on every text it accepts, its data and the position of every key and value
 * must be what the `yaml` package gives (the oracle), and it must not accept a text the full parser finds a
 * problem in. Checked on seeded random documents built from awkward pieces, and on every YAML file in the repo.
 */

const SCALARS = [
  'abc',
  'Hello world',
  'a#b',
  'x # a comment',
  'http://example.com/a?b=c&d=e',
  'a: b',
  'a:b',
  'a:',
  'true',
  'False',
  'TRUE',
  'tRue',
  'null',
  'Null',
  'NULL',
  '~',
  '0',
  '-1',
  '42',
  '007',
  '1.5',
  '-0.25',
  '0.5',
  '10.0',
  '1.5e3',
  '2.5E-2',
  '1.',
  '.5',
  '00.5',
  '-0.0',
  '1.23456789012345678',
  '-0',
  '0x1F',
  '0o17',
  '.inf',
  '.NaN',
  '1e3',
  '+5',
  '123456789012345',
  '12345678901234567890',
  '2026-01-01',
  '"quoted"',
  '"with # hash"',
  "'single'",
  "'it''s'",
  "''",
  '""',
  '"esc \\n \\t \\" \\\\ \\/ \\u00e9 \\b \\f \\r \\0"',
  '"\\ud83d"',
  '"\\x41"',
  '"\\e"',
  "'unterminated",
  '"unterminated',
  '"a" # c',
  "'a'x",
  '"a"b',
  '{ env: HOOK_KEY }',
  '{env: X}',
  '{ a: 1, b: [x, y] }',
  '{ a: 1, }',
  '{ "k": "v", \'s\': 2 }',
  '{ a: { b: { c: d } } }',
  '{ a: b: c }',
  '{ url: http://x }',
  '{ a: 1 } x',
  '{ a: 1 } # c',
  '{ a: 1, a: 2 }',
  '{ a }',
  '{ a:1 }',
  '[a, b, c]',
  '[ 1, true, null, "x" ]',
  '[]',
  '{}',
  '[a, ]',
  '[a, [b, [c]]]',
  '[a',
  '{ a: 1',
  '&anchor x',
  '*alias',
  '!tag x',
  '!!str 1',
  '|',
  '>',
  '- x',
  '-x',
  '@x',
  '`x`',
  '%x',
  '?x',
  ',x',
  'é ünïcode',
  '😀 emoji',
  'a, b [c] {d}',
  'trailing   ',
  '',
  'a\tb',
  '<<',
  'x]',
  "it's",
  'say "hi"',
  'back\\slash',
];

const CLEAN_SCALARS = [
  'abc',
  'Hello world',
  'https://example.com/a',
  'true',
  'false',
  '12',
  '0.75',
  '"quoted # not a comment"',
  "'single'",
  '{ env: HOOK_KEY }',
  '[a, b]',
  'é ünïcode',
];

const BLOCK_HEADERS = ['|', '|-', '>', '>-', '|+', '>+', '|2', '| # c', '|x', '>-  '];
const BLOCK_LINES = [
  '$text',
  '$more text',
  '',
  '$',
  '$  indented more',
  '$# not a comment',
  '$a: b',
  '$trailing  ',
  '$- x',
];

const KEYS = [
  'code',
  'name',
  'url',
  'a b',
  '"quoted key"',
  "'sq key'",
  '__proto__',
  'constructor',
  'true',
  'null',
  '1',
  '<<',
  '-k',
  'k:x',
  'a#b',
  'é',
  'key ',
  '"q" ',
  '[a]',
  '{a: 1}',
  '? k',
  'k,x',
  '"a\\"b"',
  'x'.repeat(1030),
  // Around YAML's 1024-character limit on a key, quotes included (a hostile review found the quoted case).
  `"${'x'.repeat(1021)}"`,
  `"${'x'.repeat(1022)}"`,
  `"${'x'.repeat(1023)}"`,
  `'${'x'.repeat(1023)}'`,
  'x'.repeat(1024),
  'x'.repeat(1025),
];

function generate(seed: number): string {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const step = pick([1, 2, 2, 2, 3, 4]);
  // Half the documents are clean (what config files look like); the rest mix in every awkward piece.
  const clean = rnd() < 0.5;
  const scalar = () => (clean ? pick(CLEAN_SCALARS) : pick(SCALARS));
  const eol = rnd() < 0.1 ? '\r\n' : '\n';
  const lines: string[] = [];
  const comment = (indent: number) => {
    if (rnd() < 0.08) lines.push(`${' '.repeat(Math.max(0, indent + pick([-2, 0, 0, 1])))}# note`);
    if (rnd() < 0.05) lines.push(rnd() < 0.5 ? '' : '   ');
  };
  const trail = () => (rnd() < 0.1 ? pick(clean ? ['  ', ' # c'] : ['  ', ' # c', '\t', '#x']) : '');
  const key = () =>
    clean || rnd() < 0.8 ? pick(['code', 'name', 'url', 'active', 'items', 'k1', 'k2']) : pick(KEYS);

  // Writes a mapping at `indent`; `lead` is the text before its first key (`- ` for a compact item).
  const map = (indent: number, depth: number, lead?: string) => {
    const n = 1 + Math.floor(rnd() * 4);
    const used = new Set<string>();
    for (let i = 0; i < n; i++) {
      comment(indent);
      const prefix = i === 0 && lead !== undefined ? lead : ' '.repeat(indent);
      let k = key();
      if (clean) while (used.has(k)) k = `${k}x`;
      used.add(k);
      const r = rnd();
      if (depth < 4 && r < 0.2) {
        lines.push(`${prefix}${k}:${trail()}`);
        map(indent + step, depth + 1);
      } else if (depth < 4 && r < 0.4) {
        lines.push(`${prefix}${k}:${trail()}`);
        seq(rnd() < 0.4 ? indent : indent + step, depth + 1);
      } else if (r < 0.45) {
        lines.push(`${prefix}${k}:${rnd() < 0.5 ? '' : ' '}`);
      } else if (r < 0.55) {
        lines.push(`${prefix}${k}: ${pick(clean ? ['|', '|-', '>', '>-'] : BLOCK_HEADERS)}`);
        const inner = ' '.repeat(indent + step);
        const m = 1 + Math.floor(rnd() * 4);
        for (let j = 0; j < m; j++)
          lines.push(pick(clean && j === 0 ? ['$text', '$a: b'] : BLOCK_LINES).replace('$', inner));
      } else {
        lines.push(`${prefix}${k}: ${scalar()}${trail()}`);
        if (rnd() < 0.03) lines.push(`${' '.repeat(indent + step)}continued`);
      }
    }
  };
  const seq = (indent: number, depth: number) => {
    const n = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) {
      comment(indent);
      const pad = ' '.repeat(indent);
      const r = rnd();
      if (depth < 4 && r < 0.45) {
        map(indent + 2, depth + 1, `${pad}- `);
      } else if (depth < 4 && r < 0.55) {
        lines.push(`${pad}-${trail()}`);
        map(indent + step, depth + 1);
      } else if (r < 0.58 && !clean) {
        lines.push(`${pad}- - ${scalar()}`);
      } else if (r < 0.6 && !clean) {
        lines.push(`${pad}-`);
      } else {
        lines.push(`${pad}- ${scalar()}${trail()}`);
      }
    }
  };
  if (rnd() < 0.03) lines.push(pick(['---', '%YAML 1.2\n---', '\uFEFF# bom']));
  map(0, 0);
  if (rnd() < 0.03) lines.push(pick(['---', '...', 'x: 1', 'x: 1\n---\ny: 2']));
  return lines.join(eol) + (rnd() < 0.8 ? eol : '');
}

/** Every pointer into `data`, with some that go one step too far or name a missing key. */
function pointers(data: unknown, base = ''): string[] {
  const out = [base];
  const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
  if (Array.isArray(data)) {
    data.forEach((v, i) => out.push(...pointers(v, `${base}/${i}`)));
    out.push(`${base}/${data.length}`);
  } else if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) out.push(...pointers(v, `${base}/${esc(k)}`));
    out.push(`${base}/missing`);
  } else {
    out.push(`${base}/deeper`);
  }
  return out;
}

function compare(text: string): 'fast' | 'full' {
  const viaFast = parseYaml('t.yaml', text);
  const fast = viaFast.fast;
  if (!fast) return 'full';
  const full = parseYaml('t.yaml', text, { full: true });
  if (full.issues.length > 0 || !isDeepStrictEqual(full.data, fast.data)) {
    // Show the document and both readings.
    expect({ text, data: fast.data }).toEqual({ text, data: full.data, issues: full.issues });
  }
  for (const p of pointers(full.data)) {
    for (const at of ['key', 'value'] as const) {
      const a = locate(viaFast, p, at);
      const b = locate(full as ParsedFile, p, at);
      if (a.line !== b.line || a.col !== b.col)
        expect({ text, p, at, pos: a }).toEqual({ text, p, at, pos: b });
    }
  }
  return 'fast';
}

describe('fast YAML reader: the same data and positions as the yaml package', () => {
  it('on 3,000 seeded random documents, and takes the fast path for a good share of them', () => {
    let fast = 0;
    for (let seed = 1; seed <= 3_000; seed++) if (compare(generate(seed)) === 'fast') fast++;
    // The generator mixes in awkward pieces on purpose; clean documents are the rest.
    expect(fast).toBeGreaterThan(900);
  });

  it('on every YAML file in the repository', () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (name === 'node_modules' || name.startsWith('.') || name === 'dist') continue;
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(name)) files.push(p);
      }
    };
    for (const d of ['examples', 'test']) walk(path.join(root, d));
    expect(files.length).toBeGreaterThan(10);
    const taken = files.filter((f) => compare(readFileSync(f, 'utf8')) === 'fast');
    expect(taken.map((f) => path.relative(root, f))).toContain('examples/quickstart/m3ter.yaml');
  });

  it('reads the shape of a large config file on the fast path', () => {
    const out = ['webhooks:'];
    for (let i = 0; i < 200; i++)
      out.push(
        `  - code: wh-${i}`,
        `    name: Webhook ${i}`,
        `    url: https://hooks.example.com/m3ter/${i}`,
        '    active: true',
        '    credentials:',
        '      type: M3TER_SIGNED_REQUEST',
        `      apiKey: { env: HOOK_${i}_KEY }`,
        `      secret: { env: HOOK_${i}_SECRET }`,
      );
    out.push('notificationRules:');
    for (let i = 0; i < 200; i++)
      out.push(
        `  - code: rule-${i}`,
        `    name: Rule ${i} # a comment`,
        '    eventName: configuration.commitment.created',
        `    calculation: ${JSON.stringify(`(new.amount > ${i}) AND "x" = 'y'`)}`,
      );
    expect(compare(out.join('\n'))).toBe('fast');
  });

  it('on 3,000 seeded random JSON documents (how cdk.tf.json comes in), compact and indented', () => {
    const rnd = seededRandom(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const strings = [
      'a',
      '',
      'with "quotes"',
      'back\\slash',
      'tab\tnewline\n',
      'é',
      '😀',
      '\u0001',
      '#x',
      ': y',
      '\ud800',
      '\u2028',
    ];
    const numbers = [0, 1, -1, 42, 1.5, -0.25, 1e21, 2 ** 60, 2.5e-7, -0];
    const value = (depth: number): unknown => {
      const r = rnd();
      if (depth < 4 && r < 0.2) {
        const o: Record<string, unknown> = {};
        const n = Math.floor(rnd() * 4);
        for (let i = 0; i < n; i++) o[pick([...strings, 'k', 'name', '__proto__'])] = value(depth + 1);
        return o;
      }
      if (depth < 4 && r < 0.35) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
      if (r < 0.6) return pick(strings);
      if (r < 0.85) return pick(numbers);
      return pick([true, false, null]);
    };
    let fast = 0;
    for (let i = 0; i < 3_000; i++) {
      const doc: Record<string, unknown> = {};
      for (const k of ['resource', 'variable', 'output', 'x']) if (rnd() < 0.7) doc[k] = value(1);
      const text = JSON.stringify(doc, null, pick([0, 2, 4]));
      if (compare(rnd() < 0.1 ? text.replace(/\n/g, '\r\n') : text) === 'fast') fast++;
    }
    expect(fast).toBeGreaterThan(1_000);
    // Hand-made JSON-ish texts: each read like the yaml package, or left to it.
    for (const text of [
      '{"a":1}',
      '{\n"a": 1\n}',
      '{"a"\n: 1}',
      '{"a": 1, "a": 2}',
      '{"a": 1,}',
      '{"a": 1} x',
      '{"a": 1} # c',
      '{"a": [1, 2,]}',
      '{"a": 01}',
      '{"a": 1.0e400}',
      '{"a": "x\ny"}',
      "{'a': 1}",
      '{"a": tru}',
      '  {"a": {"b": {"c": [true, null]}}}  \n',
    ])
      compare(text);
  });

  it('gives up, and the full parser reports, on a duplicate key or a syntax error', () => {
    for (const text of [
      `"${'x'.repeat(1023)}": 1\n`,
      `a:\n  - '${'x'.repeat(1023)}': 1\n`,
      'a: 1\na: 2\n',
      'a: 1\n b: 2\n',
      'a: [1\n',
      'a: b: c\n',
      'a:\n  - x\n  y: 1\n',
    ]) {
      expect(fastParseYaml(text), text).toBeUndefined();
      expect(parseYaml('t.yaml', text).issues.length, text).toBeGreaterThan(0);
    }
  });
});
