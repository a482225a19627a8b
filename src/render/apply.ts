import type {
  ApplyEndedEvent,
  ApplyEvent,
  ApplyResult,
  ChangeAction,
  ChangeOutcome,
  Resolution,
} from '../apply/result.js';
import { labelOf } from '../kinds/index.js';
import type { Kind } from '../model/kinds.js';
import type { Change } from '../model/plan.js';
import { CHANGE_STYLE, CHANGE_SYMBOL, type Paint, painter } from './ansi.js';
import { canonicalJson } from './canonical-json.js';
import { escapeText } from './escape.js';

/**
 * Apply output. Pure: no clock, no TTY detection, no I/O. One line per change as it ends (`renderApplyEvent`) and
 * an account at the end (`renderApplyResult`), as text for people or JSON for machines. Outcomes never hold a secret,
 * and changes not attempted are shown by kind, key and action only.
 */

export interface RenderApplyOptions {
  /** ANSI colour (text only). The CLI decides it from the TTY and NO_COLOR. */
  color: boolean;
}

export type ApplyFormat = 'text' | 'json';

const PAST: Readonly<Record<ChangeAction, string>> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
};

/** Why a change took an unusual path, in a few words. */
const RESOLUTION_NOTE: Readonly<Record<Resolution, string>> = {
  adopted: 'found after an unclear create and adopted',
  adopted_and_updated: 'found after an unclear create, adopted and updated',
  created_again: 'created again after an unclear create found nothing',
  confirmed: 'confirmed after a retried update',
  already_deleted: 'already gone',
  raced_copy_removed: 'another apply created it at the same time; its copy was kept and this one removed',
};

export const APPLY_ADVICE = 'Run plan again: it shows exactly what is left to apply.';
export const INTERRUPTED_ADVICE =
  'Run apply again to finish the job: a new plan shows exactly the changes not attempted.';
export const STALE_ADVICE =
  'The live state changed since the plan was made. Run plan again, review the new plan, and apply that.';

