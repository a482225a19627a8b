import type { Environment, EnvironmentTargetRefs, EnvironmentVar } from '../model/environment.js';
import { ENVIRONMENT_ENV } from '../model/environment.js';
import type { Issue } from '../model/errors.js';
import type { SourceRef } from '../model/resource.js';
import { closest } from '../model/suggest.js';
import { escapeDollarBrace } from '../model/literal-dollar.js';
import { childPointer, fieldOf } from '../schema/pointer.js';
import { quoteList } from '../schema/text.js';
import { sourceAt } from './context.js';
import { locate, type ParsedFile } from './yaml.js';
import { valueCharPosition } from './scalar-position.js';

/** The top-level key of the section. */
export const ENVIRONMENTS_SECTION = 'environments';

const ENVIRONMENT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The `environments:` section as read from the one file that declares it. */
export interface EnvironmentsSection {
  /** Where `environments:` is written (its key). */
  at: SourceRef;
  parsed: ParsedFile;
  /** The declaring file's path on disk (includes are relative to it); undefined for a document given as text. */
  abs: string | undefined;
  /** Every environment, by name, in file order. */
  environments: Map<string, Environment>;
}

const issue = (at: SourceRef, code: string, message: string, hint: string): Issue => ({
  severity: 'error',
  code,
  file: at.file,
  line: at.line,
  col: at.col,
  pointer: at.pointer,
  message,
  hint,
});

/**
 * Reads the environments of a parsed section as far as their shape allows (the schema reports what is wrong with
 * them, at their place, when the file is validated); a name it refuses is skipped here.
 */
