import { KIND_LABEL, labelOf } from '../kinds/index.js';
import type { DriftClass, DriftDirection, DriftItem, DriftReport } from '../drift/index.js';
import { summaryEntries } from '../drift/index.js';
import type { SourceRef } from '../model/resource.js';
import { describeTarget } from '../model/target.js';
import { type Paint, painter, type Style } from './ansi.js';
import { escapeText } from './escape.js';
import { DISABLED_BY_M3TER, healthCell, healthLines } from './link-health.js';
import { redactUrlsIn } from '../model/redact.js';
import { codeSpan } from './markdown.js';
import { DEFAULT_MARKDOWN_LIMIT, wholeReportAt } from './plan-markdown.js';
import { formatValue } from './plan-text.js';
import { type NodeChange, renderChangedKeysMarkdown } from './graph/index.js';
import type { ResourcesByKind } from '../model/state.js';

export type DriftFormat = 'text' | 'json' | 'markdown';

export interface RenderDriftOptions {
  format: DriftFormat;
  /** ANSI colour, text format only. */
  color: boolean;
  /**
   * Markdown only: a block (e.g. a Mermaid diagram of the drifted entities) placed after the summary, the one place
   * a report carries a diagram. Given as finished Markdown.
   */
  diagram?: string;
  /** Markdown only: characters at most (default {@link DEFAULT_MARKDOWN_LIMIT}; `0` for no limit). */
  limit?: number;
  /** Markdown only: where the JSON report (`--out`) and the whole Markdown are, named when items are left out. */
  savedReport?: string;
  fullMarkdown?: string;
}

/**
 * How each class is marked in the picture: as the next apply would change it, in the signs of the plan comment
 * and of `graph --plan` (what m3ter is missing is created, what only m3ter has is deleted), so one picture
 * language serves both reports.
 */
const CLASS_MARK = {
  modified: 'update',
  unmanaged: 'delete',
  missing: 'create',
  secret: 'update',
  disabled: 'update',
} as const satisfies Record<DriftClass, NodeChange>;

/**
 * The Markdown report's picture: the drifted entities and their neighbours (declared ones from the files, the rest
 * from the live org), capped as for the plan comment, under one heading. Empty when nothing drifted. Pure.
 */
export function driftDiagram(
  report: DriftReport,
  states: { desired: ResourcesByKind; live: ResourcesByKind },
  drawAllCommand = 'm3ter-config graph PATH... --plan --changed-only',
): string {
  const picture = renderChangedKeysMarkdown(
    states,
    report.items.map((i) => ({ kind: i.kind, key: i.key, change: CLASS_MARK[i.class] })),
    { drawAllCommand },
  );
  if (picture.length === 0) return '';
  return [
    '**What the next apply would change** (+ create what m3ter is missing, - delete what only m3ter has, ~ update what differs):',
    '',
    ...picture,
  ].join('\n');
}

export const NO_DRIFT = 'No drift: the live org matches the files.';
const NO_RECORD =
  'Which side moved is unknown without the record of the last apply: `apply --record FILE`, then `drift --since FILE`.';

/** How each class is marked, in text and Markdown. */
const CLASS_SYMBOL = {
  modified: '~',
  unmanaged: '+',
  missing: '-',
  secret: '!',
  disabled: 'x',
} as const satisfies Record<DriftClass, string>;
const CLASS_STYLE = {
  modified: 'yellow',
  unmanaged: 'green',
  missing: 'red',
  secret: 'red',
  disabled: 'red',
} as const satisfies Record<DriftClass, Style>;
const CLASS_MEANING: Readonly<Record<DriftClass, string>> = {
  modified: 'differs from the files',
  unmanaged: 'in m3ter, declared by no file and not ignored',
  missing: 'declared in the files, not in m3ter',
  secret: 'its live secret does not match the files',
  disabled: `${DISABLED_BY_M3TER}; the files declare it active`,
};
const CLASS_HEADING: Readonly<Record<DriftClass, string>> = {
  modified: 'Modified in m3ter or in the files',
  unmanaged: 'Unmanaged (in m3ter only)',
  missing: 'Missing from m3ter',
  secret: 'Secrets that no longer match',
  disabled: 'Links disabled by m3ter',
};

