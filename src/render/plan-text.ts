import { KIND_LABEL, labelOf } from '../kinds/index.js';
import type { Change, FieldChange, Plan, SecretReason, UnsafeReason } from '../model/plan.js';
import { redactUrlsIn } from '../model/redact.js';
import { SENSITIVE } from '../model/secret.js';
import { describePlanEnvironment, describeTarget } from '../model/target.js';
import { compareStrings, orderFields } from '../plan/diff.js';
import { isSecretAdoption } from '../plan/index.js';
import { CHANGE_STYLE, CHANGE_SYMBOL, type Paint } from './ansi.js';
import { canonicalJson } from './canonical-json.js';
import { escapeText } from './escape.js';
import { DISABLED_BY_M3TER, healthLines } from './link-health.js';
import { isPlainObject } from '../model/object.js';

export const NO_CHANGES = 'No changes. Live state matches the configuration.';

function isSensitive(v: unknown): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    (v as { sensitive?: unknown }).sensitive === true
  );
}

/**
 * One value as shown to people: JSON literals (strings quoted and escaped, and bidi or C1 characters, which JSON
 * leaves alone, escaped by escapeText), `(sensitive)` for a secret, and a URL's user info (`user:password@`, which
 * a live webhook may hold) masked.
 */
export function formatValue(v: unknown): string {
  return isSensitive(v) ? SENSITIVE : escapeText(canonicalJson(redactUrlsIn(v)));
}

/** `webhook "billing"`, `notification rule "low_balance"`, `link "r->w"`. */
export function changeTitle(c: Change): string {
  return escapeText(labelOf(c.kind, c.key));
}

/** The `name: value` lines of a create: every attribute, nested settings flattened, then each secret by name. */
function createLines(c: Change & { type: 'create' }): string[] {
  const attrs = c.desired.attributes as unknown as Record<string, unknown>;
  const lines: string[] = [];
  for (const field of orderFields(c.kind, Object.keys(attrs))) {
    const v = attrs[field];
    if (v === undefined) continue;
    if (isPlainObject(v)) {
      for (const name of Object.keys(v).sort(compareStrings)) {
        lines.push(`${field}.${name}: ${formatValue(v[name])}`);
      }
    } else {
      lines.push(`${field}: ${formatValue(v)}`);
    }
  }
  for (const name of Object.keys(c.desired.secrets ?? {}).sort(compareStrings)) {
    lines.push(`secrets.${name}: ${SENSITIVE}`);
  }
  return lines;
}

/** Why secrets are sent, as a plan says it. */
export const SECRET_REASON_TEXT: Readonly<Record<SecretReason, string>> = {
  adopt:
    "adopt secret: m3ter-config has not written this entity's secrets before (m3ter never returns them); apply sends the files' values and records their fingerprint",
  changed: "changed secret: the files' values differ from those last applied",
  rotate: 're-sent secrets (--rotate-secrets, or with the other changes)',
};

function fieldLine(f: FieldChange): string {
  const why = f.reason ? `  (${SECRET_REASON_TEXT[f.reason]})` : '';
  return `${f.field}: ${formatValue(f.from)} -> ${formatValue(f.to)}${why}`;
}

/** The field lines under a change's title, without indentation. */
export function changeFieldLines(c: Change): string[] {
  if (c.type === 'create') return createLines(c);
  if (c.type === 'update') {
    const lines = c.fields.map(fieldLine);
    if (!c.health) return lines;
    // The re-enable of a link m3ter disabled: labelled, with why (as drift says it) under it.
    return [
      ...lines.map((l, i) =>
        c.fields[i]?.field === 'active' ? `${l}  (re-enable: ${DISABLED_BY_M3TER})` : l,
      ),
      ...healthLines(c.health).map((l) => `  ${l}`),
    ];
  }
  const of = c.live.live.duplicateOf;
  return of === undefined
    ? []
    : [
        `copy of ${JSON.stringify(of)}: the oldest keeps the key; copies are removed outside the delete budget`,
      ];
}

/** A change as a block of lines: the title, then its fields indented by four spaces. */
export function changeBlock(c: Change, paint: Paint): string[] {
  const symbol = paint(CHANGE_STYLE[c.type], CHANGE_SYMBOL[c.type]);
  return [`${symbol} ${changeTitle(c)}`, ...changeFieldLines(c).map((l) => `    ${l}`)];
}

export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  const adoptions = plan.changes.filter(isSecretAdoption).length;
  const only =
    adoptions === 0 ? '' : ` (${adoptions === s.update ? 'all' : adoptions} only adopting secrets)`;
  return plan.changes.length === 0
    ? NO_CHANGES
    : `Plan: ${s.create} to create, ${s.update} to update${only}, ${s.delete} to delete.`;
}

export function unsafeHeadline(unsafe: readonly UnsafeReason[]): string {
  const n = unsafe.length;
  return `Unsafe plan: ${n} safety rule${n === 1 ? '' : 's'} tripped; it will not be applied as it is.`;
}

export function renderPlanText(plan: Plan, paint: Paint): string {
  const env = describePlanEnvironment(plan);
  const target = `${describeTarget(plan.target)}${env ? ` (${env})` : ''}`;
  const out: string[] = [`Target: ${escapeText(target, { newlines: false })}`];
  const managed = plan.managedKinds.map((k) => KIND_LABEL[k]).join(', ');
  out.push(paint('dim', `Managed kinds: ${managed || '(none)'}; other kinds are not touched.`));
  for (const c of plan.changes) out.push('', ...changeBlock(c, paint));
  if (plan.unsafe.length > 0) {
    out.push('', paint('red', paint('bold', unsafeHeadline(plan.unsafe))));
    for (const u of plan.unsafe)
      out.push(
        `${paint('red', '!')} ${escapeText(u.message, { newlines: false })}`,
        `    ${escapeText(u.hint, { newlines: false })}`,
      );
  }
  out.push('', paint('bold', summaryLine(plan)));
  return `${out.join('\n')}\n`;
}
