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

/** The fields of an environment's `target`. */
export const TARGET_FIELDS = ['apiKey', 'apiSecret', 'baseUrl'] as const;

const ENVIRONMENT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ORG_ID = /^[^\s/?#]+$/;
const ENVIRONMENT_PROPS = new Set(['name', 'orgId', 'production', 'target']);

/**
 * Checks an environment's props by the rules of the YAML config's `environments:` entries. A `target` field that is
 * not `{ env: NAME }` may be the key or secret itself: it is never echoed.
 */
export function checkEnvironment(props: object): Issue[] {
  const p = props as Record<string, unknown>;
  const issues: Issue[] = [];
  const name = typeof p['name'] === 'string' ? p['name'] : '';
  const base = `/environments/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const add = (prop: string, code: string, message: string, hint: string): void => {
    issues.push({
      severity: 'error',
      code,
      file: 'construct',
      line: 0,
      col: 0,
      pointer: `${base}/${prop}`,
      message,
      hint,
    });
  };
  if (!ENVIRONMENT_NAME.test(name))
    add(
      'name',
      'bad_environment_name',
      typeof p['name'] === 'string'
        ? `environment name ${JSON.stringify(name)} is not allowed`
        : 'an environment needs a name',
      'an environment name starts with a letter and holds letters, digits, `_` and `-` (at most 63 characters), so it is safe in a file name',
    );
  for (const k of Object.keys(p))
    if (!ENVIRONMENT_PROPS.has(k))
      add(
        k,
        'unknown_property',
        `unknown prop ${JSON.stringify(k)}`,
        'an environment has name, orgId, production and target',
      );
  const orgId = p['orgId'];
  if (typeof orgId !== 'string' || !ORG_ID.test(orgId) || orgId.includes('${'))
    add(
      'orgId',
      'bad_org_id',
      typeof orgId === 'string'
        ? `${JSON.stringify(orgId)} is not an org id`
        : 'an environment needs the orgId it targets',
      "write the org's id as m3ter shows it (a literal, not a Terraform variable), without spaces, `/`, `?` or `#`",
    );
  if (typeof p['production'] !== 'boolean')
    add(
      'production',
      'bad_production',
      'production must be true or false',
      'say whether the org is m3ter’s PRODUCTION kind of org (true) or a SANDBOX org (false)',
    );
  const target = p['target'];
  if (target !== undefined && (!target || typeof target !== 'object' || Array.isArray(target)))
    add('target', 'bad_target', 'target must be an object', 'write target: { apiKey: { env: NAME }, ... }');
  else if (target !== undefined) checkTarget(target as Record<string, unknown>, add);
  // The section's schema has the last word: a rule it gains holds for the construct too (what is found above is
  // not reported twice, and a value is not echoed from there).
  const { name: _name, ...entry } = JSON.parse(JSON.stringify(p)) as Record<string, unknown>;
  const reported = (pointer: string) =>
    issues.some(
      (i) =>
        pointer === i.pointer || pointer.startsWith(`${i.pointer}/`) || i.pointer.startsWith(`${pointer}/`),
    );
  for (const i of validateConfigData({ environments: { e: entry } })) {
    const pointer = i.pointer.replace(/^\/environments\/e(?=\/|$)/, base);
    if (i.severity === 'error' && pointer !== i.pointer && !reported(pointer))
      issues.push({ ...i, pointer, file: 'construct', line: 0, col: 0 });
  }
  return issues;
}

function checkTarget(
  target: Record<string, unknown>,
  add: (prop: string, code: string, message: string, hint: string) => void,
): void {
  for (const [k, ref] of Object.entries(target as Record<string, unknown>)) {
    if (!(TARGET_FIELDS as readonly string[]).includes(k)) {
      add(
        `target/${k}`,
        'unknown_property',
        `unknown target field ${JSON.stringify(k)}`,
        `a target has ${TARGET_FIELDS.join(', ')}`,
      );
      continue;
    }
    if (ref === undefined) continue;
    const env =
      ref && typeof ref === 'object' && !Array.isArray(ref) && Object.keys(ref).length === 1
        ? (ref as Record<string, unknown>)['env']
        : undefined;
    if (typeof env !== 'string')
      add(
        `target/${k}`,
        'literal_secret',
        `target.${k} must name an environment variable as { env: NAME }`,
        `write ${k}: { env: 'NAME' } and set NAME where m3ter-config runs; a value written here would end up in the synth output`,
      );
    else if (!ENV_NAME.test(env))
      add(
        `target/${k}/env`,
        'bad_env_name',
        'not an environment variable name (the value is not shown: it may be a secret pasted by mistake)',
        'variable names use letters, digits and _, and do not start with a digit',
      );
  }
}
