import { describe, expect, it } from 'vitest';
import type { CompareItem, CompareReport } from '../../../src/compare/index.js';
import { renderCompare, SECRETS_NOT_COMPARED } from '../../../src/render/compare.js';
import { escapeText } from '../../../src/render/escape.js';
import { createSchemasAjv, SCHEMA_ID_BASE } from '../../../src/schema/compile.js';
import { markdownEffects } from '../../helpers/gfm.js';
import { HOSTILE_VALUES } from './hostile-values.js';

/** The comparison of two orgs in text, JSON (schemas/compare.schema.json) and Markdown, with hostile values. */

const SANDBOX = { type: 'm3ter', orgId: 'org-sandbox', baseUrl: 'https://api.m3ter.com' } as const;
const PROD = { type: 'm3ter', orgId: 'org-prod', baseUrl: 'https://api.m3ter.com' } as const;

function reportOf(items: CompareItem[], varFieldsInOrder = 0, oneEnvironmentEntities = 0): CompareReport {
  const count = (c: CompareItem['class']) => items.filter((i) => i.class === c).length;
  return {
    formatVersion: 1,
    a: { environment: 'sandbox', target: SANDBOX },
    b: { environment: 'production', target: PROD },
    differ: items.length > 0,
    comparedKinds: ['webhook', 'notificationRule'],
    secretsCompared: false,
    summary: {
      'only-in-a': count('only-in-a'),
      'only-in-b': count('only-in-b'),
      differs: count('differs'),
      varFieldsInOrder,
      oneEnvironmentEntities,
    },
    items,
  };
}

const facts = (id: string, by: string | null = null) => ({ id, lastModifiedBy: by, dtLastModified: null });

const SAMPLE = reportOf(
  [
    {
      kind: 'webhook',
      key: 'ops',
      class: 'differs',
      fields: [
        {
          field: 'url',
          a: 'https://s.example/x',
          b: 'https://s.example/x',
          expected: { a: 'https://s.example/x', b: 'https://p.example/x' },
        },
        { field: 'active', a: true, b: false },
      ],
      a: facts('a-ops'),
      b: facts('b-ops', 'USER_jo'),
    },
    { kind: 'notificationRule', key: 'low', class: 'only-in-a', a: facts('a-low'), b: null },
    { kind: 'notificationRule', key: 'new', class: 'only-in-b', a: null, b: facts('b-new') },
  ],
  1,
);

const validate = () => {
  const v = createSchemasAjv().getSchema(`${SCHEMA_ID_BASE}compare.schema.json`);
  if (!v) throw new Error('compare.schema.json not found');
  return v;
};

