import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  envTemplate,
  IMPORT_WRITERS,
  importedModelOf,
  type ImportedModel,
  type ImportFormat,
  type ImportLayout,
  STACK_FORMATS,
  withFormatEnvNames,
  yamlFileNames,
} from '../emit/index.js';
import { KINDS_TOP_DOWN, withReferencedKinds } from '../kinds/index.js';
import { findConfigFiles } from '../load/index.js';
import { readLiveState } from '../live/index.js';
import {
  ConfigError,
  type Issue,
  M3terConfigError,
  NotServedEndpointError,
  UnconfirmedEndpointError,
} from '../model/errors.js';
import { createIgnoreMatcher } from '../model/glob.js';
import { KINDS, type Kind } from '../model/kinds.js';
import type { LiveResource } from '../model/resource.js';
import type { DesiredState } from '../model/state.js';
import { describeTarget } from '../model/target.js';
import { ROOT_SCHEMA_FILE, SCHEMAS_DIR } from '../schema/index.js';
import type { Session } from './session.js';
import { validate } from './validate.js';

export interface ImportOptions {
  /** The folder the files are written to (made when missing). */
  out: string;
  cwd: string;
  /** Kinds to import; the kinds they reference are added. @default every kind */
  kinds?: ReadonlySet<Kind>;
  /** @default 'single' */
  layout?: ImportLayout;
  /** @default 'yaml' */
  format?: ImportFormat;
  /** Overwrite files that exist. */
  force?: boolean;
  /** Import only what this config does not declare (nor ignore), into new files beside it. */
  /** (`envFiles` is accepted for the CLI's sake; only the names of the config's variables are read.) */
  onlyUnmanaged?: { paths: readonly string[]; envFiles?: readonly string[]; environment?: string };
  env: Readonly<Record<string, string | undefined>>;
  /** When aborted before the files are written, nothing is written (the read is dropped). */
  signal?: AbortSignal;
}

export interface ImportOutcome {
  model: ImportedModel;
  /** The kinds imported because a requested kind references them. */
  addedKinds: Kind[];
  /**
   * Kinds that could not be read, so they are not written (their sections are left out of the files): a path m3ter
   * never published answered 404, or (in a full import) a newer API this org's m3ter does not serve, and the kinds
   * that need it. Empty when every kind was read.
   */
  skipped: { kinds: Kind[]; reason: string }[];
  /** Written files, relative to cwd: config files first, then the env template. */
  files: string[];
  /** The env template, relative to cwd. */
  envTemplate: string;
  /** The written files, validated by the loader with every variable set: errors here are bugs in import. */
  issues: Issue[];
  /**
   * Whether the loader checked the written files; false for a stack (`cdktf`, `cdktn`), which must be synthesized
   * first. A stack holds `model.problems` in an `Ignore` construct, as the YAML holds them under `ignore`.
   */
  checked: boolean;
}

const UNSET_VARIABLE = new Set(['missing_env', 'empty_env']);

/** The base name of the files `--only-unmanaged` writes. */
const UNMANAGED_BASE = 'unmanaged';

/** A file import would write already exists. */
export class ImportWouldOverwriteError extends M3terConfigError {}

/**
 * Reads the live org with the same requests as `plan` (readLiveState) and writes it as config files that plan clean:
 * the imported model (emit/) rendered by the chosen format's writer, plus an env template of every secret variable.
 * Entities that cannot be written are in `model.problems` (and under `ignore` in the files), never dropped silently.
 */
