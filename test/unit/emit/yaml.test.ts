import { describe, expect, it } from 'vitest';
import { CONFIG_SECTION } from '../../../src/kinds/index.js';
import type { ImportedModel, ImportProblem } from '../../../src/emit/imported.js';
import { writeYaml } from '../../../src/emit/yaml.js';
import { parseYaml } from '../../../src/load/yaml.js';
import type { Json } from '../../../src/model/errors.js';
import type { Kind } from '../../../src/model/kinds.js';
import { escapeDollarBrace, mapStrings } from '../../../src/model/literal-dollar.js';
import { hostileString, pick, seededRandom } from './hostile.js';

/** Loads text with the project's own YAML loader (the one `validate` and `plan` use). */
function load(file: string, text: string): unknown {
  const parsed = parseYaml(file, text);
  expect(parsed.issues, text).toEqual([]);
  return parsed.data;
}

/** What a live name from a hostile org can hold: line breaks of every kind, edge spaces, comments, mappings. */
const LINE_PIECES = [
  '\n',
  '\n\n',
  '\r',
  '\r\n',
  '\u2028',
  '\u2029',
  '\u0085',
  '\t',
  ' ',
  '  ',
  '#',
  ' # ',
  ': ',
  ':',
  '- ',
  '|',
  '>-',
  '"',
  'x',
  'name',
  'scheduled.bill.dueSoon',
];

function lineString(random: () => number): string {
  let s = random() < 0.5 ? pick(random, [' ', '\n', '\t', '#', '']) : '';
  const n = 1 + Math.floor(random() * 6);
  for (let i = 0; i < n; i++) s += random() < 0.7 ? pick(random, LINE_PIECES) : hostileString(random, 2);
  return s + (random() < 0.3 ? pick(random, ['\n', '\n\n', '\n\n\n', ' ', ' \n', '\t']) : '');
}

function modelOf(entries: Map<Kind, Json[]>, ignored: Map<Kind, string[]>): ImportedModel {
  const kinds = [...new Set([...entries.keys(), ...ignored.keys()])];
  const empty = <T>() => ({
    credential: [] as T[],
    webhook: [] as T[],
    scheduledEvent: [] as T[],
    notificationRule: [] as T[],
    link: [] as T[],
    integration: [] as T[],
  });
  const entities = empty<ImportedModel['entities'][Kind][number]>();
  const ignore = empty<string>();
  const problems: ImportProblem[] = [];
  for (const [kind, list] of entries)
    for (const entry of list) entities[kind].push({ kind, key: 'k', entry: entry as never });
  for (const [kind, list] of ignored)
    for (const entry of list) {
      ignore[kind].push(entry);
      problems.push({
        kind,
        key: entry,
        id: `id-${entry}`,
        code: 'not_expressible',
        message: 'm',
        hint: 'h',
        ignore: entry,
      });
    }
  return { kinds, entities, ignore, secrets: [], problems };
}

describe('the YAML writer of import', () => {
  it('writes every string so that it loads back exactly: entries, ignore entries and keys (property)', () => {
    const random = seededRandom(20261206);
    for (let i = 0; i < 300; i++) {
      const names = Array.from({ length: 3 }, () => lineString(random));
      const entries = new Map<Kind, Json[]>([
        ['scheduledEvent', [{ name: names[0]!, entity: 'Bill', field: 'dueDate', offset: 10 }]],
        [
          'notificationRule',
          [
            {
              code: 'r',
              name: names[1]!,
              description: names[2]!,
              eventName: names[0]!,
              data: { [lineString(random)]: [names[2]!], [`${names[1]!}.`]: names[0]! },
            },
          ],
        ],
      ]);
      const ignored = new Map<Kind, string[]>([
        ['scheduledEvent', [lineString(random), lineString(random)]],
        ['notificationRule', [lineString(random)]],
      ]);
      const model = modelOf(entries, ignored);
      for (const layout of ['single', 'per-kind'] as const) {
        const files = writeYaml(model, {
          layout,
          baseName: 'm3ter',
          header: [`Imported from ${lineString(random)}`],
          modeline: () => 'schema.json',
        });
        const back: Record<string, unknown> = {};
        const ignoreBack: Record<string, unknown> = {};
        for (const f of files) {
          const data = load(f.path, f.text) as Record<string, unknown>;
          for (const [k, v] of Object.entries(data))
            if (k === 'ignore') Object.assign(ignoreBack, v);
            else back[k] = v;
        }
        const expected = Object.fromEntries(
          [...entries].map(([k, list]) => [
            CONFIG_SECTION[k],
            list.map((e) => mapStrings(e, escapeDollarBrace)),
          ]),
        );
        expect(back, JSON.stringify(names)).toEqual(expected);
        expect(ignoreBack, JSON.stringify([...ignored])).toEqual(
          Object.fromEntries([...ignored].map(([k, list]) => [CONFIG_SECTION[k], list])),
        );
      }
    }
  });

  it('writes an ignore entry holding a line break on its one line, before its comment', () => {
    const name = 'scheduled.bill.due\nSoon';
    const [file] = writeYaml(modelOf(new Map(), new Map([['scheduledEvent', [name]]])), {
      layout: 'single',
      baseName: 'm3ter',
      header: [],
      modeline: () => 'schema.json',
    });
    expect(file!.text).toContain(
      '    - "scheduled.bill.due\\nSoon"  # not_expressible: scheduled event "scheduled.bill.due\\nSoon", id id-',
    );
    expect(load(file!.path, file!.text)).toEqual({
      scheduledEvents: [],
      ignore: { scheduledEvents: [name] },
    });
  });
});
