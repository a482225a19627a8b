import type { Issue } from '../model/errors.js';
import { CONFIG_SECTION, KIND_LABEL, labelOf, specOf } from '../kinds/index.js';
import { KINDS, type Kind } from '../model/kinds.js';
import type { DesiredResource, SourceRef } from '../model/resource.js';
import { type DesiredState, emptyDesiredState } from '../model/state.js';
import { validateConfigData } from '../schema/issues.js';
import { childPointer, parsePointer } from '../schema/pointer.js';
import { createSuggester } from '../model/suggest.js';
import type { Declaration } from './build.js';
import { codeCaseDuplicate, DECLARE_KINDS } from './declare-kinds.js';
import { type BuildContext, type EnvPolicy, issueAt, sourceAt } from './context.js';
import { mergeEnv, readEnvFiles } from './env-file.js';
import { displayPath, findConfigFiles } from './files.js';
import { createIgnoreMatcher } from '../model/glob.js';
import { locate, type ParsedFile, parseYaml, parseYamlPausing } from './yaml.js';
import { pushAll } from '../model/array.js';
import { readTextFile } from './text.js';
import { mapStrings, unescapeDollarBrace } from '../model/literal-dollar.js';
import * as path from 'node:path';
import { lstat, realpath } from 'node:fs/promises';
import type { Environment } from '../model/environment.js';
import {
  ENVIRONMENTS_SECTION,
  type EnvironmentsSection,
  mayHoldVars,
  readEnvironmentsSection,
  secondSectionIssue,
  selectEnvironment,
  substituteVars,
  type VarScope,
  type VarUse,
  varInSecret,
  varNote,
} from './environments.js';
import type { FoundFile } from './files.js';

export interface LoadOptions {
  /** Where secrets are resolved from (usually process.env). Never stored, never printed. */
  env: Readonly<Record<string, string | undefined>>;
  /** Paths are resolved against it and shown relative to it; default process.cwd(). */
  cwd?: string;
  /** Env files (`NAME=value` lines) read first; a variable set in `env` wins over a file. */
  envFiles?: readonly string[];
  /**
   * The environment to load for (`--env`, else `M3TER_CONFIG_ENV`). Where the files declare `environments:`, one
   * must be chosen; where they do not, naming one is an error.
   */
  environment?: string | undefined;
  /** How an unset or empty secret variable is reported; default `error`. validate uses `warning`. */
  missingEnv?: EnvPolicy;
  /** Config documents given as text (YAML or JSON), read after the files: how other formats (cdk.tf.json) come in. */
  documents?: readonly { file: string; text: string; literal?: boolean }[];
  /**
   * Hears the kinds each file declares as soon as it is parsed (plan and apply start reading the org then), and
   * makes the loader yield to the event loop between steps, so those reads go on while it works and a remote
   * command's first request is not held up by parsing.
   */
  onSections?: (kinds: ReadonlySet<Kind>) => void;
}

/** How often (in entries) a loader that shares the event loop with reads lets them go on. */
const YIELD_EVERY = 100;

const SECTION_LINE = new RegExp(`^(${KINDS.map((k) => CONFIG_SECTION[k]).join('|')})[ \\t]*:`, 'gm');

/** The kinds whose sections start a line of the text (`webhooks:`): what a config file most likely declares. */
function sectionsNamedIn(text: string): Set<Kind> {
  return kindsOfSections(Array.from(text.matchAll(SECTION_LINE), (m) => m[1] as string));
}

/** The kinds these top-level keys are the sections of (other keys are ignored). */
function kindsOfSections(names: Iterable<string>): Set<Kind> {
  const kinds = new Set<Kind>();
  for (const name of names) {
    const kind = SECTION_KIND.get(name);
    if (kind) kinds.add(kind);
  }
  return kinds;
}

const yieldToReads = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface LoadResult {
  /** The merged desired state; undefined when any issue is an error. */
  state: DesiredState | undefined;
  /** Every issue from every file, sorted by file (in reading order), line and column. */
  issues: Issue[];
  /** The config files read, in order, as shown in issues. */
  files: string[];
}

const SECTION_KIND = new Map<string, Kind>(KINDS.map((k) => [CONFIG_SECTION[k], k]));

