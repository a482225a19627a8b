import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mappingLines, sequenceLines, isPlainSafe, doubleQuoted } from '../../../src/emit/yaml-text.js';
import { parseYaml } from '../../../src/load/yaml.js';
import type { Json } from '../../../src/model/errors.js';
import { hostileString, seededRandom } from './hostile.js';

/** Loads text with the project's own YAML loader (the one `validate` and `plan` use). */
function load(text: string): unknown {
  const parsed = parseYaml('t.yaml', text);
  expect(parsed.issues).toEqual([]);
  return parsed.data;
}

const AWKWARD = [
  'yes',
  'No',
  'ON',
  'off',
  'y',
  'n',
  'true',
  'False',
  'null',
  'Null',
  '~',
  '',
  ' ',
  '0123',
  '0x1F',
  '1e3',
  '.5',
  '1_000',
  '12:30',
  '2001-12-14',
  '-1',
  '- item',
  '-',
  'a: b',
  'a:b',
  '# not a comment',
  'x #y',
  'x#y',
  ' lead',
  'trail ',
  '\ttab',
  'tab\tinside',
  'line\nbreak',
  'calc\n  AND new.x > 1\n',
  'two\n\n',
  '\nleading newline',
  'crlf\r\nline',
  'lone\rcr',
  'nel\u0085x',
  'ls\u2028ps\u2029',
  'bidi \u202Eevil\u202C',
  'rlm\u200F',
  'bom\uFEFF',
  'nul\u0000x',
  'del\u007F',
  'é accents ü',
  '日本語',
  '🚀 rocket',
  '"quoted"',
  "'single'",
  '@at',
  '`tick`',
  '|pipe',
  '>fold',
  '!tag',
  '&anchor',
  '*alias',
  '%directive',
  '[flow]',
  '{flow}',
  '? key',
  ',comma',
  '<<',
  '=',
  'a\\b',
  '\\n literal backslash-n',
  'k: v\n- x',
  '  \n  ',
  'end:',
  '\ud800 lone surrogate',
  'x\udc00',
];

describe('YAML text of imported values', () => {
  it('loads every awkward string back exactly, as a value, a key and a list item', () => {
    for (const s of AWKWARD) {
      const doc = { value: s, nested: { [s === '' ? 'empty' : s]: s }, list: [s] } as { [k: string]: Json };
      const text = `${mappingLines(doc, 0).join('\n')}\n`;
      expect(load(text), JSON.stringify(s)).toEqual(doc);
      // YAML 1.1 readers (many editors and tools) read the same strings.
      expect(parse(text, { version: '1.1' }), JSON.stringify(s)).toEqual(doc);
    }
  });

  it('writes plain only what is unmistakably a string, and names the rest in escapes', () => {
    expect(['billing', 'Bill created', 'https://example.com/a?b=c', 'Fires on: x'].map(isPlainSafe)).toEqual([
      true,
      true,
      true,
      false,
    ]);
    for (const word of ['yes', 'null', '0123', '- x', 'a: b', '# c', ' x', 'x '])
      expect(isPlainSafe(word)).toBe(false);
    expect(doubleQuoted('a\u202Eb\u0000\n"')).toBe('"a\\u202eb\\u0000\\n\\""');
  });

  it('writes a multi-line calculation as a literal block', () => {
    const calc = 'new.amountSpent >= new.amount * 0.9\n  AND old.amountSpent < old.amount * 0.9';
    const lines = sequenceLines([{ code: 'r', calculation: calc }], 2);
    expect(lines).toEqual([
      '  - code: r',
      '    calculation: |-',
      '      new.amountSpent >= new.amount * 0.9',
      '        AND old.amountSpent < old.amount * 0.9',
    ]);
    expect(load(`rules:\n${lines.join('\n')}\n`)).toEqual({ rules: [{ code: 'r', calculation: calc }] });
  });

  it('writes a key longer than YAML allows implicitly as an explicit key', () => {
    const long = 'k'.repeat(1500);
    const doc = { [long]: { [`${long}\n`]: ['x'], b: 1 }, after: 'y' } as { [k: string]: Json };
    expect(load(`${mappingLines(doc, 0).join('\n')}\n`)).toEqual(doc);
  });

  it('keeps blank lines after a block out of its value (no `|+`)', () => {
    const doc = { a: ['}\n\n', 'x\n'], b: 'y' } as { [k: string]: Json };
    const text = `${mappingLines(doc, 0).join('\n')}\n\nnext: 1\n`;
    expect(load(text)).toEqual({ ...doc, next: 1 });
  });

  it('round-trips seeded random hostile strings and nested configData (property)', () => {
    const random = seededRandom(20261202);
    for (let i = 0; i < 400; i++) {
      const s = hostileString(random);
      const doc: { [k: string]: Json } = {
        s,
        data: { [hostileString(random) || 'k']: [s, { [s || 'e']: 1.5 }, true, null], n: -0.25 },
      };
      expect(load(`${mappingLines(doc, 0).join('\n')}\n`), JSON.stringify(s)).toEqual(doc);
    }
  });
});
