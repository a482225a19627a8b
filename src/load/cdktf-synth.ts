import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Issue } from '../model/errors.js';
import { CONFIG_SECTION, KINDS_TOP_DOWN, specOf } from '../kinds/index.js';
import { KINDS, type Kind } from '../model/kinds.js';
import type { SourceRef } from '../model/resource.js';
import { childPointer, parsePointer } from '../schema/pointer.js';
import { mergeEnv, readEnvFiles } from './env-file.js';
import { ENVIRONMENTS_SECTION } from './environments.js';
import { displayPath } from './files.js';
import { type LoadOptions, type LoadResult, loadConfig } from './load-config.js';
import { readTextFile } from './text.js';
import { locate, type ParsedFile, parseYaml } from './yaml.js';
import { pushAll } from '../model/array.js';
import { unescapeTemplate } from '../model/tf-template.js';
import {
  isObj,
  kindOfResource,
  META_POINTER,
  type Obj,
  type Origin,
  SYNTH_KINDS,
  SYNTH_META_KEY,
  type SynthContext,
  type SynthResource,
  VAR,
  whoOf,
} from './synth-kinds.js';

export { SYNTH_META_KEY } from './synth-kinds.js';

/**
 * CDKTF and CDK Terrain synth output as a config source. A `cdk.tf.json` (or any `*.tf.json`), a stack folder
 * (`cdktf.out/stacks/<name>`) or a `cdktf.out` folder (with `stack`) is translated into the YAML config's data shape
 * and loaded by the YAML loader itself, so the rules are the same; every issue is then placed back on the synth
 * file, named by the construct path (and the user's source line when the synth output records one).
 *
 * What is read (README "CDKTF and CDK Terrain"):
 * - `resource.m3ter_webhook`, `resource.m3ter_notification_configuration` and `resource.m3ter_integration_configuration`
 *   (a Notification→Webhook one is a link), whoever wrote them: m3ter-config's constructs or `cdktf get` bindings;
 * - every string is a Terraform template: `$${` and `%%{` are a literal `${` and `%{`; `${var.X}` of a variable the
 *   file declares takes TF_VAR_X (or its default, except for a secret); a secret must be a sensitive
 *   variable; `${m3ter_webhook.x.id}` and `${m3ter_notification_configuration.x.id}` name the resources in the file;
 * - what m3ter's provider has no resource for sits under `"//"`, which Terraform's JSON syntax ignores: credentials
 *   at the root (`"//": {"m3ter-config": {"credentials": {...}}}`), `ignore` patterns there too, in the YAML config's
 *   shape (`"//": {"m3ter-config": {"ignore": {"webhooks": ["legacy_*"]}}}`), and a link's or integration's `active` and an
 *   integration's credential under the resource's own `"//": {"m3ter-config": {...}}`.
 */

export interface SynthLoadOptions extends LoadOptions {
  /** The stack to read from a `cdktf.out` folder holding several. */
  stack?: string;
}

interface Translation {
  file: string;
  /** The config document (YAML data shape) as JSON text. */
  text: string;
  parsed: ParsedFile;
  origins: Map<string, Origin>;
  /** Entries with a secret the reader refused: the loader's `required` for that secret is the same mistake. */
  refused: Set<string>;
  issues: Issue[];
}

