import { KIND_LABEL, KINDS_TOP_DOWN } from '../kinds/index.js';
import type { Kind } from '../model/kinds.js';
import type { Change, Plan } from '../model/plan.js';
import { describePlanEnvironment, describeTarget } from '../model/target.js';
import type { Paint } from './ansi.js';
import { changeBlock, summaryLine, unsafeHeadline } from './plan-text.js';
import { buildTopology, renderChangeGraphMarkdown } from './graph/index.js';
import { codeFence, codeSpan, cutText, prose } from './markdown.js';

export { escapeHtml } from './markdown.js';

const plain: Paint = (_style, text) => text;

/**
 * How long a Markdown report is by default, in UTF-16 code units (never fewer than the characters GitHub counts):
 * GitHub refuses a comment or an issue body over 65,536 characters (a job summary over 1 MiB), and the CI templates
 * put a marker line before the report. `0` means no limit.
 */
export const DEFAULT_MARKDOWN_LIMIT = 64_000;

/** With a limit, a line of a change (a long description or calculation) is cut to this many characters. */
const MAX_LINE_CHARS = 2_000;

/** Room kept for the line that says what was left out. */
const FOOTER_ROOM = 1_000;

export interface PlanMarkdownOptions {
  /** Characters at most ({@link DEFAULT_MARKDOWN_LIMIT}); `0` for no limit. */
  readonly limit?: number;
  /** Where the saved plan is (`plan --out`), named when changes are left out. */
  readonly savedPlan?: string;
  /** Where the whole Markdown is written, named when changes are left out. */
  readonly fullMarkdown?: string;
}

function counts(plan: Plan, kind: Kind): { create: number; update: number; delete: number } {
  const n = { create: 0, update: 0, delete: 0 };
  for (const c of plan.changes) if (c.kind === kind) n[c.type]++;
  return n;
}

function countsPhrase(n: { create: number; update: number; delete: number }): string {
  const parts: string[] = [];
  if (n.create) parts.push(`${n.create} to create`);
  if (n.update) parts.push(`${n.update} to update`);
  if (n.delete) parts.push(`${n.delete} to delete`);
  return parts.join(', ');
}

/** The command that draws every changed entity and its neighbours, named when the picture leaves some out. */
const DRAW_ALL_COMMAND = 'm3ter-config graph PATH... --plan --changed-only';

/**
 * Where the whole report is, for the line under a report cut short: the files named (data, so in code spans), or
 * the options that make them.
 */
export function wholeReportAt(
  what: string,
  savedAs: string | undefined,
  fullMarkdown: string | undefined,
): string {
  const saved = savedAs === undefined ? `\`--out FILE\`` : codeSpan(savedAs, { max: 200 });
  const full = fullMarkdown === undefined ? `\`--markdown-full FILE\`` : codeSpan(fullMarkdown, { max: 200 });
  return `The whole ${what} is in the saved ${what} (${saved}) and in the full Markdown (${full}), kept with this run's artifacts by the CI templates.`;
}

/** Lines added while they fit in a budget of characters (each line counts its newline). */
class Budget {
  private used = 0;
  constructor(private readonly limit: number) {}

  static size(lines: readonly string[]): number {
    let n = 0;
    for (const l of lines) n += l.length + 1;
    return n;
  }

  /** Whether `size` more characters fit, keeping `reserve` free. */
  fits(size: number, reserve = 0): boolean {
    return this.limit === 0 || this.used + size + reserve <= this.limit;
  }

  take(size: number): void {
    this.used += size;
  }
}

interface Section {
  kind: Kind;
  n: { create: number; update: number; delete: number };
  changes: Change[];
}

/**
 * Kinds in the order their first change runs: creates and updates top-down, then deletes bottom-up. A kind with
 * both gets one section for each phase, so reading top to bottom follows the apply.
 */
function sectionsOf(plan: Plan): Section[] {
  let phase: Section | undefined;
  const sections: Section[] = [];
  for (const c of plan.changes) {
    const isDelete = c.type === 'delete';
    if (!phase || phase.kind !== c.kind || phase.n.delete > 0 !== isDelete) {
      phase = { kind: c.kind, changes: [], n: { create: 0, update: 0, delete: 0 } };
      sections.push(phase);
    }
    phase.n[c.type]++;
    phase.changes.push(c);
  }
  return sections;
}

function sectionLines(s: Section, blocks: readonly string[][]): string[] {
  const body = blocks.flat().join('\n');
  const f = codeFence(body);
  const shown = blocks.length < s.changes.length ? ` (${blocks.length} shown)` : '';
  return [
    '',
    '<details>',
    `<summary>${KIND_LABEL[s.kind]}: ${countsPhrase(s.n)}${shown}</summary>`,
    '',
    `${f}diff`,
    body,
    f,
    '',
    '</details>',
  ];
}

