import { KIND_LABEL, KINDS_TOP_DOWN } from '../kinds/index.js';
import type { Kind } from '../model/kinds.js';
import type { Plan } from '../model/plan.js';
import { describeTarget } from '../model/target.js';
import type { Paint } from './ansi.js';
import { changeBlock, summaryLine, unsafeHeadline } from './plan-text.js';
import { pushAll } from '../model/array.js';
import { escapeText } from './escape.js';
import { buildTopology, renderChangeGraphMarkdown } from './graph/index.js';

const plain: Paint = (_style, text) => text;

/** Text outside code blocks: keys and messages come from users and the API, so no HTML gets through. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** User or API text on one Markdown line: control and bidi characters escaped, then HTML. */
function inline(text: string): string {
  return escapeHtml(escapeText(text, { newlines: false }));
}

/** A fence longer than any run of backticks in the body, so a value cannot close the block. */
function fence(body: string): string {
  let longest = 0;
  for (const m of body.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
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
 * A pull-request comment: heading with the target, summary table (kind x create/update/delete), unsafe warnings,
 * a Mermaid picture of the changed entities and their neighbours (capped: render/graph/index.ts), then one collapsible `<details>` per kind with its changes as a diff block, in the order they will run.
 */
export function renderPlanMarkdown(plan: Plan): string {
  const out: string[] = [`### m3ter-config plan: ${inline(describeTarget(plan.target))}`, ''];
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
  if (plan.unsafe.length > 0) {
    out.push('', '> [!CAUTION]', `> **${unsafeHeadline(plan.unsafe)}**`, '>');
    for (const u of plan.unsafe) {
      // Messages start with the rule's name; show it once, in bold.
      const message = u.message.startsWith(`${u.rule}: `) ? u.message.slice(u.rule.length + 2) : u.message;
      out.push(`> - **${u.rule}**: ${inline(message)}<br>${inline(u.hint)}`);
    }
  }
  const picture = renderChangeGraphMarkdown(buildTopology({ plan }), { drawAllCommand: DRAW_ALL_COMMAND });
  if (picture.length > 0)
    out.push('', '**What the changes touch** (+ create, ~ update, - delete):', '', ...picture);
  // Kinds in the order their first change runs: creates and updates top-down, then deletes bottom-up. A kind
  // with both gets one section for each phase, so reading top to bottom follows the apply.
  let phase: { kind: Kind; lines: string[]; n: ReturnType<typeof counts> } | undefined;
  const sections: NonNullable<typeof phase>[] = [];
  for (const c of plan.changes) {
    const isDelete = c.type === 'delete';
    if (!phase || phase.kind !== c.kind || phase.n.delete > 0 !== isDelete) {
      phase = { kind: c.kind, lines: [], n: { create: 0, update: 0, delete: 0 } };
      sections.push(phase);
    }
    phase.n[c.type]++;
    pushAll(phase.lines, changeBlock(c, plain));
  }
  for (const s of sections) {
    const body = s.lines.join('\n');
    const f = fence(body);
    out.push(
      '',
      '<details>',
      `<summary>${escapeHtml(KIND_LABEL[s.kind])}: ${countsPhrase(s.n)}</summary>`,
      '',
      `${f}diff`,
      body,
      f,
      '',
      '</details>',
    );
  }
  return `${out.join('\n')}\n`;
}