describe('renderCompare', () => {
  it('text: per kind, each item with its fields, who changed it, what a var expected, and the summary', () => {
    const text = renderCompare(SAMPLE, { format: 'text', color: false });
    expect(text).toBe(
      [
        'Compare sandbox (m3ter org org-sandbox at https://api.m3ter.com) with production (m3ter org org-prod at https://api.m3ter.com)',
        'Kinds compared: webhook, notification rule.',
        SECRETS_NOT_COMPARED,
        '',
        'webhook',
        '  ~ webhook "ops": differs between sandbox and production',
        '      url: "https://s.example/x" in sandbox, "https://s.example/x" in production (the files write it with a var: expected "https://s.example/x" in sandbox, "https://p.example/x" in production)',
        '      active: true in sandbox, false in production',
        '      in sandbox: id a-ops',
        '      in production: id b-ops, last modified by USER_jo at (unknown)',
        '',
        'notification rule',
        '  < notification rule "low": only in sandbox',
        '      in sandbox: id a-low',
        '  > notification rule "new": only in production',
        '      in production: id b-new',
        '',
        "The orgs differ: 3 entities (1 only in sandbox, 1 only in production, 1 differs between sandbox and production). 1 field written with a var holds each environment's own value.",
        '',
      ].join('\n'),
    );
    const same = renderCompare(reportOf([], 2, 1), { format: 'text', color: false });
    expect(same).toContain(
      "The orgs match: no entity of a compared kind differs. 2 fields written with a var hold each environment's own value. 1 entity declared for one environment only is in that environment's org only.\n",
    );
    expect(same).toContain(SECRETS_NOT_COMPARED);
  });

  it('json: the report as is, valid against schemas/compare.schema.json', () => {
    const json = renderCompare(SAMPLE, { format: 'json', color: false });
    expect(JSON.parse(json)).toEqual(SAMPLE);
    const v = validate();
    expect(v(JSON.parse(json)), JSON.stringify(v.errors)).toBe(true);
    expect(v(JSON.parse(renderCompare(reportOf([]), { format: 'json', color: false })))).toBe(true);
    expect(v({ ...SAMPLE, secretsCompared: true })).toBe(false);
  });

  it('json: user info in a URL is masked, and characters a terminal acts on are escaped yet parse back', () => {
    const hostile = 'evil\u009b2J\u202Eevil\u2028x\u001b[2J\u200B';
    const report = reportOf([
      {
        kind: 'webhook',
        key: hostile,
        class: 'differs',
        fields: [{ field: 'url', a: 'https://user:pw@a.example/x', b: hostile }],
        a: facts(hostile, hostile),
        b: facts('b'),
      },
    ]);
    const json = renderCompare(report, { format: 'json', color: false });
    expect(json).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u200B]/);
    expect(json).not.toContain('pw@');
    const back = JSON.parse(json) as CompareReport;
    expect(back.items[0]?.key).toBe(hostile);
    expect(back.items[0]?.a?.lastModifiedBy).toBe(hostile);
  });

  it('text: control and bidi characters from m3ter never reach the terminal as themselves', () => {
    const hostile = 'evil\u001b[2J\u009b\u202E\rx\ny';
    const report = reportOf([
      {
        kind: 'webhook',
        key: hostile,
        class: 'differs',
        fields: [{ field: 'description', a: hostile, b: 'ok' }],
        a: facts(hostile, hostile),
        b: facts('b'),
      },
      {
        kind: 'webhook',
        key: `${hostile}2`,
        class: 'only-in-b',
        a: null,
        b: { ...facts('c'), duplicateOf: hostile },
      },
    ]);
    const text = renderCompare(report, { format: 'text', color: true });
    const withoutOurColours = text.replace(/\u001b\[\d+m/g, '');
    expect(withoutOurColours).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202E]/);
    // One line per item and per detail: a newline in a value does not start a line of its own.
    expect(withoutOurColours.split('\n').filter((line) => line.includes('evil')).length).toBe(5);
  });

  it('markdown: every value from m3ter stays data (no link, image, mention or HTML), and arrives whole', () => {
    for (const v of HOSTILE_VALUES) {
      const report = reportOf([
        {
          kind: 'webhook',
          key: v,
          class: 'differs',
          fields: [
            { field: v, a: v, b: 'x', expected: { a: v, b: { [v]: [v] } } },
            { field: 'description', a: { [v]: [v] }, b: null },
          ],
          a: facts(v, v),
          b: facts(v, v),
        },
        {
          kind: 'notificationRule',
          key: v,
          class: 'only-in-a',
          a: { ...facts(v, v), duplicateOf: v },
          b: null,
        },
        { kind: 'notificationRule', key: `${v}-b`, class: 'only-in-b', a: null, b: facts(v) },
      ]);
      report.a.target = { type: 'm3ter', orgId: v, baseUrl: v };
      const md = renderCompare(report, { format: 'markdown', color: false });
      const { problems, code } = markdownEffects(md);
      expect(problems, `${JSON.stringify(v.slice(0, 80))}\n${md.slice(0, 2000)}`).toEqual([]);
      // Whole, with line breaks and invisible characters shown as `\uXXXX` (a pipe after a backslash is GFM's own case).
      if (v.length < 500 && !v.includes('\\'))
        expect(code.some((c) => c.trim() === escapeText(v, { newlines: false }).trim())).toBe(true);
    }
  });

  it('markdown: names both environments and orgs, says secrets are not compared, a table per kind', () => {
    const md = renderCompare(SAMPLE, { format: 'markdown', color: false });
    expect(md).toContain('### m3ter-config compare: `sandbox` and `production`');
    expect(md).toContain('`m3ter org org-prod at https://api.m3ter.com`');
    expect(md).toContain(`_${SECRETS_NOT_COMPARED}_`);
    expect(md).toContain('#### webhook\n');
    expect(md).toContain('#### notification rule\n');
    expect(md).toContain('| `new` | only in production | – | unknown |');
    expect(md).toContain(
      '`url`: `"https://s.example/x"` in sandbox, `"https://s.example/x"` in production (written with a var: expected `"https://s.example/x"` in sandbox, `"https://p.example/x"` in production)',
    );
    expect(markdownEffects(md).problems).toEqual([]);
  });
});
