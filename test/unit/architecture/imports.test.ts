import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_SECTION } from '../../../src/kinds/index.js';
import { KINDS } from '../../../src/model/kinds.js';

/**
 * The module boundaries of STYLE.md, kept true by reading every import under src/.
 * Dependencies point down the layers; nothing imports cli/; plan/ and render/ do no I/O;
 * the emulator is an independent oracle and shares no code with live/.
 */
const ALLOWED: Record<string, readonly string[]> = {
  model: [],
  // PURE: the offline check of m3ter's calculation language (the emulator has its own evaluator).
  calc: [],
  kinds: ['model'],
  schema: ['model', 'kinds'],
  load: ['model', 'kinds', 'schema', 'calc'],
  live: ['model', 'kinds'],
  plan: ['model', 'kinds'],
  // Drift is the plan's diff read the other way round (classes, directions from an apply record).
  drift: ['model', 'kinds', 'plan'],
  // PURE: two orgs compared (compare --env A --env B), with the plan's diff, field by field.
  compare: ['model', 'kinds', 'plan'],
  apply: ['model', 'kinds', 'live', 'plan'],
  render: ['model', 'kinds', 'plan', 'drift', 'apply', 'compare'],
  // PURE: the live state as config files (import); the schemas give the defaults left out.
  emit: ['model', 'kinds', 'schema'],
  workflow: [
    'model',
    'calc',
    'kinds',
    'schema',
    'load',
    'live',
    'plan',
    'drift',
    'compare',
    'apply',
    'render',
    'emit',
    'emulator',
  ],
  cli: [
    'model',
    'kinds',
    'schema',
    'load',
    'live',
    'plan',
    'drift',
    'compare',
    'apply',
    'render',
    'workflow',
    'emulator',
    'signing',
    'emit',
  ],
  cdktf: ['model', 'kinds', 'schema', 'load'],
  // The emulator is an independent oracle: it shares nothing with the client's side, the kind registry included.
  emulator: ['model'],
  signing: ['model'],
  '.': [
    'model',
    'calc',
    'kinds',
    'schema',
    'load',
    'live',
    'plan',
    'drift',
    'compare',
    'apply',
    'render',
    'emit',
    'workflow',
    'emulator',
    'signing',
  ],
};

/** Node modules that do I/O; pure modules must not import them. */
const IO_MODULES =
  /^(node:)?(fs|fs\/promises|net|http|https|http2|child_process|dgram|dns|tls|worker_threads)$|^undici$/;
const PURE = new Set(['plan', 'drift', 'compare', 'render', 'model', 'kinds', 'emit', 'calc']);
const PURE_EXCEPTIONS = new Set([
  // scrypt fingerprints: CPU work on libuv's pool, no I/O.
  'model/fingerprint.ts',
]);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function moduleOf(file: string): string {
  const rel = path.relative(root, file);
  return rel.includes(path.sep) ? (rel.split(path.sep)[0] as string) : '.';
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => (m[1] ?? m[2]) as string);
}

describe('module boundaries', () => {
  const files = walk(root);

  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('every import stays within the layers STYLE.md allows', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = moduleOf(file);
      const allowed = ALLOWED[from];
      if (!allowed) {
        violations.push(`${path.relative(root, file)}: module "${from}" is not in the layer table`);
        continue;
      }
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const target = moduleOf(path.resolve(path.dirname(file), spec));
        if (target === from) continue;
        if (!allowed.includes(target))
          violations.push(`${path.relative(root, file)} imports ${spec} (${from} -> ${target})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('plan/, render/ and model/ do no I/O', () => {
    const violations: string[] = [];
    for (const file of files) {
      const rel = path.relative(root, file).split(path.sep).join('/');
      if (!PURE.has(moduleOf(file)) || PURE_EXCEPTIONS.has(rel)) continue;
      for (const spec of importsOf(file))
        if (IO_MODULES.test(spec)) violations.push(`${rel} imports ${spec}`);
    }
    expect(violations).toEqual([]);
  });

  it('the table catches a violation', () => {
    // A guard that the check itself can fail: live must not reach the emulator.
    expect(ALLOWED['live']).not.toContain('emulator');
    expect(Object.values(ALLOWED).some((deps) => deps.includes('cli'))).toBe(false);
  });
});

/**
 * A kind in one place: outside the kind modules (src/kinds/) and each layer's per-kind files (named `*-kinds.ts`, e.g.
 * load/declare-kinds.ts, load/synth-kinds.ts, emit/entry-kinds.ts, emit/tf-json-kinds.ts, emit/stack-kinds.ts, each
 * a table typed `{ [K in Kind]: ... }`), no code compares a kind's name, switches on it, or looks it up in a list:
 * generic code reads the registry, so a new kind is handled or refused by the compiler, never by a final `else`.
 * The emulator is left out: it is an independent oracle that shares nothing with the client, the registry included,
 * and its routes are its own.
 */
const KIND_NAME_TEST = new RegExp(
  [
    `[=!]==?\\s*['"](${KINDS.join('|')})['"]`,
    `['"](${KINDS.join('|')})['"]\\s*[=!]==?`,
    `\\bcase\\s+['"](${KINDS.join('|')})['"]`,
    `\\.(includes|has)\\(\\s*['"](${KINDS.join('|')})['"]\\s*\\)`,
    // A kind's section name stands for the kind as much as its name does (`section === 'webhooks'`).
    `\\bsection\\s*[=!]==?\\s*['"](${Object.values(CONFIG_SECTION).join('|')})['"]`,
  ].join('|'),
);

function kindNameTests(text: string): string[] {
  return text.split('\n').filter((line) => KIND_NAME_TEST.test(line));
}

function mayTestKindNames(rel: string): boolean {
  return rel.startsWith('kinds/') || rel.startsWith('emulator/') || /-kinds\.ts$/.test(rel);
}

describe('a kind in one place', () => {
  it('no comparison or switch on a kind name outside src/kinds/ and the per-layer *-kinds.ts files', () => {
    const violations: string[] = [];
    for (const file of walk(root)) {
      const rel = path.relative(root, file).split(path.sep).join('/');
      if (mayTestKindNames(rel) || rel.includes('/generated/')) continue;
      for (const line of kindNameTests(readFileSync(file, 'utf8'))) violations.push(`${rel}: ${line.trim()}`);
    }
    expect(violations).toEqual([]);
  });

  it('the rule catches each form, and leaves other strings alone', () => {
    for (const line of [
      "if (kind === 'webhook') {",
      "r.kind !== 'link'",
      "'credential' === k",
      "case 'notificationRule':",
      "used.includes('integration')",
      "kinds.has('webhook')",
    ])
      expect(kindNameTests(line), line).toEqual([line]);
    for (const line of ["const kind = 'webhook';", "x === 'webhooks'", 'k === kind', "case 'required':"])
      expect(kindNameTests(line), line).toEqual([]);
    expect(mayTestKindNames('load/synth-kinds.ts')).toBe(true);
    expect(mayTestKindNames('load/cdktf-synth.ts')).toBe(false);
  });
});
