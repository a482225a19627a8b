import { CONFIG_SECTION, KIND_LABEL } from '../kinds/index.js';
import { M3terConfigError } from '../model/errors.js';
import type { Kind } from '../model/kinds.js';

/** The formats some kinds cannot be written in yet. */
export type PartialFormat = 'tf-json' | 'stack';

/**
 * The kinds each format cannot hold yet: a config or an org holding them is refused with one error, never written
 * with them left out (a plan of the output would delete them) nor written as another kind.
 */
const NOT_YET: Readonly<Record<PartialFormat, readonly Kind[]>> = {
  'tf-json': ['scheduledEvent'],
  stack: ['scheduledEvent'],
};

const WHAT: Readonly<Record<PartialFormat, { name: string; instead: string }>> = {
  'tf-json': {
    name: 'Terraform JSON (export --format tf-json)',
    instead: 'keep these files as YAML, or move the section to files that are not exported',
  },
  stack: {
    name: 'a CDKTF / CDK Terrain stack (import --format ts)',
    instead: 'import as YAML, or leave the section out with --kinds',
  },
};

/** Throws when `kinds` holds one the format cannot write yet. */
export function refuseUnsupportedKinds(format: PartialFormat, kinds: Iterable<Kind>): void {
  const found = new Set(kinds);
  const refused = NOT_YET[format].filter((k) => found.has(k));
  if (refused.length === 0) return;
  const { name, instead } = WHAT[format];
  throw new M3terConfigError(
    'kind_not_supported',
    `${name} cannot hold ${refused.map((k) => `${KIND_LABEL[k]}s`).join(' or ')} yet; nothing was written. ` +
      `The ${refused.map((k) => `\`${CONFIG_SECTION[k]}\``).join(' and ')} section: ${instead}`,
    { format, kinds: [...refused] },
  );
}
