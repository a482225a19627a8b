import type { Issue } from '../model/errors.js';
import { CONFIG_SECTION } from '../kinds/index.js';
import type { Kind } from '../model/kinds.js';
import { DECLARE_KINDS } from '../load/declare-kinds.js';
import { parseYaml } from '../load/yaml.js';
import { validateConfigData } from '../schema/issues.js';
import { parsePointer } from '../schema/pointer.js';

/** A construct's props broke a rule of the YAML loader: every problem, each naming the construct path and the prop. */
export class M3terConstructError extends Error {
  override readonly name = 'M3terConstructError';
  readonly code = 'invalid_construct';
  constructor(
    readonly path: string,
    readonly issues: readonly Issue[],
  ) {
    super(
      `${path}: ${issues.length === 1 ? 'invalid props' : `${issues.length} problems`}\n` +
        issues.map((i) => `  ${describe(path, i)}`).join('\n'),
    );
  }
}

/** `root/ops.url: message (hint)`: the construct path, then the prop the issue is about. */
export function describe(path: string, issue: Issue): string {
  // `/webhooks/0/url` names the prop `url`; `/ignore/links/0` (the Ignore construct's) names `links.0`.
  const parts = parsePointer(issue.pointer);
  const prop = parts.slice(parts[0] === 'ignore' ? 1 : 2).join('.');
  return `${path}${prop ? `.${prop}` : ''}: ${issue.message}${issue.hint ? ` (${issue.hint})` : ''}`;
}

/** Variables never set here: secrets are read at plan time, so their absence is not a construct's mistake. */
const ENV_CODES = new Set(['missing_env', 'empty_env']);

/**
 * Checks one entry, written as the YAML config would hold it, with the YAML loader's own code (the schema, then the
 * kind's declare function: code derivation, event-name shape, URLs, credential types and fields). Returns the
 * issues; references across entries are checked at synth and by `m3ter-config validate`.
 */
export function checkEntry(kind: Kind, item: object): Issue[] {
  const section = CONFIG_SECTION[kind];
  // As it would be written in a file: undefined props are absent.
  const entry = JSON.parse(JSON.stringify(item)) as object;
  const data = { [section]: [entry] };
  const parsed = parseYaml('construct', JSON.stringify(data));
  const issues: Issue[] = validateConfigData(data).map(({ at: _at, ...rest }) => ({
    ...rest,
    file: 'construct',
    line: 0,
    col: 0,
  }));
  const hasErrorUnder = (p: string) =>
    issues.some((i) => i.severity === 'error' && (i.pointer === p || i.pointer.startsWith(`${p}/`)));
  DECLARE_KINDS[kind].declare(
    { parsed, env: {}, policy: 'warning', issues },
    `/${section}/0`,
    entry,
    (p) => !hasErrorUnder(p),
  );
  return issues.filter((i) => !ENV_CODES.has(i.code));
}