export function readEnvironmentsSection(
  parsed: ParsedFile,
  value: unknown,
  abs: string | undefined,
): EnvironmentsSection {
  const pointer = `/${ENVIRONMENTS_SECTION}`;
  const section: EnvironmentsSection = {
    at: sourceAt(parsed, pointer, 'key'),
    parsed,
    abs,
    environments: new Map(),
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) return section;
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    const p = childPointer(pointer, name);
    const source = sourceAt(parsed, p, 'key');
    // A name (environment or var) the schema refuses is reported by it, at the name, and not used.
    if (!ENVIRONMENT_NAME.test(name)) continue;
    const e = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const vars: Record<string, EnvironmentVar> = {};
    const rawVars = e['vars'];
    if (rawVars && typeof rawVars === 'object' && !Array.isArray(rawVars)) {
      for (const [k, v] of Object.entries(rawVars as Record<string, unknown>)) {
        if (!VAR_NAME.test(k)) continue;
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
          Object.defineProperty(vars, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
    }
    const target: EnvironmentTargetRefs = {};
    const rawTarget = e['target'];
    if (rawTarget && typeof rawTarget === 'object' && !Array.isArray(rawTarget)) {
      for (const field of ['apiKey', 'apiSecret', 'baseUrl'] as const) {
        const ref = (rawTarget as Record<string, unknown>)[field];
        const env = ref && typeof ref === 'object' ? (ref as Record<string, unknown>)['env'] : undefined;
        if (typeof env === 'string') target[field] = env;
      }
    }
    const include = Array.isArray(e['include'])
      ? (e['include'] as unknown[]).filter((x): x is string => typeof x === 'string' && x !== '')
      : [];
    section.environments.set(name, {
      name,
      orgId: typeof e['orgId'] === 'string' ? e['orgId'] : '',
      production: e['production'] === true,
      vars,
      target,
      include,
      source,
    });
  }
  return section;
}

/** A second `environments:` section (the first is at `first`). */
export function secondSectionIssue(parsed: ParsedFile, first: SourceRef, included: boolean): Issue {
  const at = sourceAt(parsed, `/${ENVIRONMENTS_SECTION}`, 'key');
  return included
    ? issue(
        at,
        'environments_in_include',
        'a file included by an environment may not declare `environments:`',
        `declare every environment in the section at ${first.file}:${first.line}:${first.col}`,
      )
    : issue(
        at,
        'environments_twice',
        `\`environments:\` is already declared at ${first.file}:${first.line}:${first.col}`,
        'declare every environment in one `environments:` section, in one file',
      );
}

/**
 * The environment a run loads for: `name` (from `--env` or the variable) among those the section declares. Pushes
 * one error, and returns undefined, when none is chosen, the name is unknown, or no section is declared.
 */
export function selectEnvironment(
  section: EnvironmentsSection | undefined,
  name: string | undefined,
  firstFile: string | undefined,
  issues: Issue[],
): Environment | undefined {
  const how = `--env NAME (or ${ENVIRONMENT_ENV})`;
  if (!section) {
    if (name === undefined) return undefined;
    issues.push({
      severity: 'error',
      code: 'no_environments',
      file: firstFile ?? '.',
      line: 0,
      col: 0,
      pointer: '',
      message: `environment "${name}" was chosen, but no file declares \`environments:\``,
      hint: `declare it under \`environments:\` in a config file, or run without ${how}`,
    });
    return undefined;
  }
  const names = [...section.environments.keys()];
  if (name === undefined) {
    issues.push(
      issue(
        section.at,
        'environment_not_chosen',
        `the files declare environments (${quoteList(names)}); choose one`,
        `run with ${how}, e.g. --env ${names[0] ?? 'NAME'}`,
      ),
    );
    return undefined;
  }
  const chosen = section.environments.get(name);
  if (chosen) return chosen;
  const guess = closest(name, names);
  issues.push(
    issue(
      section.at,
      'unknown_environment',
      `environment "${name}" is not declared`,
      `${guess ? `did you mean "${guess}"? ` : ''}declared: ${quoteList(names)}`,
    ),
  );
  return undefined;
}

/** Where a var was used in one file's data. */
export interface VarUse {
  /** The value the var stands in (a whole `{ var: NAME }`, or the string holding `${var:NAME}`). */
  pointer: string;
  name: string;
}

/**
 * What the vars of a file stand for: the chosen environment; `none` where no file declares `environments:` (every
 * var is an error); `unchosen` where environments are declared but none could be chosen (that is reported once, and
 * the vars are left as written, their values unknown).
 */
export type VarScope = Environment | 'none' | 'unchosen';

/** A `${var:...}` with the run of `$` before its `{` (one `$`: a reference; more: escaped text). */
const IN_STRING = /(\$+)\{var:([^}]*)\}/g;

