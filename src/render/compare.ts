import {
  COMPARE_CLASSES,
  type CompareClass,
  type CompareItem,
  type CompareReport,
} from '../compare/index.js';
import { KIND_LABEL, labelOf } from '../kinds/index.js';
import type { Json } from '../model/errors.js';
import { redactUrlsIn } from '../model/redact.js';
import { describeTarget } from '../model/target.js';
import { type Paint, painter, type Style } from './ansi.js';
import { escapeText } from './escape.js';
import { codeSpan } from './markdown.js';
import { formatValue } from './plan-text.js';

export type CompareFormat = 'text' | 'json' | 'markdown';

export interface RenderCompareOptions {
  format: CompareFormat;
  /** ANSI colour, text format only. */
  color: boolean;
}

/** Said by every format: what compare leaves out, and why. */
export const SECRETS_NOT_COMPARED =
  'Secrets are not compared: their values are never read, and m3ter keeps a webhook secret fingerprint per org, so equal secrets look different across orgs.';

/** The comparison as text (people), JSON (pipelines; the report as is) or Markdown (a pull request or issue). */
export function renderCompare(report: CompareReport, options: RenderCompareOptions): string {
  switch (options.format) {
    case 'json':
      return renderCompareJson(report);
    case 'markdown':
      return renderCompareMarkdown(report);
    case 'text':
      return renderCompareText(report, painter(options.color));
  }
}

/**
 * Characters JSON.stringify leaves as themselves that a terminal or a viewer may act on (DEL, C1 controls such as
 * CSI, bidi overrides, line separators, zero-width characters): written as `\uXXXX` escapes, which parse back to the
 * same string. Outside strings a JSON text holds none of them, so the replacement only touches values.
 */
const JSON_UNSAFE = /[\u007F-\u009F\u061C\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2069\uFEFF]/g;

function renderCompareJson(report: CompareReport): string {
  const text = JSON.stringify(redactUrlsIn(report), null, 2);
  return `${text.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

const CLASS_SYMBOL = { 'only-in-a': '<', 'only-in-b': '>', differs: '~' } as const satisfies Record<
  CompareClass,
  string
>;
const CLASS_STYLE = { 'only-in-a': 'red', 'only-in-b': 'green', differs: 'yellow' } as const satisfies Record<
  CompareClass,
  Style
>;

function sideName(report: CompareReport, side: 'a' | 'b'): string {
  return report[side].environment;
}

/** What an item is, in our words with the environments' names (names are `[A-Za-z][A-Za-z0-9_-]*`). */
function meaning(report: CompareReport, c: CompareClass): string {
  const a = sideName(report, 'a');
  const b = sideName(report, 'b');
  const by: Record<CompareClass, string> = {
    'only-in-a': `only in ${a}`,
    'only-in-b': `only in ${b}`,
    differs: `differs between ${a} and ${b}`,
  };
  return by[c];
}

export function compareSummaryLine(report: CompareReport): string {
  const s = report.summary;
  const vars = s.varFieldsInOrder;
  const ones = s.oneEnvironmentEntities;
  const byDesign = [
    vars > 0
      ? ` ${vars} field${vars === 1 ? '' : 's'} written with a var hold${vars === 1 ? 's' : ''} each environment's own value.`
      : '',
    ones > 0
      ? ` ${ones} entit${ones === 1 ? 'y' : 'ies'} declared for one environment only ${ones === 1 ? 'is' : 'are'} in that environment's org only.`
      : '',
  ].join('');
  if (!report.differ) return `The orgs match: no entity of a compared kind differs.${byDesign}`;
  const parts = COMPARE_CLASSES.filter((c) => s[c] > 0).map((c) => `${s[c]} ${meaning(report, c)}`);
  const n = report.items.length;
  return `The orgs differ: ${n} entit${n === 1 ? 'y' : 'ies'} (${parts.join(', ')}).${byDesign}`;
}

function kindsLine(report: CompareReport): string {
  return report.comparedKinds.length === 0
    ? 'No kind was compared: the files manage none.'
    : `Kinds compared: ${report.comparedKinds.map((k) => KIND_LABEL[k]).join(', ')}.`;
}

function v(value: Json): string {
  return formatValue(value);
}

