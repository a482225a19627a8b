import { createHash } from 'node:crypto';
import { M3terConfigError } from '../model/errors.js';
import type { Plan } from '../model/plan.js';
import { Secret } from '../model/secret.js';
import { canonicalJson } from '../render/canonical-json.js';
import { type PlanJson, planFromJson, planToJson } from '../render/plan-json.js';
import { savedPlanValidator } from '../schema/validators.js';

/**
 * Saved plans (`plan --out FILE`, `apply FILE`): octoDNS-style, you apply exactly what was reviewed.
 *
 * The file is canonical JSON (sorted keys, two-space indent) holding the plan's JSON form (render/plan-json.ts, the
 * same document as `plan --format json`), a `formatVersion`, and a SHA-256 checksum of the plan's canonical
 * serialisation. No secret value is ever written: each secret appears as `{sensitive: true, env: NAME}` and is read
 * again from the environment when the plan is loaded, every missing variable named before anything is sent.
 *
 * The checksum catches edits and corruption, not a forger who recomputes it: a saved plan is as trusted as the place
 * it is stored. Before the first write, apply also re-reads everything the plan touches (checkPlanIsCurrent).
 */

export const SAVED_PLAN_FORMAT_VERSION = 1;
const FILE_KIND = 'm3ter-config-saved-plan';

export interface SavedPlanFile {
  kind: typeof FILE_KIND;
  formatVersion: typeof SAVED_PLAN_FORMAT_VERSION;
  /** `sha256:<hex>` of the canonical JSON of `plan`. */
  checksum: string;
  plan: PlanJson;
}

/** A saved plan that cannot be used: unreadable, edited, from another version, or missing a secret. */
export class SavedPlanError extends M3terConfigError {}

function checksumOf(planJson: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(planJson), 'utf8').digest('hex')}`;
}

/** The text of a saved plan file (ends with a newline). */
export function writeSavedPlan(plan: Plan): string {
  const json = planToJson(plan);
  const file: SavedPlanFile = {
    kind: FILE_KIND,
    formatVersion: SAVED_PLAN_FORMAT_VERSION,
    checksum: checksumOf(json),
    plan: json,
  };
  return `${canonicalJson(file, 2)}\n`;
}

/**
 * Reads a saved plan: checks its format, its shape against schemas/saved-plan.schema.json (every change against the
 * attributes of its kind), and its checksum (`plan_checksum_mismatch`); rebuilds the plan (render/plan-json.ts,
 * beside the writer) and resolves every secret from `env` (`plan_secret_missing`, naming each missing variable).
 * Nothing is sent anywhere.
 */
export function readSavedPlan(text: string, env: Readonly<Record<string, string | undefined>>): Plan {
  const { plan, missing } = planFromJson(checkedSavedPlan(text).plan, (ref) => {
    const value = env[ref.env];
    return value === undefined || value === '' ? undefined : new Secret(ref.env, value);
  });
  if (missing.length > 0) {
    throw new SavedPlanError(
      'plan_secret_missing',
      `the saved plan needs secret${missing.length > 1 ? 's' : ''} from the environment: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set. Set ${missing.length > 1 ? 'them' : 'it'} and apply again; nothing was sent.`,
      { missing },
    );
  }
  return plan;
}

/**
 * A saved plan for looking at, not applying (`graph --plan FILE`): the same checks as {@link readSavedPlan}, but no
 * secret is read; each is an empty placeholder that must never be sent.
 */
export function readSavedPlanForDisplay(text: string): Plan {
  return planFromJson(checkedSavedPlan(text).plan, (ref) => new Secret(ref.env, '')).plan;
}

/** The saved plan file, its format, checksum and shape checked. */
function checkedSavedPlan(text: string): SavedPlanFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new SavedPlanError('plan_invalid', `the saved plan is not JSON: ${(error as Error).message}`);
  }
  const head =
    typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? new Map(Object.entries(doc)) : undefined;
  if (head?.get('kind') !== FILE_KIND) {
    throw new SavedPlanError(
      'plan_invalid',
      'this file is not an m3ter-config saved plan (see `plan --out`)',
    );
  }
  if (head.get('formatVersion') !== SAVED_PLAN_FORMAT_VERSION) {
    throw new SavedPlanError(
      'plan_format_unsupported',
      `the saved plan has formatVersion ${JSON.stringify(head.get('formatVersion'))}; this m3ter-config reads ${SAVED_PLAN_FORMAT_VERSION}. Plan again with this version.`,
    );
  }
  const checksum = head.get('checksum');
  if (typeof checksum !== 'string' || checksum !== checksumOf(head.get('plan'))) {
    throw new SavedPlanError(
      'plan_checksum_mismatch',
      'the saved plan does not match its checksum: it was edited or damaged after `plan --out` wrote it. Plan again.',
    );
  }
  const validate = savedPlanValidator<SavedPlanFile>();
  if (!validate(doc)) {
    const first = validate.errors?.[0];
    const pointer = first?.instancePath ?? '';
    throw new SavedPlanError(
      'plan_invalid',
      `the saved plan is malformed at ${pointer || '/'}: ${first?.message ?? 'not a saved plan'}`,
      { pointer },
    );
  }
  return doc;
}