/** A `${` not written as `$${`, and not a whole `${env:NAME}` (a secret field's reference). */
const UNESCAPED = /(?<!\$)\$\{/;
const ENV_REF = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;

/**
 * Warns (once per entry) at a string holding a bare `${`: it is sent as written, but `${...}` is the syntax of
 * references, so text meant literally is written `$${`, which also keeps its meaning if more references come.
 */
function warnUnescaped(
  ctx: BuildContext,
  pointer: string,
  value: unknown,
  clean: (p: string) => boolean,
): boolean {
  if (typeof value === 'string') {
    // A value the schema refused already has its error (a misspelt reference in a secret field, say).
    if (!UNESCAPED.test(value) || ENV_REF.test(value) || !clean(pointer)) return false;
    issueAt(
      ctx,
      'warning',
      'unescaped_dollar_brace',
      pointer,
      'this text holds `${`, which is sent as written but is the syntax of references',
      'write a literal `${` as `$${` (as in Terraform); `import` writes it so',
    );
    return true;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      if (warnUnescaped(ctx, childPointer(pointer, k), v, clean)) return true;
  }
  return false;
}

type Source = FoundFile | { file: string; text: string; literal?: boolean };

interface LoadedFile {
  parsed: ParsedFile;
  data: unknown;
  literal: boolean;
  text: string;
  /** Its path on disk; undefined for a document given as text. */
  abs: string | undefined;
}

/** The files an environment includes, relative to the file declaring it; a missing path is an error at its entry. */
async function includedFiles(
  environment: Environment,
  section: EnvironmentsSection,
  cwd: string,
  issues: Issue[],
  seen: Set<string>,
): Promise<FoundFile[]> {
  const out: FoundFile[] = [];
  const base = section.abs ? path.dirname(section.abs) : cwd;
  const root = await repositoryRoot(base, path.resolve(cwd));
  for (const [i, written] of environment.include.entries()) {
    const at = `${environment.source.pointer}/include/${i}`;
    const resolved = path.resolve(base, written);
    // The files of the repository only: an include from a change under review must not read the runner's files.
    if (path.isAbsolute(written) || !(await insideRoot(resolved, root))) {
      issues.push({
        severity: 'error',
        code: 'include_outside',
        file: section.at.file,
        ...locateIn(section, at),
        pointer: at,
        message: `include ${JSON.stringify(written)} of environment "${environment.name}" leads outside the repository`,
        hint: `an include is a relative path that stays inside ${displayPath(root, cwd)} (symlinks followed)`,
      });
      continue;
    }
    const found = await findConfigFiles([resolved], cwd);
    for (const f of found.issues) {
      issues.push({
        ...f,
        file: section.at.file,
        ...locateIn(section, at),
        pointer: at,
        message: `include ${JSON.stringify(written)} of environment "${environment.name}": ${f.message}`,
        hint: `paths are relative to ${section.at.file}; ${f.hint ?? 'check the path'}`,
      });
    }
    for (const f of found.files) {
      if (seen.has(f.abs) || !(await insideRoot(f.abs, root))) continue;
      seen.add(f.abs);
      out.push(f);
    }
  }
  return out;
}

/**
 * The repository a declaring file is in: the nearest folder up from `dir` holding `.git`; without one, the folder the
 * command runs in when `dir` is inside it, else `dir` itself.
 */
async function repositoryRoot(dir: string, cwd: string): Promise<string> {
  for (let d = dir; ;) {
    if (
      await lstat(path.join(d, '.git')).then(
        () => true,
        () => false,
      )
    )
      return d;
    const up = path.dirname(d);
    if (up === d) return dir === cwd || dir.startsWith(cwd + path.sep) ? cwd : dir;
    d = up;
  }
}

/** Whether `p`, symlinks followed, is `root` or under it (a path that does not exist is judged as written). */
async function insideRoot(p: string, root: string): Promise<boolean> {
  const real = async (x: string) => realpath(x).catch(() => x);
  const [rp, rr] = [await real(p), await real(root)];
  return rp === rr || rp.startsWith(rr.endsWith(path.sep) ? rr : rr + path.sep);
}

/**
 * The files read without those under another environment's include (a folder given as PATH may hold them): what an
 * environment includes is loaded for it only. Their issues go with them.
 */
function withoutOthersIncludes(
  loaded: LoadedFile[],
  section: EnvironmentsSection,
  chosen: Environment | undefined,
  state: DesiredState,
  issues: Issue[],
): LoadedFile[] {
  const base = section.abs ? path.dirname(section.abs) : undefined;
  if (base === undefined) return loaded;
  const others: string[] = [];
  const declaring = section.abs as string;
  for (const e of section.environments.values()) {
    for (const [i, inc] of e.include.entries()) {
      const root = path.resolve(base, inc);
      // Loaded "only for this environment", it would take the section itself, and every file beside it, from the rest.
      if (declaring === root || declaring.startsWith(root + path.sep)) {
        const at = `${e.source.pointer}/include/${i}`;
        issues.push({
          severity: 'error',
          code: 'include_holds_declaring_file',
          file: section.at.file,
          ...locateIn(section, at),
          pointer: at,
          message: `include ${JSON.stringify(inc)} of environment "${e.name}" holds the file declaring \`environments:\``,
          hint: 'include a folder or file of what only this environment has, beside or below the declaring file',
        });
        continue;
      }
      if (e === chosen) continue;
      if (!chosen?.include.some((c) => path.resolve(base, c) === root)) others.push(root);
    }
  }
  if (others.length === 0) return loaded;
  const under = (abs: string) => others.some((r) => abs === r || abs.startsWith(r + path.sep));
  const dropped = new Set(
    loaded.filter((f) => f.abs !== undefined && under(f.abs)).map((f) => f.parsed.file),
  );
  if (dropped.size === 0) return loaded;
  state.files = state.files.filter((f) => !dropped.has(f));
  for (let i = issues.length - 1; i >= 0; i--)
    if (dropped.has((issues[i] as Issue).file)) issues.splice(i, 1);
  return loaded.filter((f) => !dropped.has(f.parsed.file));
}

/**
 * Schema issues in a file that uses vars: none where the var itself failed (that is reported already), and each at a
 * var says which var it came from; a var in a secret field is refused whatever its value.
 */
function explainVarIssues(
  schemaIssues: Issue[],
  scope: VarScope,
  uses: readonly VarUse[],
  failed: ReadonlySet<string>,
): Issue[] {
  const out: Issue[] = [];
  const under = (p: string, set: Iterable<string>): boolean => {
    for (const f of set) if (p === f || p.startsWith(`${f}/`) || f.startsWith(`${p}/`)) return true;
    return false;
  };
  for (const i of schemaIssues) {
    if (i.severity === 'error' && under(i.pointer, failed)) continue;
    const note = varNote(scope, uses, i.pointer);
    if (note === undefined) {
      out.push(i);
      continue;
    }
    if (SECRET_CODES.has(i.code)) {
      out.push({ ...i, ...varInSecret(i.pointer) });
      continue;
    }
    out.push({ ...i, message: `${i.message} (${note})` });
  }
  return out;
}

const SECRET_CODES = new Set(['literal_secret', 'bad_secret_ref', 'bad_env_name']);

function isSettingOf(settings: unknown, name: string): boolean {
  return (
    typeof settings === 'object' &&
    settings !== null &&
    !Array.isArray(settings) &&
    Object.prototype.hasOwnProperty.call(settings, name)
  );
}

/** Records on a resource the attributes whose value was written with a var (a nested one counts for its parent). */
function markVarAttributes(
  resource: DesiredResource,
  pointer: string,
  varPointers: ReadonlySet<string>,
): void {
  let names: Set<string> | undefined;
  const prefix = `${pointer}/`;
  for (const p of varPointers) {
    if (!p.startsWith(prefix)) continue;
    const name = parsePointer(p.slice(pointer.length))[0];
    if (name === undefined) continue;
    const attrs = resource.attributes as object as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(attrs, name)) (names ??= new Set()).add(name);
    // A credential's plain fields are written beside its name but held in its `settings` attribute.
    else if (isSettingOf(attrs['settings'], name)) (names ??= new Set()).add('settings');
  }
  if (names) resource.varAttributes = names;
}

