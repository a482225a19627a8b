import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { lookupCredentialType } from '../model/credential-types.js';
import type { Issue } from '../model/errors.js';
import { CONFIG_SECTION } from '../kinds/index.js';
import type { Kind } from '../model/kinds.js';
import type { SourceRef } from '../model/resource.js';
import { childPointer, parsePointer } from '../schema/pointer.js';
import { deriveCode } from '../model/code.js';
import { mergeEnv, readEnvFiles } from './env-file.js';
import { displayPath } from './files.js';
import { type LoadOptions, type LoadResult, loadConfig } from './load-config.js';
import { readTextFile } from './text.js';
import { locate, type ParsedFile, parseYaml } from './yaml.js';
import { pushAll } from '../model/array.js';
import { unescapeTemplate } from '../model/tf-template.js';

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

/** The key under `"//"` that m3ter-config writes and reads. */
export const SYNTH_META_KEY = 'm3ter-config';

export interface SynthLoadOptions extends LoadOptions {
  /** The stack to read from a `cdktf.out` folder holding several. */
  stack?: string;
}

/** Where one entry of the translated config came from. */
interface Origin {
  /** JSON pointer of the resource (or credential) in the synth file. */
  pointer: string;
  /** Construct path from `//.metadata.path`, else `<type>.<logicalId>`. */
  path: string;
  /** The user's source line, when the synth output records one. */
  source: string | undefined;
  /** Config field → pointer below the resource, where it is not the snake_case of the field. */
  fields: Readonly<Record<string, string>>;
  /** The pointer below is the translated one as it is (`ignore`, copied unchanged), not snake_cased. */
  verbatim?: boolean;
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

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

const RESOURCE_KIND: Readonly<Record<string, 'webhook' | 'notificationRule' | 'integration'>> = {
  m3ter_webhook: 'webhook',
  m3ter_notification_configuration: 'notificationRule',
  m3ter_integration_configuration: 'integration',
};
/** Resource types of kinds m3ter-config manages but cannot read from a synth yet: an error, never left alone. */
const NOT_YET_READ: Readonly<Record<string, string>> = {
  m3ter_scheduled_event_configuration: 'scheduledEvents',
};
const VAR = /^\$\{var\.([A-Za-z_][A-Za-z0-9_-]*)\}$/;
const ID_REF = /^\$\{(m3ter_webhook|m3ter_notification_configuration)\.([A-Za-z_][A-Za-z0-9_-]*)\.id\}$/;
const META_POINTER = `/${'//'.replace(/\//g, '~1')}/${SYNTH_META_KEY}`;

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** True when a path is synth output rather than YAML: a `*.tf.json` file, or a folder with cdk.tf.json or manifest.json. */
async function synthFilesOf(
  abs: string,
  given: string,
  stack: string | undefined,
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
  if (stack !== undefined) {
    if (stacks.includes(stack)) return { files: [path.join(stacksDir, stack, 'cdk.tf.json')] };
    return issue(
      'unknown_stack',
      `${given} has no stack ${JSON.stringify(stack)}`,
      stacks.length > 0 ? `its stacks: ${stacks.join(', ')}` : 'run the app (npm run synth) first',
    );
  }
  const only = stacks[0];
  if (stacks.length === 1 && only !== undefined)
    return { files: [path.join(stacksDir, only, 'cdk.tf.json')] };
  return issue(
    stacks.length === 0 ? 'no_stacks' : 'stack_required',
    stacks.length === 0 ? `${given} holds no stacks` : `${given} holds ${stacks.length} stacks`,
    stacks.length === 0
      ? 'run the app (npm run synth) first'
      : `pass --stack NAME (one of ${stacks.join(', ')}), or the stack folder itself`,
  );
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
    const found = await synthFilesOf(path.resolve(cwd, p), p, options.stack);
    if (!found) yamlPaths.push(p);
    else if ('issue' in found) issues.push({ ...found.issue, file: p });
    else for (const abs of found.files) synthFiles.push({ abs, file: displayPath(abs, cwd) });
  }
  if (synthFiles.length === 0 && issues.length === 0) return loadConfig(paths, options);

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
  const key = parts[0] === 'ignore' ? '/ignore' : parts.length >= 2 ? `/${parts[0]}/${parts[1]}` : undefined;
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