export async function importOrg(session: Session, options: ImportOptions): Promise<ImportOutcome> {
  const requested = new Set(options.kinds ?? KINDS);
  const kinds = withReferencedKinds(requested);
  const addedKinds = KINDS_TOP_DOWN.filter((k) => kinds.has(k) && !requested.has(k));
  const layout = options.layout ?? 'single';
  const format = options.format ?? 'yaml';
  const outDir = path.resolve(options.cwd, options.out);

  const stack = STACK_FORMATS.has(format);
  if (stack && options.onlyUnmanaged)
    throw new M3terConfigError(
      'import_format_unsupported',
      `--only-unmanaged writes YAML beside the config it completes; --format ${format} writes a whole stack: import without --only-unmanaged`,
    );
  let desired: DesiredState | undefined;
  if (options.onlyUnmanaged) {
    // Only the names of the config's variables matter here (to never reuse one), not their values: every variable
    // counts as set, so each secret reference keeps its name; the placeholder is never sent or written.
    const names = new Proxy({}, { get: (_t, name) => (typeof name === 'string' ? 'unset' : undefined) });
    const loaded = await validate(
      await withoutFilesToRewrite(options.onlyUnmanaged.paths, outDir, options.cwd),
      {
        env: names as Readonly<Record<string, string>>,
        cwd: options.cwd,
        ...(options.onlyUnmanaged.environment !== undefined
          ? { environment: options.onlyUnmanaged.environment }
          : {}),
      },
    );
    if (loaded.errorCount > 0 || !loaded.state) throw new ConfigError(loaded.issues);
    desired = loaded.state;
  }

  const { live, read, skipped } = await readWhatCanBeRead(session, kinds, options.kinds === undefined);
  const model = importedModelOf(live, {
    kinds: read,
    ...(desired ? { ...unmanagedFilter(desired, live.resources), reservedEnv: envNamesOf(desired) } : {}),
    emptySections: desired === undefined,
  });

  const baseName = desired ? UNMANAGED_BASE : 'm3ter';
  const schema = path.join(SCHEMAS_DIR, ROOT_SCHEMA_FILE);
  const header = [
    `Imported by m3ter-config from ${describeTarget(session.target.description)}.`,
    ...(model.secrets.length > 0
      ? [`Secrets are read from the environment: ${baseName}.env.template lists the variables.`]
      : []),
  ];
  const written = IMPORT_WRITERS[format](model, {
    layout,
    baseName,
    header,
    modeline: (file) =>
      path
        .relative(path.dirname(path.join(outDir, file)), schema)
        .split(path.sep)
        .join('/'),
  });
  const templateName = `${baseName}.env.template`;
  const files = [
    ...written,
    {
      path: templateName,
      text: envTemplate(withFormatEnvNames(model, format), [
        `Variables for the secrets of ${baseName}: names only. Fill in the values, or set them in the environment.`,
      ]),
    },
  ];

  if (options.signal?.aborted)
    throw new M3terConfigError('import_interrupted', 'import interrupted before writing');
  await writeFilesTogether(outDir, files, { force: options.force === true, cwd: options.cwd });

  const rel = (f: string) => path.relative(options.cwd, path.join(outDir, f)) || f;
  // A stack is checked only once it runs (its synth output is what the loader reads): `stack` tells the caller.
  if (stack)
    return {
      model,
      addedKinds,
      skipped,
      files: files.map((f) => rel(f.path)),
      envTemplate: rel(templateName),
      issues: [],
      checked: false,
    };
  // Proof by the loader itself: the written files (with the config they complete) load, every variable set.
  // Unset variables are expected (the template is still to be filled in), so they are not reported here.
  const check = await validate(
    [...(options.onlyUnmanaged?.paths ?? []), ...written.map((f) => rel(f.path))],
    {
      env: {},
      cwd: options.cwd,
      requireEnv: false,
      ...(options.onlyUnmanaged?.environment !== undefined
        ? { environment: options.onlyUnmanaged.environment }
        : {}),
    },
  );
  return {
    model,
    addedKinds,
    skipped,
    files: files.map((f) => rel(f.path)),
    envTemplate: rel(templateName),
    issues: check.issues.filter((i) => !UNSET_VARIABLE.has(i.code)),
    checked: true,
  };
}

/**
 * The config `--only-unmanaged` completes, without the files this import is about to rewrite: what an earlier run
 * adopted into them is unmanaged again and written again, rather than left out of the new files (and then deleted).
 */
async function withoutFilesToRewrite(
  paths: readonly string[],
  outDir: string,
  cwd: string,
): Promise<readonly string[]> {
  const targets = new Set(yamlFileNames(UNMANAGED_BASE).map((f) => path.join(outDir, f)));
  const found = await findConfigFiles(paths, cwd);
  if (found.issues.length > 0 || !found.files.some((f) => targets.has(f.abs))) return paths;
  return found.files.filter((f) => !targets.has(f.abs)).map((f) => f.abs);
}

/** Every environment variable a desired state's secrets name. */
function envNamesOf(desired: DesiredState): string[] {
  const out: string[] = [];
  for (const kind of KINDS)
    for (const r of desired.resources[kind].values())
      for (const s of Object.values(r.secrets ?? {})) out.push(s.env);
  return out;
}

/**
 * The live state of every kind that can be read. A path m3ter never published that answers 404 (an unconfirmed
 * endpoint) leaves out its kind and every kind that needs it to resolve references; so does, in a full import
 * (`every`), a newer API this org's m3ter does not serve, which a kind asked for by name needs. The rest is read and
 * written.
 */