function locateIn(section: EnvironmentsSection, pointer: string): { line: number; col: number } {
  return locate(section.parsed, pointer);
}

const where = (s: SourceRef) => `${s.file}:${s.line}:${s.col}`;

/**
 * Reads every config file under `paths` and merges them into one desired state. Never throws on a user mistake:
 * every problem in every file comes back as an issue at once.
 */
export async function loadConfig(paths: readonly string[], options: LoadOptions): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const policy = options.missingEnv ?? 'error';
  const issues: Issue[] = [];

  let env = options.env;
  if (options.envFiles && options.envFiles.length > 0) {
    const fromFiles = await readEnvFiles(options.envFiles, cwd);
    pushAll(issues, fromFiles.issues);
    env = mergeEnv(fromFiles.env, options.env);
  }

  const found = await findConfigFiles(paths, cwd);
  pushAll(issues, found.issues);

  const state = emptyDesiredState();
  const decls: Declaration[] = [];

  // Every file is parsed before any is checked: the `environments:` section, in any one of them, decides what the
  // vars of all of them stand for, and which files are included.
  const loaded: LoadedFile[] = [];
  const readAll = async (sources: readonly Source[], includedBy?: SourceRef): Promise<void> => {
    for (const source of sources) {
      const file = source.file;
      state.files.push(file);
      const read = 'text' in source ? source : await readTextFile(source.abs, file);
      if ('issue' in read) {
        issues.push(read.issue);
        continue;
      }
      const text = read.text;
      const literal = 'literal' in source && source.literal === true;
      if (options.onSections) {
        // The reads can start before the parse: top-level keys at the start of a line name the kinds (a guess for
        // the prefetch only; the parsed sections below are exact).
        options.onSections(sectionsNamedIn(text));
        await yieldToReads();
      }
      const parsed = options.onSections
        ? await parseYamlPausing(file, text, yieldToReads)
        : parseYaml(file, text);
      pushAll(issues, parsed.issues);
      if (parsed.issues.some((i) => i.severity === 'error')) continue;
      const data: unknown = parsed.data ?? {};
      const isMap = !!data && typeof data === 'object' && !Array.isArray(data);
      if (options.onSections && isMap) {
        options.onSections(kindsOfSections(Object.keys(data)));
        await yieldToReads();
      }
      if (isMap && ENVIRONMENTS_SECTION in data) {
        if (sections)
          issues.push(secondSectionIssue(parsed, includedBy ?? sections.at, includedBy !== undefined));
        else
          sections = readEnvironmentsSection(
            parsed,
            (data as Record<string, unknown>)[ENVIRONMENTS_SECTION],
            'abs' in source ? source.abs : undefined,
          );
      }
      loaded.push({ parsed, data, literal, text, abs: 'abs' in source ? source.abs : undefined });
    }
  };
  let sections: EnvironmentsSection | undefined;
  await readAll([...found.files, ...(options.documents ?? [])]);

  const chosenName = options.environment === '' ? undefined : options.environment;
  let files = [...loaded];
  let scope: VarScope = 'none';
  if (sections || chosenName !== undefined) {
    const environment = selectEnvironment(sections, chosenName, state.files[0], issues);
    scope = environment ?? (sections ? 'unchosen' : 'none');
    if (sections) files = withoutOthersIncludes(files, sections, environment, state, issues);
    if (environment) {
      state.environment = environment;
      const declared = sections as EnvironmentsSection;
      const included = await includedFiles(
        environment,
        declared,
        cwd,
        issues,
        new Set(files.flatMap((f) => (f.abs ? [f.abs] : []))),
      );
      const before = loaded.length;
      await readAll(included, declared.at);
      files = [...files, ...loaded.slice(before)];
    }
  }

  for (const { parsed, data: written, literal, text } of files) {
    const file = parsed.file;
    // Vars are read only in files whose text may hold one: files without them cost no extra pass.
    const uses: VarUse[] = [];
    const failedVars = new Set<string>();
    const data =
      !literal && mayHoldVars(text)
        ? substituteVars(parsed, written, scope, issues, uses, failedVars)
        : written;

    let schemaIssues = validateConfigData(data).map(({ at, ...rest }): Issue => ({
      ...rest,
      file,
      ...locate(parsed, rest.pointer, at),
    }));
    if (uses.length > 0) schemaIssues = explainVarIssues(schemaIssues, scope, uses, failedVars);
    pushAll(issues, schemaIssues);
    if (!data || typeof data !== 'object' || Array.isArray(data)) continue;

    const varPointers = uses.length > 0 ? new Set(uses.map((u) => u.pointer)) : undefined;
    const ctx: BuildContext = varPointers
      ? { parsed, env, policy, issues, varPointers }
      : { parsed, env, policy, issues };
    // A var that failed is reported already: what it stands in is not checked again.
    const hasErrorUnder = errorPointerIndex(
      failedVars.size === 0
        ? schemaIssues
        : [...schemaIssues, ...[...failedVars].map((pointer) => ({ severity: 'error' as const, pointer }))],
    );

    for (const [section, value] of Object.entries(data as Record<string, unknown>)) {
      const kind = SECTION_KIND.get(section);
      if (!kind) continue;
      state.managedKinds.add(kind);
      if (!Array.isArray(value)) continue;
      for (let i = 0; i < value.length; i++) {
        const pointer = childPointer(`/${section}`, i);
        // The one place `$${` becomes `${` (after the schema, which sees the text as written; issues are placed by
        // pointer, so their lines and columns are those of the file). A translated document holds literal text.
        if (!literal) warnUnescaped(ctx, pointer, value[i], (p) => !hasErrorUnder(p) && !varPointers?.has(p));
        const entry = literal ? value[i] : mapStrings(value[i], unescapeDollarBrace);
        const d = DECLARE_KINDS[kind].declare(ctx, pointer, entry, (p) => !hasErrorUnder(p));
        if (varPointers && d.resource) markVarAttributes(d.resource, pointer, varPointers);
        decls.push(d);
        if (options.onSections && i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToReads();
      }
    }

    const ignore = (data as Record<string, unknown>)['ignore'];
    if (ignore && typeof ignore === 'object' && !Array.isArray(ignore)) {
      for (const kind of KINDS) {
        const list = (ignore as Record<string, unknown>)[CONFIG_SECTION[kind]];
        if (!Array.isArray(list)) continue;
        list.forEach((entry, i) => {
          const pointer = `/ignore/${CONFIG_SECTION[kind]}/${i}`;
          if (typeof entry !== 'string' || hasErrorUnder(pointer)) return;
          const pattern = DECLARE_KINDS[kind].ignorePattern?.(entry) ?? entry;
          if (state.ignore[kind].includes(pattern)) return;
          state.ignore[kind].push(pattern);
          const sources = (state.ignoreSources ??= {});
          (sources[kind] ??= new Map()).set(pattern, sourceAt(parsed, pointer));
        });
      }
    }
  }

  if (options.onSections) await yieldToReads();
  crossCheck(decls, state, issues);

  const order = new Map<string, number>(state.files.map((f, i) => [f, i]));
  const rank = (i: Issue) => order.get(i.file) ?? -1;
  const sorted = issues
    .map((issue, n) => ({ issue, n }))
    .sort(
      (a, b) =>
        rank(a.issue) - rank(b.issue) ||
        a.issue.line - b.issue.line ||
        a.issue.col - b.issue.col ||
        a.n - b.n,
    )
    .map((x) => x.issue);
  const ok = !sorted.some((i) => i.severity === 'error');
  return { state: ok ? state : undefined, issues: sorted, files: [...state.files] };
}