/** `var:` as a key (`{ var: NAME }`, quoted or not) or in `${var:NAME}`: what any var is written with. */
const VAR_TEXT = /\bvar['"]?[ \t]*:/;

/**
 * Whether a file's text may hold a var at all: the walk over its values (a pass files without vars never pay for) is
 * skipped when not.
 */
export function mayHoldVars(text: string): boolean {
  return VAR_TEXT.test(text);
}

/**
 * The data with every `{ var: NAME }` and `${var:NAME}` replaced by the var's value, before the schema sees it (so a
 * value of the wrong type is reported there, at the var). A var value is literal text: it is put in escaped, so the
 * loader's one unescape gives it back as written. Problems (an unknown var, a var where no environment is declared)
 * are pushed as issues; `uses` hears every var, substituted or not.
 */
export function substituteVars(
  parsed: ParsedFile,
  data: unknown,
  scope: VarScope,
  issues: Issue[],
  uses: VarUse[],
  failed: Set<string>,
): unknown {
  // In a string, at the `$` of the var (block scalars and escapes followed); else at the value.
  let inString: { value: string; index: number } | undefined;
  const at = (pointer: string): SourceRef => ({
    file: parsed.file,
    ...(inString
      ? valueCharPosition(parsed, pointer, inString.value, inString.index)
      : locate(parsed, pointer)),
    pointer,
  });
  const resolve = (pointer: string, name: string): EnvironmentVar | undefined => {
    uses.push({ pointer, name });
    if (scope === 'unchosen') {
      failed.add(pointer);
      return undefined;
    }
    if (scope === 'none') {
      failed.add(pointer);
      issues.push(
        issue(
          at(pointer),
          'var_without_environments',
          `var "${name}" is used, but no file declares \`environments:\``,
          'declare the environments and their vars under `environments:`, or write the value itself',
        ),
      );
      return undefined;
    }
    if (!VAR_NAME.test(name)) {
      failed.add(pointer);
      issues.push(
        issue(
          at(pointer),
          'bad_var_name',
          `var name ${JSON.stringify(name)} is not allowed`,
          'a var name holds letters, digits and `_`, and does not start with a digit',
        ),
      );
      return undefined;
    }
    if (Object.prototype.hasOwnProperty.call(scope.vars, name)) return scope.vars[name];
    failed.add(pointer);
    const guess = closest(name, Object.keys(scope.vars));
    issues.push(
      issue(
        at(pointer),
        'unknown_var',
        `var "${name}" is not declared in environment "${scope.name}"`,
        `${guess ? `did you mean "${guess}"? ` : ''}add it under \`vars:\` of environment "${scope.name}" (${scope.source.file}:${scope.source.line}:${scope.source.col})`,
      ),
    );
    return undefined;
  };

  const walk = (value: unknown, pointer: string): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('{var:')) return value;
      let changed = false;
      const out = value.replace(IN_STRING, (whole, dollars: string, name: string, index: number) => {
        if (dollars.length !== 1) return whole;
        inString = { value, index };
        const v = resolve(pointer, name);
        inString = undefined;
        if (v === undefined) return whole;
        changed = true;
        return escapeDollarBrace(String(v));
      });
      return changed ? out : value;
    }
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const v = walk(value[i], childPointer(pointer, i));
        if (v !== value[i]) (out ??= value.slice())[i] = v;
      }
      return out ?? value;
    }
    if (value && typeof value === 'object') {
      const keys = Object.keys(value);
      const ref = (value as Record<string, unknown>)['var'];
      if (keys.length === 1 && keys[0] === 'var' && typeof ref === 'string') {
        const v = resolve(pointer, ref);
        if (v === undefined) return value;
        return typeof v === 'string' ? escapeDollarBrace(v) : v;
      }
      let out: Record<string, unknown> | undefined;
      for (const k of keys) {
        const before = (value as Record<string, unknown>)[k];
        const v = walk(before, childPointer(pointer, k));
        if (v === before) continue;
        if (!out) {
          out = {};
          for (const kk of keys)
            Object.defineProperty(out, kk, {
              value: (value as Record<string, unknown>)[kk],
              enumerable: true,
              writable: true,
              configurable: true,
            });
        }
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      return out ?? value;
    }
    return value;
  };

  const root = data as Record<string, unknown>;
  if (!root || typeof root !== 'object' || Array.isArray(root)) return data;
  // The section itself holds the values, never uses them.
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(root)) {
    if (k === ENVIRONMENTS_SECTION) continue;
    const w = walk(v, childPointer('', k));
    if (w === v) continue;
    out ??= { ...root };
    Object.defineProperty(out, k, { value: w, enumerable: true, writable: true, configurable: true });
  }
  return out ?? data;
}

/** The var a use at or under `pointer` names (the nearest), for a message: `(from var X of environment E)`. */
export function varNote(scope: VarScope, uses: readonly VarUse[], pointer: string): string | undefined {
  if (typeof scope === 'string') return undefined;
  const u = uses.find((x) => x.pointer === pointer) ?? uses.find((x) => x.pointer.startsWith(`${pointer}/`));
  return u ? `from var "${u.name}" of environment "${scope.name}"` : undefined;
}

/** The issue of a var written in a secret field. */
export function varInSecret(pointer: string): { code: string; message: string; hint: string } {
  return {
    code: 'var_in_secret',
    message: `${fieldOf(pointer)} is a secret, and a var can never hold a secret`,
    hint: 'put the secret in an environment variable and write `{ env: NAME }`',
  };
}