/** Names from files, quoted as JSON strings (a hand-written stack may name anything). */
const quoted = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(', ');

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** True when a path is synth output rather than YAML: a `*.tf.json` file, or a folder with cdk.tf.json or manifest.json. */
async function synthFilesOf(
  abs: string,
  given: string,
  stack: string | undefined,
  environment: string | undefined,
): Promise<{ files: string[] } | { issue: Omit<Issue, 'file'> } | undefined> {
  const st = await stat(abs).catch(() => undefined);
  if (!st) return undefined;
  if (st.isFile()) return abs.endsWith('.tf.json') ? { files: [abs] } : undefined;
  if (!st.isDirectory()) return undefined;
  const has = async (name: string) => (await stat(path.join(abs, name)).catch(() => undefined))?.isFile();
  if (await has('cdk.tf.json')) return { files: [path.join(abs, 'cdk.tf.json')] };
  if (!(await has('manifest.json'))) return undefined;
  const stacksDir = path.join(abs, 'stacks');
  const stacks = (await readdir(stacksDir, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const issue = (code: string, message: string, hint: string) => ({
    issue: { severity: 'error' as const, code, line: 0, col: 0, pointer: '', message, hint },
  });
  const fileOf = (name: string) => path.join(stacksDir, name, 'cdk.tf.json');
  // With environments, a stack is chosen by the environment it names (one stack per environment).
  const named = new Map<string, string | undefined>();
  if (environment !== undefined || (stack === undefined && stacks.length > 1))
    for (const name of stacks) named.set(name, await environmentOfStack(fileOf(name)));
  const naming = (env: string) => stacks.filter((name) => named.get(name) === env);
  const environments = [...new Set([...named.values()].filter((e) => e !== undefined))].sort();
  if (stack !== undefined) {
    if (!stacks.includes(stack))
      return issue(
        'unknown_stack',
        `${given} has no stack ${JSON.stringify(stack)}`,
        stacks.length > 0 ? `its stacks: ${stacks.join(', ')}` : 'run the app (npm run synth) first',
      );
    const its = named.get(stack);
    if (environment !== undefined && its !== undefined && its !== environment) {
      const other = naming(environment);
      return issue(
        'stack_environment_mismatch',
        `stack ${JSON.stringify(stack)} is for environment ${JSON.stringify(its)}, not ${JSON.stringify(environment)}`,
        other.length > 0
          ? `stack ${quoted(other)} names environment ${JSON.stringify(environment)}: pass --stack ${other[0] ?? ''}, or leave --stack out`
          : `run with --env ${its}, or leave --stack out`,
      );
    }
    return { files: [fileOf(stack)] };
  }
  if (environment !== undefined && stacks.length > 0) {
    const found = naming(environment);
    const only = found[0];
    if (found.length === 1 && only !== undefined) return { files: [fileOf(only)] };
    if (found.length > 1)
      return issue(
        'environment_in_several_stacks',
        `${found.length} stacks of ${given} name environment ${JSON.stringify(environment)}: ${quoted(found)}`,
        'a stack is for one environment and an environment has one stack: rename the environment of all but one, or pass --stack NAME',
      );
    return issue(
      'no_stack_for_environment',
      `no stack of ${given} names environment ${JSON.stringify(environment)}`,
      environments.length > 0
        ? `its stacks name ${quoted(environments)}; or add new M3terEnvironment(stack, 'env', { name: '${environment}', ... }) to the stack for it`
        : `no stack names an environment: add new M3terEnvironment(stack, 'env', { name: '${environment}', ... }) to the stack for it, or run without --env`,
    );
  }
  const only = stacks[0];
  if (stacks.length === 1 && only !== undefined) return { files: [fileOf(only)] };
  return issue(
    stacks.length === 0 ? 'no_stacks' : 'stack_required',
    stacks.length === 0 ? `${given} holds no stacks` : `${given} holds ${stacks.length} stacks`,
    stacks.length === 0
      ? 'run the app (npm run synth) first'
      : environments.length > 0
        ? `pass --env NAME (one of ${quoted(environments)}) or --stack NAME (one of ${quoted(stacks)})`
        : `pass --stack NAME (one of ${stacks.join(', ')}), or the stack folder itself`,
  );
}

/** The keys of an environment M3terEnvironment writes, besides name, path, source and orgId. */
const ENVIRONMENT_SYNTH_KEYS = new Set(['production', 'target']);

/** The environment a stack's synth output names (`"//"."m3ter-config".environment.name`); undefined when none or unreadable. */
async function environmentOfStack(file: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const comment = isObj(doc) ? doc['//'] : undefined;
  const meta = isObj(comment) ? comment[SYNTH_META_KEY] : undefined;
  const env = isObj(meta) ? meta['environment'] : undefined;
  const name = isObj(env) ? env['name'] : undefined;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Loads config files and synth output together: YAML paths go to the loader as they are; synth output is translated
 * and handed to it as documents. Without synth output this is `loadConfig`.
 */
export async function loadConfigSources(
  paths: readonly string[],
  options: SynthLoadOptions,
): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const yamlPaths: string[] = [];
  const synthFiles: { abs: string; file: string }[] = [];
  const issues: Issue[] = [];
  for (const p of paths) {
    const chosen = options.environment === '' ? undefined : options.environment;
    const found = await synthFilesOf(path.resolve(cwd, p), p, options.stack, chosen);
    if (!found) yamlPaths.push(p);
    else if ('issue' in found) issues.push({ ...found.issue, file: p });
    else for (const abs of found.files) synthFiles.push({ abs, file: displayPath(abs, cwd) });
  }
  if (synthFiles.length === 0 && issues.length === 0) return loadConfig(paths, options);
  // Which stack to read could not be decided: that is the one thing to fix (loading the rest would only add errors
  // about the environment the stack was to name).
  if (issues.length > 0 && options.environment !== undefined && options.environment !== '')
    return { state: undefined, issues, files: [] };

  let env = options.env;
  if (options.envFiles && options.envFiles.length > 0) {
    const fromFiles = await readEnvFiles(options.envFiles, cwd);
    pushAll(issues, fromFiles.issues);
    env = mergeEnv(fromFiles.env, options.env);
  }
  const translations: Translation[] = [];
  for (const { abs, file } of synthFiles) {
    const read = await readTextFile(abs, file);
    if ('issue' in read) issues.push(read.issue);
    else translations.push(translateSynth(file, read.text, env));
  }
  const { envFiles: _envFiles, ...rest } = options;
  const loaded = await loadConfig(yamlPaths, {
    ...rest,
    env,
    // Terraform's escapes are undone by the translation: its strings are literal text.
    documents: translations.map((t) => ({ file: t.file, text: t.text, literal: true })),
  });
  const byFile = new Map(translations.map((t) => [t.file, t]));
  const placed = loaded.issues.flatMap((i) => {
    const t = byFile.get(i.file);
    if (!t) return [i];
    if (i.code === 'required' && t.refused.has(originOf(t, i.pointer)?.key ?? '')) return [];
    return [placeIssue(t, i)];
  });
  for (const t of translations) pushAll(placed, t.issues);
  pushAll(placed, issues);
  if (loaded.state) {
    for (const map of Object.values(loaded.state.resources))
      for (const r of map.values()) {
        const t = byFile.get(r.source.file);
        if (t) r.source = placeSource(t, r.source);
      }
    const environment = loaded.state.environment;
    const at = environment && byFile.get(environment.source.file);
    if (environment && at) environment.source = placeSource(at, environment.source);
    for (const map of Object.values(loaded.state.ignoreSources ?? {}))
      for (const [pattern, at] of map) {
        const t = byFile.get(at.file);
        if (t) map.set(pattern, placeSource(t, at));
      }
  }
  const order = new Map<string, number>(loaded.files.map((f, n) => [f, n]));
  const rank = (i: Issue) => order.get(i.file) ?? -1;
  placed.sort((a, b) => rank(a) - rank(b) || a.line - b.line || a.col - b.col);
  const ok = !placed.some((i) => i.severity === 'error');
  return { state: ok ? loaded.state : undefined, issues: placed, files: loaded.files };
}

function originOf(t: Translation, pointer: string): { key: string; origin: Origin } | undefined {
  const parts = parsePointer(pointer);
  // `ignore` is one origin, copied as it is; every other section has one origin per entry.
  const key =
    parts[0] === 'ignore'
      ? '/ignore'
      : parts[0] === ENVIRONMENTS_SECTION
        ? childPointer(`/${ENVIRONMENTS_SECTION}`, parts[1] ?? '').replace(/\/$/, '')
        : parts.length >= 2
          ? `/${parts[0]}/${parts[1]}`
          : undefined;
  const origin = key === undefined ? undefined : t.origins.get(key);
  return origin && key ? { key, origin } : undefined;
}

/** The pointer in the synth file for a pointer in the translated document. */
function synthPointer(t: Translation, pointer: string): { pointer: string; origin: Origin } | undefined {
  const found = originOf(t, pointer);
  if (!found) return undefined;
  const rest = parsePointer(pointer).slice(parsePointer(found.key).length);
  const first = rest[0];
  let out = found.origin.pointer;
  if (found.origin.verbatim) for (const part of rest) out = childPointer(out, part);
  else if (first !== undefined) {
    const mapped = found.origin.fields[first];
    out = mapped !== undefined ? out + mapped : childPointer(out, snake(first));
    for (const part of rest.slice(1)) out = childPointer(out, snake(part));
  }
  return { pointer: out, origin: found.origin };
}

function placeIssue(t: Translation, issue: Issue): Issue {
  const found = synthPointer(t, issue.pointer);
  if (!found) return { ...issue, line: 1, col: 1, pointer: '' };
  const { origin } = found;
  const who = origin.source ? `${origin.path} (${origin.source})` : origin.path;
  return {
    ...issue,
    ...locate(t.parsed, found.pointer),
    pointer: found.pointer,
    message: `${who}: ${issue.message}`,
  };
}

function placeSource(t: Translation, source: SourceRef): SourceRef {
  const found = synthPointer(t, source.pointer);
  if (!found) return source;
  return { file: t.file, ...locate(t.parsed, found.pointer), pointer: found.pointer };
}

/** Translates one synth file into the YAML config's data shape. Pure; issues are already placed. */
export function translateSynth(
  file: string,
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): Translation {
  const parsed = parseYaml(file, text);
  const issues: Issue[] = [...parsed.issues];
  const origins = new Map<string, Origin>();
  const sections: Partial<Record<Kind, unknown[]>> = {};
  const refused = new Set<string>();
  let refusedHere = false;
  const t: Translation = { file, text: '{}', parsed, origins, refused, issues };
  const root = parsed.data;
  if (!isObj(root)) {
    if (parsed.issues.length === 0)
      issues.push({
        severity: 'error',
        code: 'bad_synth_output',
        file,
        line: 1,
        col: 1,
        pointer: '',
        message: 'the file is not a Terraform JSON object',
        hint: 'point at cdktf.out/stacks/<stack>/cdk.tf.json as written by `cdktf synth` or by running the app',
      });
    return t;
  }
  const variables = isObj(root['variable']) ? root['variable'] : {};
  const resources = isObj(root['resource']) ? root['resource'] : {};

  const issueAt: SynthContext['issueAt'] = (severity, code, pointer, who, message, hint) => {
    issues.push({
      severity,
      code,
      file,
      ...locate(parsed, pointer),
      pointer,
      message: `${who}: ${message}`,
      ...(hint ? { hint } : {}),
    });
  };

  /** What holds for every resource: m3ter sets its id and version, and the org is the target's. */
  const checkResource = (pointer: string, value: Obj, who: string) => {
    const at = (attr: string) => childPointer(pointer, attr);
    if (value['org_id'] !== undefined)
      issueAt(
        'warning',
        'ignored_org_id',
        at('org_id'),
        who,
        'org_id is ignored: m3ter-config applies every resource to the target org',
        'remove it (the provider deprecates it too) and choose the org with M3TER_ORG_ID or --org-id',
      );
    for (const attr of ['id', 'version'])
      if (value[attr] !== undefined)
        issueAt(
          'error',
          'computed_attribute',
          at(attr),
          who,
          `${attr} is set by m3ter; it cannot be configured`,
        );
  };

  const add = (kind: Kind, item: Obj, origin: Origin) => {
    const list = (sections[kind] ??= []);
    const key = `/${CONFIG_SECTION[kind]}/${list.length}`;
    origins.set(key, origin);
    if (refusedHere) refused.add(key);
    refusedHere = false;
    list.push(item);
  };

  const originFor = (pointer: string, value: Obj, fallback: string, fields: Record<string, string> = {}) => {
    const comment = isObj(value['//']) ? value['//'] : {};
    const metadata = isObj(comment['metadata']) ? comment['metadata'] : {};
    const own = isObj(comment[SYNTH_META_KEY]) ? comment[SYNTH_META_KEY] : {};
    return {
      pointer,
      path:
        typeof own['path'] === 'string'
          ? own['path']
          : typeof metadata['path'] === 'string'
            ? metadata['path']
            : fallback,
      source: typeof own['source'] === 'string' ? own['source'] : undefined,
      fields,
      own,
    };
  };

  /**
   * A plain value: a literal (Terraform's `$${` and `%%{` escapes undone), or `${var.X}` of a variable this file
   * declares, from TF_VAR_X or its default; any other interpolation or directive is refused.
   */
  const plain = (v: unknown, pointer: string, who: string): unknown => {
    if (typeof v !== 'string') return v;
    const m = VAR.exec(v);
    if (!m?.[1]) {
      const literal = unescapeTemplate(v);
      if (literal !== undefined) return literal;
      issueAt(
        'error',
        'unsupported_expression',
        pointer,
        who,
        `${JSON.stringify(v)} is an expression m3ter-config cannot evaluate`,
        'use a literal value (write a literal `${` as `$${` and `%{` as `%%{`), a `${var.NAME}` variable, or `${m3ter_webhook.<name>.id}` / `${m3ter_notification_configuration.<name>.id}` where an id is expected',
      );
      return undefined;
    }
    const name = m[1];
    const decl = variables[name];
    if (!isObj(decl)) {
      // Only a declared variable is read: TF_VAR_<anything> from the environment never reaches m3ter by a name.
      issueAt(
        'error',
        'undeclared_variable',
        pointer,
        who,
        `variable ${name} is not declared in this stack`,
        `declare it with new TerraformVariable(stack, '${name}', ...), or write a literal \`\${\` as \`$\${\``,
      );
      return undefined;
    }
    if (decl['sensitive'] === true) {
      // A secret in a plain field would be shown in plans and sent where every Console user reads it.
      issueAt(
        'error',
        'sensitive_in_plain_field',
        pointer,
        who,
        `variable ${name} is sensitive (a secret) and this field is not: its value would be shown in plans and stored in m3ter as readable text`,
        'use a variable that is not sensitive or a literal here; a sensitive variable goes only in a credentials secret field',
      );
      return undefined;
    }
    const fromEnv = env[`TF_VAR_${name}`];
    if (fromEnv !== undefined) return fromEnv;
    if (decl['default'] !== undefined) return decl['default'];
    issueAt(
      'error',
      'missing_env',
      pointer,
      who,
      `variable ${name} has no default and TF_VAR_${name} is not set`,
      `set TF_VAR_${name}, as for Terraform`,
    );
    return undefined;
  };

  /** A secret: only a sensitive variable with no default, which becomes `{ env: TF_VAR_X }` for the loader. */
  const secret = (v: unknown, pointer: string, who: string, field: string): unknown => {
    const ref = secretRef(v, pointer, who, field);
    if (ref === undefined && v !== undefined && v !== null) refusedHere = true;
    return ref;
  };
  const secretRef = (v: unknown, pointer: string, who: string, field: string): unknown => {
    if (v === undefined || v === null) return undefined;
    const m = typeof v === 'string' ? VAR.exec(v) : null;
    const name = m?.[1];
    if (!name) {
      // The value is not echoed: it may be the secret itself.
      issueAt(
        'error',
        'literal_secret',
        pointer,
        who,
        `${field} is written as a value in the synth output; secrets may only be sensitive variables`,
        'pass a TerraformVariable declared with `sensitive: true` (its value comes from TF_VAR_<name>)',
      );
      return undefined;
    }
    const decl = variables[name];
    if (!isObj(decl)) {
      issueAt('error', 'undeclared_variable', pointer, who, `variable ${name} is not declared in this stack`);
      return undefined;
    }
    const varPointer = childPointer(childPointer('/variable', name), 'sensitive');
    if (decl['sensitive'] !== true) {
      issueAt(
        'error',
        'secret_not_sensitive',
        varPointer,
        who,
        `variable ${name} holds ${field} but is not sensitive, so Terraform would print it`,
        'declare the variable with `sensitive: true`',
      );
      return undefined;
    }
    if (decl['default'] !== undefined) {
      issueAt(
        'error',
        'literal_secret',
        childPointer(childPointer('/variable', name), 'default'),
        who,
        `variable ${name} holds ${field} and has a default value, which puts the secret in the synth output`,
        `remove the default and set TF_VAR_${name}`,
      );
      return undefined;
    }
    return { env: `TF_VAR_${name}` };
  };

  // Every resource of a type m3ter-config knows goes to one kind: the one whose API identity it has, else the one with
  // none (a Notification integration configuration is a link, any other an integration).
  const claimed = new Map<Kind, SynthResource[]>();
  for (const [type, byId] of Object.entries(resources)) {
    if (!isObj(byId)) continue;
    const typePointer = childPointer('/resource', type);
    if (!KINDS.some((k) => specOf(k).terraform.resource === type)) {
      if (type.startsWith('m3ter_'))
        issueAt(
          'warning',
          'unmanaged_resource_type',
          typePointer,
          type,
          `m3ter-config does not manage ${type}; plan and apply leave it alone`,
          'run Terraform for it, or remove it',
        );
      continue;
    }
    for (const [id, value] of Object.entries(byId)) {
      if (!isObj(value)) continue;
      const pointer = childPointer(typePointer, id);
      const kind = kindOfResource(type, value);
      if (!kind) continue;
      checkResource(pointer, value, whoOf(originFor(pointer, value, `${type}.${id}`)));
      (claimed.get(kind) ?? claimed.set(kind, []).get(kind))?.push({ type, id, value, pointer });
    }
  }

  const rootMeta = isObj(root['//']) && isObj(root['//'][SYNTH_META_KEY]) ? root['//'][SYNTH_META_KEY] : {};
  const ctx: SynthContext = {
    rootMeta,
    resourcesOf: (kind) => claimed.get(kind) ?? [],
    originFor,
    plain,
    secret,
    issueAt,
    add,
    keys: new Map(),
  };
  // Referenced kinds first: a reference names a resource read before it.
  for (const kind of KINDS_TOP_DOWN) SYNTH_KINDS[kind].read(kind, ctx);

  const data: Obj = {};
  for (const [kind, list] of Object.entries(sections)) data[CONFIG_SECTION[kind as Kind]] = list;
  // Ignore patterns, as the YAML config's `ignore` (the Ignore construct writes them): the loader checks and applies
  // them, and its issues point back here.
  if (rootMeta['ignore'] !== undefined) {
    data['ignore'] = rootMeta['ignore'];
    origins.set('/ignore', {
      pointer: `${META_POINTER}/ignore`,
      path: 'ignore',
      source: undefined,
      fields: {},
      verbatim: true,
    });
  }
  // The environment the stack is for (M3terEnvironment writes it), as the YAML config's `environments:` with one
  // entry: the loader checks it and chooses it by `--env` as it does an `environments:` section.
  const environment = rootMeta['environment'];
  if (environment !== undefined) {
    const pointer = `${META_POINTER}/environment`;
    const who =
      isObj(environment) && typeof environment['path'] === 'string' ? environment['path'] : 'environment';
    const name = isObj(environment) ? environment['name'] : undefined;
    if (!isObj(environment) || typeof name !== 'string')
      issueAt(
        'error',
        'bad_synth_environment',
        isObj(environment) ? childPointer(pointer, 'name') : pointer,
        who,
        'the environment has no name',
        "write it with new M3terEnvironment(stack, 'env', { name, orgId, production })",
      );
    else {
      const { name: _name, path: _path, source, orgId, ...rest } = environment;
      const entry: Obj = {};
      // Only what the construct writes: a stack's values are TypeScript's (no vars), and a stack includes no files.
      for (const [key, value] of Object.entries(rest)) {
        if (ENVIRONMENT_SYNTH_KEYS.has(key)) entry[key] = value;
        else
          issueAt(
            'error',
            'unknown_key',
            childPointer(pointer, key),
            who,
            `M3terEnvironment writes no ${key}: this synth file was edited by hand`,
            'synthesize the stack again',
          );
      }
      // The construct escapes literal text for Terraform, as it does a resource's strings; no expression is read here:
      // the environment is known before any variable is.
      const literal = typeof orgId === 'string' ? unescapeTemplate(orgId) : orgId;
      if (literal === undefined)
        issueAt(
          'error',
          'unsupported_expression',
          childPointer(pointer, 'orgId'),
          who,
          "an environment's orgId is a literal org id, not an expression",
          "write the org's id as m3ter shows it",
        );
      else entry['orgId'] = literal;
      data[ENVIRONMENTS_SECTION] = { [name]: entry };
      const origin: Origin = {
        pointer,
        path: who,
        source: typeof source === 'string' ? source : undefined,
        fields: {},
        verbatim: true,
      };
      origins.set(`/${ENVIRONMENTS_SECTION}`, origin);
      origins.set(childPointer(`/${ENVIRONMENTS_SECTION}`, name), origin);
    }
  }
  t.text = JSON.stringify(data, null, 1);
  return t;
}