/** Rules across files: duplicate keys, links to undeclared rules or webhooks, ignore patterns hiding declarations. */
function crossCheck(decls: readonly Declaration[], state: DesiredState, issues: Issue[]): void {
  const first = new Map<string, Declaration>();
  const firstFolded = new Map<string, Declaration>();
  const declared = Object.fromEntries(KINDS.map((k) => [k, new Set<string>()])) as Record<Kind, Set<string>>;
  const push = (at: SourceRef, severity: Issue['severity'], code: string, message: string, hint: string) =>
    issues.push({
      severity,
      code,
      file: at.file,
      line: at.line,
      col: at.col,
      pointer: at.pointer,
      message,
      hint,
    });

  // m3ter's Console derives lower-case codes, so two keys that differ only in case are almost always one entity
  // written twice, and would be two entities in m3ter. Links are keyed by their rule and webhook codes, which are
  // checked themselves.
  const caseCheck = (d: Declaration, at: SourceRef): void => {
    if (!specOf(d.kind).caseFoldedKey || d.key === undefined) return;
    const folded = `${d.kind}\u0000${d.key.toLowerCase()}`;
    const other = firstFolded.get(folded);
    if (!other?.keyAt || other.key === undefined) {
      firstFolded.set(folded, d);
      return;
    }
    const m = (DECLARE_KINDS[d.kind].caseDuplicate ?? codeCaseDuplicate)(d, other, where(other.keyAt));
    push(at, 'error', m.code, m.message, m.hint);
  };

  for (const d of decls) {
    if (d.key === undefined || !d.keyAt) continue;
    declared[d.kind].add(d.key);
    const id = `${d.kind}\u0000${d.key}`;
    const prev = first.get(id);
    if (!prev?.keyAt) {
      first.set(id, d);
      if (d.resource) (state.resources[d.kind] as Map<string, DesiredResource>).set(d.key, d.resource);
      caseCheck(d, d.keyAt);
      continue;
    }
    const m = DECLARE_KINDS[d.kind].duplicate(d, prev, where(prev.keyAt));
    push(d.keyAt, 'error', m.code, m.message, m.hint);
  }

  // References (REFERENCES in kinds/) must name entities the files declare. A reference by key may name a live
  // entity the files leave alone: only where its kind is managed (and the key not ignored) is that known to be wrong
  // here; elsewhere a warning, and the plan checks m3ter.
  const suggesters = new Map<Kind, (key: string) => string | undefined>();
  const suggest = (kind: Kind, key: string): string | undefined => {
    let s = suggesters.get(kind);
    if (!s) {
      s = createSuggester(declared[kind]);
      suggesters.set(kind, s);
    }
    return s(key);
  };
  const ignoreMatchers = new Map<Kind, (key: string) => boolean>();
  const ignoredIn = (kind: Kind): ((key: string) => boolean) => {
    let m = ignoreMatchers.get(kind);
    if (!m) {
      m = createIgnoreMatcher(state.ignore[kind]);
      ignoreMatchers.set(kind, m);
    }
    return m;
  };
  for (const d of decls) {
    for (const { ref, key, at } of d.refs) {
      if (declared[ref.kind].has(key)) continue;
      const guess = suggest(ref.kind, key);
      if (ref.by === 'key' && (!state.managedKinds.has(ref.kind) || ignoredIn(ref.kind)(key))) {
        push(
          at,
          'warning',
          'undeclared_reference',
          `the ${KIND_LABEL[d.kind]} names ${KIND_LABEL[ref.kind]} "${key}", which no file declares; plan checks that m3ter has it`,
          guess ? `did you mean "${guess}"?` : DECLARE_KINDS[ref.kind].declareHint,
        );
        continue;
      }
      push(
        at,
        'error',
        'dangling_link',
        `the ${KIND_LABEL[d.kind]} names ${KIND_LABEL[ref.kind]} "${key}", which no file declares`,
        guess ? `did you mean "${guess}"?` : DECLARE_KINDS[ref.kind].declareHint,
      );
    }
  }

  for (const kind of KINDS) {
    const patterns = state.ignore[kind];
    if (patterns.length === 0) continue;
    const ignored = createIgnoreMatcher(patterns);
    for (const r of state.resources[kind].values()) {
      if (!ignored(r.key)) continue;
      push(
        r.source,
        'warning',
        'ignored_but_declared',
        `${labelOf(kind, r.key)} is declared and also matched by ignore`,
        'the declaration wins; narrow the ignore pattern to silence this',
      );
    }
  }
}

/**
 * `(pointer) => whether an error sits at it or under it`, from one pass over the issues: every error adds its
 * pointer and each of its ancestors to a set (a pointer is a few segments deep), so a lookup is one set probe.
 */
export function errorPointerIndex(
  issues: readonly Pick<Issue, 'severity' | 'pointer'>[],
): (pointer: string) => boolean {
  const under = new Set<string>();
  for (const i of issues) {
    if (i.severity !== 'error') continue;
    let p = i.pointer;
    for (;;) {
      if (under.has(p)) break; // its ancestors are in already
      under.add(p);
      const cut = p.lastIndexOf('/');
      if (cut < 0) break;
      p = p.slice(0, cut);
    }
  }
  return (pointer) => under.has(pointer);
}