function subject(kind: Kind, key: string): string {
  return escapeText(labelOf(kind, key));
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function outcomeLine(o: ChangeOutcome, paint: Paint, withTime: boolean): string {
  const symbol = o.status === 'failed' ? '!' : CHANGE_SYMBOL[o.action];
  const style = o.status === 'failed' ? 'red' : CHANGE_STYLE[o.action];
  if (o.status === 'failed') {
    const time = withTime ? ` (${formatMs(o.durationMs)})` : '';
    return `${paint(style, symbol)} ${subject(o.kind, o.key)} ${o.action} failed${time}: ${escapeText(o.error?.message ?? 'unknown error', { newlines: false })}`;
  }
  const verb = o.resolution === 'already_deleted' ? 'already deleted' : PAST[o.action];
  const details: string[] = [];
  if (o.version !== undefined && o.action !== 'delete') details.push(`v${o.version}`);
  if (o.resolution !== undefined && o.resolution !== 'already_deleted')
    details.push(RESOLUTION_NOTE[o.resolution]);
  if (withTime) details.push(formatMs(o.durationMs));
  return `${paint(style, symbol)} ${subject(o.kind, o.key)} ${verb}${details.length ? ` (${details.join(', ')})` : ''}`;
}

function changeLine(c: Change, paint: Paint): string {
  return `${paint('dim', CHANGE_SYMBOL[c.type])} ${subject(c.kind, c.key)} ${c.type}`;
}

/** One line for a change that ended (`finished` or `failed`), no newline; `undefined` for `started`. */
export function renderApplyEvent(event: ApplyEndedEvent, options: RenderApplyOptions): string;
export function renderApplyEvent(event: ApplyEvent, options: RenderApplyOptions): string | undefined;
export function renderApplyEvent(event: ApplyEvent, options: RenderApplyOptions): string | undefined {
  if (event.type === 'started') return undefined;
  return outcomeLine(event.outcome, painter(options.color), true);
}

/** The live count of a terminal's status line, e.g. `applying: 12/40 done`. */
export function renderApplyProgress(event: ApplyEvent): string {
  return `applying: ${event.completed}/${event.total} done`;
}

function count(outcomes: readonly ChangeOutcome[], action: ChangeAction): number {
  return outcomes.filter((o) => o.action === action).length;
}

/** The end of an apply, for people (`text`) or machines (`json`, see ApplyResultJson). Ends with a newline. */
export function renderApplyResult(
  result: ApplyResult,
  options: RenderApplyOptions & { format: ApplyFormat },
): string {
  return options.format === 'json'
    ? `${canonicalJson(applyResultToJson(result), 2)}\n`
    : renderApplyText(result, painter(options.color));
}

function renderApplyText(result: ApplyResult, paint: Paint): string {
  const total = result.applied.length + result.failed.length + result.notAttempted.length;
  const stats = `${formatMs(result.durationMs)}, ${result.requests} request${result.requests === 1 ? '' : 's'}`;
  const done = `${count(result.applied, 'create')} created, ${count(result.applied, 'update')} updated, ${count(result.applied, 'delete')} deleted`;
  if (result.status === 'applied') {
    if (total === 0) return `${paint('bold', 'Apply complete: no changes.')}\n`;
    return `${paint('bold', `Apply complete: ${done}`)} (${stats}).\n`;
  }
  const lines: string[] = [];
  const head = HEAD[result.status];
  lines.push(
    `${paint('red', paint('bold', head))} ${result.applied.length} of ${total} changes applied (${done}), ${result.failed.length} failed, ${result.notAttempted.length} not attempted (${stats}).`,
  );
  if (result.applied.length > 0) {
    lines.push('', 'Applied:');
    for (const o of result.applied) lines.push(`  ${outcomeLine(o, paint, false)}`);
  }
  if (result.failed.length > 0) {
    lines.push('', 'Failed:');
    for (const o of result.failed) lines.push(`  ${outcomeLine(o, paint, false)}`);
  }
  if (result.notAttempted.length > 0) {
    lines.push('', 'Not attempted:');
    for (const c of result.notAttempted) lines.push(`  ${changeLine(c, paint)}`);
  }
  lines.push('', adviceFor(result.status));
  return `${lines.join('\n')}\n`;
}

const HEAD: Readonly<Record<Exclude<ApplyResult['status'], 'applied'>, string>> = {
  failed: 'Apply failed.',
  stale: 'Apply stopped: the plan is out of date.',
  interrupted: 'Apply interrupted: no new change was started; the changes in flight finished.',
};

function adviceFor(status: Exclude<ApplyResult['status'], 'applied'>): string {
  return status === 'stale' ? STALE_ADVICE : status === 'interrupted' ? INTERRUPTED_ADVICE : APPLY_ADVICE;
}

/** The JSON form of an apply result (`apply --format json`). `formatVersion` is bumped on any breaking change. */
export interface ApplyResultJson {
  formatVersion: 1;
  status: ApplyResult['status'];
  summary: {
    created: number;
    updated: number;
    deleted: number;
    failed: number;
    notAttempted: number;
  };
  applied: ChangeOutcome[];
  failed: ChangeOutcome[];
  notAttempted: { kind: Kind; key: string; action: ChangeAction }[];
  durationMs: number;
  requests: number;
  retries: number;
  rateLimited: number;
  /** What to do next; absent when everything was applied. */
  advice?: string;
}

function outcomeJson(o: ChangeOutcome): ChangeOutcome {
  return {
    kind: o.kind,
    key: o.key,
    action: o.action,
    status: o.status,
    ...(o.id !== undefined ? { id: o.id } : {}),
    ...(o.version !== undefined ? { version: o.version } : {}),
    durationMs: o.durationMs,
    ...(o.resolution !== undefined ? { resolution: o.resolution } : {}),
    ...(o.error !== undefined ? { error: { code: o.error.code, message: o.error.message } } : {}),
  };
}

export function applyResultToJson(result: ApplyResult): ApplyResultJson {
  return {
    formatVersion: 1,
    status: result.status,
    summary: {
      created: count(result.applied, 'create'),
      updated: count(result.applied, 'update'),
      deleted: count(result.applied, 'delete'),
      failed: result.failed.length,
      notAttempted: result.notAttempted.length,
    },
    applied: result.applied.map(outcomeJson),
    failed: result.failed.map(outcomeJson),
    notAttempted: result.notAttempted.map((c) => ({ kind: c.kind, key: c.key, action: c.type })),
    durationMs: result.durationMs,
    requests: result.requests,
    retries: result.retries,
    rateLimited: result.rateLimited,
    ...(result.status === 'applied' ? {} : { advice: adviceFor(result.status) }),
  };
}