function fieldLines(report: CompareReport, item: CompareItem): string[] {
  const a = sideName(report, 'a');
  const b = sideName(report, 'b');
  const lines: string[] = [];
  for (const f of item.fields ?? []) {
    let line = `${f.field}: ${v(f.a)} in ${a}, ${v(f.b)} in ${b}`;
    if (f.expected)
      line += ` (the files write it with a var: expected ${v(f.expected.a)} in ${a}, ${v(f.expected.b)} in ${b})`;
    lines.push(line);
  }
  for (const side of ['a', 'b'] as const) {
    const facts = item[side];
    if (!facts) continue;
    const by =
      facts.lastModifiedBy === null && facts.dtLastModified === null
        ? ''
        : `, last modified by ${facts.lastModifiedBy ?? '(unknown)'} at ${facts.dtLastModified ?? '(unknown)'}`;
    const copy = facts.duplicateOf !== undefined ? `, a copy of ${JSON.stringify(facts.duplicateOf)}` : '';
    lines.push(`in ${sideName(report, side)}: id ${facts.id}${by}${copy}`);
  }
  return lines.map((l) => escapeText(l, { newlines: false }));
}

function renderCompareText(report: CompareReport, paint: Paint): string {
  const head = `Compare ${report.a.environment} (${describeTarget(report.a.target)}) with ${report.b.environment} (${describeTarget(report.b.target)})`;
  const out = [
    paint('bold', escapeText(head, { newlines: false })),
    kindsLine(report),
    SECRETS_NOT_COMPARED,
    '',
  ];
  for (const kind of report.comparedKinds) {
    const items = report.items.filter((i) => i.kind === kind);
    if (items.length === 0) continue;
    out.push(paint('bold', KIND_LABEL[kind]));
    for (const item of items) {
      out.push(
        paint(
          CLASS_STYLE[item.class],
          `  ${CLASS_SYMBOL[item.class]} ${escapeText(labelOf(item.kind, item.key), { newlines: false })}: ${meaning(report, item.class)}`,
        ),
      );
      for (const line of fieldLines(report, item)) out.push(`      ${line}`);
    }
    out.push('');
  }
  out.push(paint('bold', compareSummaryLine(report)));
  return `${out.join('\n')}\n`;
}

/** With Markdown, a value in a cell is cut to this many characters (the JSON form has it whole). */
const MAX_VALUE_CHARS = 1_000;

function cell(text: string): string {
  return codeSpan(text, { table: true, max: MAX_VALUE_CHARS });
}

/** A field's difference in a table cell: our words, every value a code span. */
function differenceCell(report: CompareReport, item: CompareItem): string {
  const a = sideName(report, 'a');
  const b = sideName(report, 'b');
  if (item.class !== 'differs') {
    const facts = item.a ?? item.b;
    return `${meaning(report, item.class)}${facts?.duplicateOf !== undefined ? ` (a copy of ${cell(facts.duplicateOf)})` : ''}`;
  }
  return (item.fields ?? [])
    .map((f) => {
      const line = `${cell(f.field)}: ${cell(v(f.a))} in ${a}, ${cell(v(f.b))} in ${b}`;
      return f.expected
        ? `${line} (written with a var: expected ${cell(v(f.expected.a))} in ${a}, ${cell(v(f.expected.b))} in ${b})`
        : line;
    })
    .join('<br>');
}

function lastModifiedCell(item: CompareItem, side: 'a' | 'b'): string {
  const facts = item[side];
  if (!facts) return '–';
  return facts.lastModifiedBy === null ? 'unknown' : cell(facts.lastModifiedBy);
}

/**
 * The comparison for a pull request or an issue: heading with both environments and orgs, the summary, then a table
 * per kind. Every value from m3ter (keys, field values, ids, who changed it) is a code span, so it cannot become a
 * link, an image, a mention or HTML.
 */
function renderCompareMarkdown(report: CompareReport): string {
  const a = report.a.environment;
  const b = report.b.environment;
  const out: string[] = [
    `### m3ter-config compare: ${codeSpan(a)} and ${codeSpan(b)}`,
    '',
    `- ${codeSpan(a)}: ${codeSpan(describeTarget(report.a.target), { max: 500 })}`,
    `- ${codeSpan(b)}: ${codeSpan(describeTarget(report.b.target), { max: 500 })}`,
    '',
    `**${compareSummaryLine(report)}**`,
    '',
    kindsLine(report),
    '',
    `_${SECRETS_NOT_COMPARED}_`,
    '',
  ];
  for (const kind of report.comparedKinds) {
    const items = report.items.filter((i) => i.kind === kind);
    if (items.length === 0) continue;
    out.push(
      `#### ${KIND_LABEL[kind]}`,
      '',
      `| Entity | Difference | Last modified by in ${a} | Last modified by in ${b} |`,
      '| --- | --- | --- | --- |',
    );
    for (const item of items)
      out.push(
        `| ${cell(item.key)} | ${differenceCell(report, item)} | ${lastModifiedCell(item, 'a')} | ${lastModifiedCell(item, 'b')} |`,
      );
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