  const issueAt = (
    severity: Issue['severity'],
    code: string,
    pointer: string,
    who: string,
    message: string,
    hint?: string,
  ) =>
    issues.push({
      severity,
      code,
      file,
      ...locate(parsed, pointer),
      pointer,
      message: `${who}: ${message}`,
      ...(hint ? { hint } : {}),
    });

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

  const setIf = (item: Obj, key: string, v: unknown) => {
    if (v !== undefined && v !== null) item[key] = v;
  };

  // Webhooks and rules first: links name them.
  const codes = new Map<string, string>();
  const integrations: [string, Obj][] = [];
  for (const [type, byId] of Object.entries(resources)) {
    if (!isObj(byId)) continue;
    const kind = RESOURCE_KIND[type];
    const typePointer = childPointer('/resource', type);
    if (!kind) {
      const section = NOT_YET_READ[type];
      if (section !== undefined)
        issueAt(
          'error',
          'unsupported_resource_type',
          typePointer,
          type,
          `m3ter-config cannot read ${type} from a synth yet, and manages it elsewhere: leaving it alone would hide it`,
          `declare these in a YAML file's \`${section}\` section instead`,
        );
      else if (type.startsWith('m3ter_'))
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
      const o = originFor(pointer, value, `${type}.${id}`);
      const who = o.source ? `${o.path} (${o.source})` : o.path;
      const at = (attr: string) => childPointer(pointer, attr);
      const read = (attr: string) => plain(value[attr], at(attr), who);
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
      if (kind === 'integration') {
        integrations.push([id, value]);
        continue;
      }
      const item: Obj = {};
      if (kind === 'webhook') {
        for (const a of ['name', 'description', 'url', 'code', 'active']) setIf(item, a, read(a));
        const creds = isObj(value['credentials']) ? value['credentials'] : {};
        const cp = at('credentials');
        const credentials: Obj = {};
        setIf(credentials, 'type', plain(creds['type'], childPointer(cp, 'type'), who));
        setIf(
          credentials,
          'apiKey',
          secret(creds['api_key'], childPointer(cp, 'api_key'), who, 'credentials.api_key'),
        );
        setIf(
          credentials,
          'secret',
          secret(creds['secret'], childPointer(cp, 'secret'), who, 'credentials.secret'),
        );
        item['credentials'] = credentials;
        const code =
          typeof item['code'] === 'string'
            ? item['code']
            : typeof item['name'] === 'string'
              ? deriveCode(item['name'])
              : undefined;
        if (code) codes.set(`${type}.${id}`, code);
      } else {
        for (const a of ['code', 'name', 'description', 'calculation', 'active']) setIf(item, a, read(a));
        setIf(item, 'eventName', read('event_name'));
        setIf(item, 'alwaysFireEvent', read('always_fire_event'));
        if (typeof item['code'] === 'string') codes.set(`${type}.${id}`, item['code']);
      }
      add(kind, item, o);
    }
  }