/** The drift report as text (people), JSON (pipelines; the report object as is) or Markdown (an issue body). */
export function renderDrift(report: DriftReport, options: RenderDriftOptions): string {
  switch (options.format) {
    case 'json':
      // The other formats show values through formatValue, which masks a URL's user info; JSON does it here.
      return `${JSON.stringify(redactUrlsIn(report), null, 2)}\n`;
    case 'markdown':
      return renderDriftMarkdown(report, options);
    case 'text':
      return renderDriftText(report, painter(options.color));
  }
}

export function driftSummaryLine(report: DriftReport): string {
  if (!report.drifted) return NO_DRIFT;
  const parts = summaryEntries(report)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${n} ${c}`);
  const total = report.items.length;
  return `Drift: ${total} item${total === 1 ? '' : 's'} (${parts.join(', ')}).`;
}

function directionPhrase(item: DriftItem, report: DriftReport): string {
  const since = report.since ? ` since the apply of ${report.since.appliedAt}` : '';
  const by: Record<DriftDirection, string> = {
    m3ter: `changed in m3ter${since}${item.lastModifiedBy && item.class !== 'missing' ? ` (by ${item.lastModifiedBy})` : ''}`,
    files: `the files changed${since}; not applied yet`,
    both: `changed in m3ter and in the files${since}`,
    unknown: 'direction unknown',
  };
  return by[item.direction];
}

function sourceOf(s: SourceRef | undefined): string | undefined {
  return s ? `${s.file}:${s.line}:${s.col}` : undefined;
}

function lastChange(item: DriftItem): string | undefined {
  if (item.lastModifiedBy === null && item.dtLastModified === null) return undefined;
  return `last modified by ${item.lastModifiedBy ?? '(unknown)'} at ${item.dtLastModified ?? '(unknown)'}`;
}

function detailLines(item: DriftItem): string[] {
  const lines: string[] = [];
  if (item.health) lines.push(...healthLines(item.health));
  for (const f of item.fields ?? [])
    lines.push(`${f.field}: ${formatValue(f.live)} live, ${formatValue(f.desired)} in the files`);
  if (item.fingerprint === 'absent')
    lines.push('no fingerprint live: the secret was set outside m3ter-config');
  if (item.fingerprint === 'changed') lines.push('the live fingerprint was made from other secrets');
  if (item.duplicateOf !== undefined) lines.push(`a copy of ${JSON.stringify(item.duplicateOf)}`);
  const last = lastChange(item);
  if (last) lines.push(last);
  const at = sourceOf(item.source);
  if (at) lines.push(`declared at ${at}`);
  if (item.id !== null) lines.push(`id ${item.id}`);
  return lines.map((l) => escapeText(l));
}

function renderDriftText(report: DriftReport, paint: Paint): string {
  const out = [paint('bold', escapeText(`Drift against ${describeTarget(report.target)}`)), ''];
  for (const item of report.items) {
    const status = item.status ? ` [${item.status}]` : '';
    out.push(
      paint(
        CLASS_STYLE[item.class],
        `${CLASS_SYMBOL[item.class]} ${escapeText(labelOf(item.kind, item.key))} ${item.class}${status}: ${CLASS_MEANING[item.class]}${report.since ? `; ${escapeText(directionPhrase(item, report))}` : ''}`,
      ),
    );
    for (const line of detailLines(item)) out.push(`    ${line}`);
  }
  if (report.items.length > 0) out.push('');
  for (const r of report.resolved ?? [])
    out.push(`${paint('dim', `resolved: ${escapeText(labelOf(r.kind, r.key))} ${r.class}`)}`);
  if ((report.resolved ?? []).length > 0) out.push('');
  out.push(paint('bold', driftSummaryLine(report)));
  if (report.drifted && !report.since) out.push(NO_RECORD);
  return `${out.join('\n')}\n`;
}

/** A value in a table cell. */
function cell(text: string, max: number | undefined): string {
  return codeSpan(text, { table: true, ...(max === undefined ? {} : { max }) });
}

/** The direction of an item in a table cell: our words, and who changed it and when as values. */
function directionCell(item: DriftItem, report: DriftReport, max: number | undefined): string {
  const since = report.since ? ` since the apply of ${cell(report.since.appliedAt, max)}` : '';
  const by: Record<DriftDirection, string> = {
    m3ter: `changed in m3ter${since}${item.lastModifiedBy && item.class !== 'missing' ? ` (by ${cell(item.lastModifiedBy, max)})` : ''}`,
    files: `the files changed${since}; not applied yet`,
    both: `changed in m3ter and in the files${since}`,
    unknown: 'direction unknown',
  };
  return by[item.direction];
}

/** Room kept for the line that says what was left out. */
const FOOTER_ROOM = 1_000;
/** With a limit, a value in a cell is cut to this many characters. */
const MAX_VALUE_CHARS = 1_000;

/**
 * The body of a drift issue: heading with the target, summary by class, the diagram slot, then a table per class
 * with each item's fields, who changed it and when, the direction and where it is declared; resolved items last.
 * Every value is a code span. Within the limit: the items that do not fit are counted in a last line that says
 * where the whole report is.
 */
function renderDriftMarkdown(report: DriftReport, options: RenderDriftOptions): string {
  const limit = options.limit ?? DEFAULT_MARKDOWN_LIMIT;
  const max = limit === 0 ? undefined : MAX_VALUE_CHARS;
  const out: string[] = [`### m3ter-config drift: ${cell(describeTarget(report.target), 500)}`, ''];
  out.push(`**${driftSummaryLine(report)}**`, '');
  if (report.drifted) {
    out.push('| Class | Items |', '| --- | ---: |');
    for (const [c, n] of summaryEntries(report)) out.push(`| ${c} | ${n} |`);
    out.push('');
  }
  // The one place a diagram goes (e.g. a Mermaid graph of the drifted entities).
  const diagram = options.diagram;
  const size = (lines: readonly string[]): number => lines.reduce((n, l) => n + l.length + 1, 0);
  let used = size(out);
  const fits = (n: number): boolean => limit === 0 || used + n + FOOTER_ROOM <= limit;
  if (diagram !== undefined && diagram.trim() !== '' && fits(diagram.length + 2)) {
    out.push(diagram.trimEnd(), '');
    used += diagram.length + 2;
  }
  let shown = 0;
  let full = true;
  for (const [c, n] of summaryEntries(report)) {
    if (n === 0 || !full) continue;
    const head = [
      `#### ${CLASS_SYMBOL[c]} ${CLASS_HEADING[c]}`,
      '',
      `| Entity | Difference | Last modified by | When |${report.since ? ' Direction |' : ''} Declared at |`,
      `| --- | --- | --- | --- |${report.since ? ' --- |' : ''} --- |`,
    ];
    const rows: string[] = [];
    for (const item of report.items) {
      if (item.class !== c) continue;
      const difference = item.health
        ? `${CLASS_MEANING.disabled}<br>${healthCell(item.health, (t) => cell(t, max))}`
        : (item.fields
            ?.map(
              (f) =>
                `${cell(f.field, max)}: ${cell(formatValue(f.live), max)} live, ${cell(formatValue(f.desired), max)} in the files`,
            )
            .join('<br>') ??
          CLASS_MEANING[c] +
            (item.duplicateOf !== undefined ? ` (a copy of ${cell(item.duplicateOf, max)})` : ''));
      const status = item.status ? ` (${item.status})` : '';
      const row = `| ${KIND_LABEL[item.kind]} ${cell(item.key, max)}${status} | ${difference} | ${item.lastModifiedBy === null ? '–' : cell(item.lastModifiedBy, max)} | ${item.dtLastModified === null ? '–' : cell(item.dtLastModified, max)} |${report.since ? ` ${directionCell(item, report, max)} |` : ''} ${item.source ? cell(sourceOf(item.source) ?? '', max) : '–'} |`;
      if (!fits(size(head) + size(rows) + row.length + 2)) {
        full = false;
        break;
      }
      rows.push(row);
    }
    if (rows.length === 0) break;
    out.push(...head, ...rows, '');
    used += size(head) + size(rows) + 1;
    shown += rows.length;
  }
  const hidden = report.items.length - shown;
  if (hidden > 0) {
    out.push(
      `**${hidden} of ${report.items.length} items are not shown here**, to keep this under ${limit} characters (\`--markdown-limit\`). ${wholeReportAt('report', options.savedReport, options.fullMarkdown)}`,
      '',
    );
  }
  if (report.drifted && !report.since) out.push(`_${NO_RECORD}_`, '');
  const resolved = report.resolved ?? [];
  if (resolved.length > 0) {
    out.push('#### Resolved since the previous report', '');
    let listed = 0;
    for (const r of resolved) {
      const line = `- ${KIND_LABEL[r.kind]} ${codeSpan(r.key, max === undefined ? {} : { max })}: ${r.class}`;
      if (!fits(line.length + 1)) break;
      out.push(line);
      used += line.length + 1;
      listed++;
    }
    if (listed < resolved.length)
      out.push(`- ${resolved.length - listed} more not shown: see the whole report.`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