async function readWhatCanBeRead(
  session: Session,
  kinds: ReadonlySet<Kind>,
  every: boolean,
): Promise<{
  live: Awaited<ReturnType<typeof readLiveState>>;
  read: Set<Kind>;
  skipped: ImportOutcome['skipped'];
}> {
  const read = new Set(kinds);
  const skipped: ImportOutcome['skipped'] = [];
  for (;;) {
    try {
      return { live: await readLiveState(session.client, read), read, skipped };
    } catch (error) {
      const skippable =
        error instanceof UnconfirmedEndpointError || (every && error instanceof NotServedEndpointError);
      if (!skippable || !read.has(error.kind)) throw error;
      const lost = KINDS_TOP_DOWN.filter((k) => read.has(k) && withReferencedKinds([k]).has(error.kind));
      for (const k of lost) read.delete(k);
      skipped.push({ kinds: lost, reason: error.message });
    }
  }
}

/** What an existing config declares, or ignores (a copy of an ignored entity included), is left out. */
function unmanagedFilter(
  desired: DesiredState,
  live: { [K in Kind]: ReadonlyMap<string, LiveResource> },
): { skip: (kind: Kind, key: string) => boolean; declared: (kind: Kind, key: string) => boolean } {
  const matchers = Object.fromEntries(
    KINDS.map((k) => [k, createIgnoreMatcher(desired.ignore[k])]),
  ) as Record<Kind, (key: string) => boolean>;
  const declared = (kind: Kind, key: string) => desired.resources[kind].has(key);
  return {
    declared,
    skip: (kind, key) => {
      if (declared(kind, key) || matchers[kind](key)) return true;
      const of = live[kind].get(key)?.live.duplicateOf;
      return of !== undefined && matchers[kind](of);
    },
  };
}

/** A user error about where import writes (`--out` names a file, a link where a file goes). */
export class ImportOutError extends M3terConfigError {}

/**
 * Writes the files into `outDir` all or nothing: each to a new temporary name (created exclusively, so no link is
 * followed), then renamed into place once every one is written; on any error the temporaries are removed and no
 * file is replaced. A link where a file goes is refused even with `force` (writing through it would change a file
 * outside `--out`); an existing file is replaced only with `force`.
 */
export async function writeFilesTogether(
  outDir: string,
  files: readonly { path: string; text: string }[],
  options: { force: boolean; cwd: string },
): Promise<void> {
  const show = (p: string) => path.relative(options.cwd, p) || p;
  const dir = await stat(outDir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : e));
  if (dir instanceof Error || (dir && !dir.isDirectory()))
    throw new ImportOutError(
      'import_out_not_folder',
      `--out ${show(outDir)} is not a folder${dir instanceof Error ? ` (${dir.code ?? dir.message})` : ''}; choose a folder (it is made when missing)`,
    );
  if (!dir) {
    try {
      await mkdir(outDir, { recursive: true });
    } catch (e) {
      throw new ImportOutError(
        'import_out_not_folder',
        `cannot make the --out folder ${show(outDir)} (${(e as NodeJS.ErrnoException).code ?? 'error'}): a part of the path is a file or not writable; choose another --out folder`,
      );
    }
  }
  const existing: string[] = [];
  for (const f of files) {
    const target = path.join(outDir, f.path);
    const st = await lstat(target).catch(() => undefined);
    if (!st) continue;
    if (st.isSymbolicLink())
      throw new ImportOutError(
        'import_target_is_link',
        `${show(target)} is a symbolic link; import never writes through one (it would change the file it points at): remove the link, or choose another --out folder`,
      );
    if (!st.isFile())
      throw new ImportOutError(
        'import_target_not_file',
        `${show(target)} exists and is not a file; remove it, or choose another --out folder`,
      );
    existing.push(target);
  }
  if (existing.length > 0 && !options.force)
    throw new ImportWouldOverwriteError(
      'import_would_overwrite',
      `import would overwrite ${existing.map(show).join(', ')}; choose another --out folder, or pass --force to overwrite`,
      { files: existing.map(show) },
    );
  const temps: { temp: string; target: string }[] = [];
  const fail = async (e: unknown, what: string): Promise<never> => {
    await Promise.all(temps.map((t) => unlink(t.temp).catch(() => undefined)));
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new ImportOutError('import_write_failed', `cannot write into ${show(outDir)} (${code}); ${what}`);
  };
  try {
    for (const f of files) {
      const target = path.join(outDir, f.path);
      const temp = path.join(
        path.dirname(target),
        `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
      );
      temps.push({ temp, target });
      await writeFile(temp, f.text, { flag: 'wx', mode: 0o644 });
    }
  } catch (e) {
    await fail(e, 'nothing was written');
  }
  // rename replaces a path without following a link there; every file is written before the first one moves.
  let moved = 0;
  try {
    for (const t of temps) {
      await rename(t.temp, t.target);
      moved++;
    }
  } catch (e) {
    temps.splice(0, moved);
    await fail(e, `${moved} of ${files.length} files were replaced`);
  }
}