/**
 * A pull-request comment: heading with the target, summary table (kind x create/update/delete), unsafe warnings,
 * a Mermaid picture of the changed entities and their neighbours (capped: render/graph/index.ts), then one
 * collapsible `<details>` per kind with its changes as a diff block, in the order they will run. Within the limit
 * ({@link DEFAULT_MARKDOWN_LIMIT}): what does not fit is counted in a last line that says where the whole plan is.
 * Every value from the files or from m3ter is in a code span or a code block.
 */
export function renderPlanMarkdown(plan: Plan, options: PlanMarkdownOptions = {}): string {
  const limit = options.limit ?? DEFAULT_MARKDOWN_LIMIT;
  const budget = new Budget(limit);
  const env = describePlanEnvironment(plan);
  const out: string[] = [
    `### m3ter-config plan: ${codeSpan(describeTarget(plan.target), { max: 500 })}${env ? ` (${codeSpan(env, { max: 200 })})` : ''}`,
    '',
  ];
  if (plan.changes.length === 0) {
    out.push(`**${summaryLine(plan)}**`);
    return `${out.join('\n')}\n`;
  }
  out.push(`**${summaryLine(plan)}**`, '');
  out.push('| Kind | Create | Update | Delete |', '| --- | ---: | ---: | ---: |');
  for (const kind of KINDS_TOP_DOWN) {
    if (!plan.managedKinds.includes(kind)) {
      out.push(`| ${KIND_LABEL[kind]} (not managed) | – | – | – |`);
      continue;
    }
    const n = counts(plan, kind);
    out.push(`| ${KIND_LABEL[kind]} | ${n.create} | ${n.update} | ${n.delete} |`);
  }
  budget.take(Budget.size(out));
  const cut = limit === 0 ? (l: string): string => l : (l: string): string => cutText(l, MAX_LINE_CHARS);
  if (plan.unsafe.length > 0) {
    const lines = ['', '> [!CAUTION]', `> **${unsafeHeadline(plan.unsafe)}**`, '>'];
    // Safety findings take at most a quarter of the room: a plan deleting thousands of webhooks has one per webhook.
    const room = new Budget(limit === 0 ? 0 : Math.floor(limit / 4));
    let shown = 0;
    for (const u of plan.unsafe) {
      // Messages start with the rule's name; show it once, in bold.
      const message = u.message.startsWith(`${u.rule}: `) ? u.message.slice(u.rule.length + 2) : u.message;
      const line = `> - **${u.rule}**: ${prose(cut(message))}<br>${prose(cut(u.hint))}`;
      if (!room.fits(line.length + 1, 200)) break;
      room.take(line.length + 1);
      lines.push(line);
      shown++;
    }
    if (shown < plan.unsafe.length)
      lines.push(`> - ${plan.unsafe.length - shown} more not shown: see the whole plan.`);
    out.push(...lines);
    budget.take(Budget.size(lines));
  }
  const picture = renderChangeGraphMarkdown(buildTopology({ plan }), { drawAllCommand: DRAW_ALL_COMMAND });
  if (picture.length > 0) {
    const lines = ['', '**What the changes touch** (+ create, ~ update, - delete):', '', ...picture];
    if (budget.fits(Budget.size(lines), FOOTER_ROOM)) {
      out.push(...lines);
      budget.take(Budget.size(lines));
    }
  }
  let shown = 0;
  for (const s of sectionsOf(plan)) {
    const kept: string[][] = [];
    let size = Budget.size(sectionLines(s, []));
    for (const c of s.changes) {
      const block = changeBlock(c, plain).map(cut);
      // The fence may grow by a backtick or two for a value holding a run of them.
      const more = Budget.size(block) + 8;
      if (!budget.fits(size + more, FOOTER_ROOM)) break;
      kept.push(block);
      size += more;
    }
    if (kept.length === 0) break;
    const lines = sectionLines(s, kept);
    out.push(...lines);
    budget.take(Budget.size(lines));
    shown += kept.length;
    if (kept.length < s.changes.length) break;
  }
  const hidden = plan.changes.length - shown;
  if (hidden > 0) {
    out.push(
      '',
      `**${hidden} of ${plan.changes.length} changes are not shown here**, to keep this under ${limit} characters (\`--markdown-limit\`). ${wholeReportAt('plan', options.savedPlan, options.fullMarkdown)}`,
    );
  }
  return `${out.join('\n')}\n`;
}
