import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
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
} from '../emit/index.js';
import { KINDS_TOP_DOWN, withReferencedKinds } from '../kinds/index.js';
import { readLiveState } from '../live/index.js';
import { ConfigError, type Issue, M3terConfigError, UnconfirmedEndpointError } from '../model/errors.js';
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
  onlyUnmanaged?: { paths: readonly string[]; envFiles?: readonly string[] };
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
   * never published answered 404, and the kinds that need it. Empty when every kind was read.
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
    const loaded = await validate(options.onlyUnmanaged.paths, {
      env: options.env,
      cwd: options.cwd,
      ...(options.onlyUnmanaged.envFiles ? { envFiles: options.onlyUnmanaged.envFiles } : {}),
    });
    if (loaded.errorCount > 0 || !loaded.state) throw new ConfigError(loaded.issues);
    desired = loaded.state;
  }

  const { live, read, skipped } = await readWhatCanBeRead(session, kinds);
  const model = importedModelOf(live, {
    kinds: read,
    ...(desired ? unmanagedFilter(desired, live.resources) : {}),
    emptySections: desired === undefined,
  });

  const baseName = desired ? 'unmanaged' : 'm3ter';
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

  const existing = files.map((f) => path.join(outDir, f.path)).filter((f) => existsSync(f));
  if (existing.length > 0 && !options.force) {
    throw new ImportWouldOverwriteError(
      'import_would_overwrite',
      `import would overwrite ${existing.map((f) => path.relative(options.cwd, f) || f).join(', ')}; choose another --out folder, or pass --force to overwrite`,
      { files: existing.map((f) => path.relative(options.cwd, f)) },
    );
  }
  if (options.signal?.aborted)
    throw new M3terConfigError('import_interrupted', 'import interrupted before writing');
  await mkdir(outDir, { recursive: true });
  for (const f of files) {
    await writeFile(path.join(outDir, f.path), f.text, { flag: options.force ? 'w' : 'wx' });
  }

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
 * The live state of every kind that can be read. A path m3ter never published that answers 404 (an unconfirmed
 * endpoint) leaves out its kind and every kind that needs it to resolve references; the rest is read and written.
 */
async function readWhatCanBeRead(
  session: Session,
  kinds: ReadonlySet<Kind>,
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
      if (!(error instanceof UnconfirmedEndpointError) || !read.has(error.kind)) throw error;
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