  for (const [id, value] of integrations) {
    const type = 'm3ter_integration_configuration';
    const pointer = childPointer(childPointer('/resource', type), id);
    const own = originFor(pointer, value, `${type}.${id}`).own;
    const ownPointer = `${pointer}${META_POINTER}`;
    const o = originFor(pointer, value, `${type}.${id}`, {
      active: `${ownPointer}/active`,
      credential: `${ownPointer}/credential`,
    });
    const who = o.source ? `${o.path} (${o.source})` : o.path;
    const at = (attr: string) => childPointer(pointer, attr);
    const entityType = plain(value['entity_type'], at('entity_type'), who);
    const destination = plain(value['destination'], at('destination'), who);
    if (entityType === 'Notification' && destination === 'Webhook') {
      const ref = (attr: string, want: string): string | undefined => {
        const v = value[attr];
        const m = typeof v === 'string' ? ID_REF.exec(v) : null;
        const code = m && m[1] === want ? codes.get(`${m[1]}.${m[2] ?? ''}`) : undefined;
        if (code !== undefined) return code;
        issueAt(
          'error',
          'dangling_link',
          at(attr),
          who,
          m && m[1] === want
            ? `${attr} names ${want}.${m[2] ?? ''}, which this stack does not declare (or which has no code)`
            : `${attr} must be \`\${${want}.<name>.id}\`, a ${want} of this stack`,
          'connect the two with rule.notify(webhook), or reference the resource’s id',
        );
        return undefined;
      };
      const rule = ref('entity_id', 'm3ter_notification_configuration');
      const webhook = ref('destination_id', 'm3ter_webhook');
      if (rule === undefined || webhook === undefined) continue;
      const item: Obj = { rule, webhook };
      setIf(item, 'active', own['active']);
      add('link', item, {
        ...o,
        fields: { rule: '/entity_id', webhook: '/destination_id', active: `${META_POINTER}/active` },
      });
      continue;
    }
    const item: Obj = {};
    setIf(item, 'entityType', entityType);
    setIf(item, 'destination', destination);
    setIf(item, 'name', plain(value['name'], at('name'), who));
    setIf(item, 'active', own['active']);
    setIf(item, 'credential', own['credential']);
    if (value['integration_credentials_id'] !== undefined)
      issueAt(
        'error',
        'unresolvable_credential',
        at('integration_credentials_id'),
        who,
        'integration_credentials_id is an id m3ter-config cannot resolve to a declared credential',
        'declare the credential with the Credential construct and pass it as `credential` (or write its `DESTINATION/name` under "//"."m3ter-config".credential)',
      );
    if (isObj(value['config_data'])) {
      const configData: Obj = {};
      for (const [k, v] of Object.entries(value['config_data'])) {
        const p = childPointer(at('config_data'), k);
        const s = plain(v, p, who);
        if (typeof s !== 'string') continue;
        try {
          configData[k] = JSON.parse(s) as unknown;
        } catch {
          issueAt(
            'error',
            'bad_config_data',
            p,
            who,
            `config_data.${k} is not JSON`,
            'each value is JSON-encoded: write jsonencode(value), or Fn.jsonencode',
          );
        }
      }
      item['configData'] = configData;
    }
    add('integration', item, {
      ...o,
      fields: { ...o.fields, entityType: '/entity_type', configData: '/config_data' },
    });
  }

  // Credentials: m3ter's provider has none, so they sit under the root "//".
  const rootMeta = isObj(root['//']) && isObj(root['//'][SYNTH_META_KEY]) ? root['//'][SYNTH_META_KEY] : {};
  const credentials = isObj(rootMeta['credentials']) ? rootMeta['credentials'] : {};
  for (const [id, value] of Object.entries(credentials)) {
    if (!isObj(value)) continue;
    const pointer = childPointer(`${META_POINTER}/credentials`, id);
    const o = {
      pointer,
      path: typeof value['path'] === 'string' ? value['path'] : `credential ${id}`,
      source: typeof value['source'] === 'string' ? value['source'] : undefined,
      fields: {} as Record<string, string>,
    };
    const who = o.source ? `${o.path} (${o.source})` : o.path;
    const item: Obj = {};
    for (const a of ['name', 'destination', 'type'])
      setIf(item, a, plain(value[a], childPointer(pointer, a), who));
    const found =
      typeof item['destination'] === 'string' && typeof item['type'] === 'string'
        ? lookupCredentialType(item['destination'], item['type'])
        : undefined;
    const fields = isObj(value['fields']) ? value['fields'] : {};
    for (const [k, v] of Object.entries(fields)) {
      const p = childPointer(childPointer(pointer, 'fields'), k);
      o.fields[k] = `/fields/${k}`;
      const isSecret = found?.ok
        ? found.spec.fields.some((f) => f.name === k && f.secret)
        : VAR.test(String(v));
      setIf(item, k, isSecret ? secret(v, p, who, k) : plain(v, p, who));
    }
    add('credential', item, o);
  }

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
  t.text = JSON.stringify(data, null, 1);
  return t;
}
