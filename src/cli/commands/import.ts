import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { IMPORT_WRITERS, type ImportFormat, type ImportLayout } from '../../emit/index.js';
import { CONFIG_SECTION, KIND_LABEL } from '../../kinds/index.js';
import { KINDS, type Kind } from '../../model/kinds.js';
import { describeTarget } from '../../model/target.js';
import { escapeText } from '../../render/escape.js';
import { renderIssues } from '../../render/issues.js';
import { closest } from '../../model/suggest.js';
import { importOrg } from '../../workflow/import.js';
import { validate } from '../../workflow/validate.js';
import { ConfigError } from '../../model/errors.js';
import type { Environment } from '../../model/environment.js';
import type { CommandContext } from '../command.js';
import { defineCommand } from '../command.js';
import { PLANNING_ENV_NAMES } from '../environment.js';
import { EXIT, exitCodeForAbort } from '../exit-codes.js';
import {
  ENV_FILE_OPTION,
  formatOf,
  NO_COLOR_OPTION,
  TARGET_OPTIONS,
  UsageError,
  useColor,
  write,
  fileLoadOptions,
} from '../options.js';
import { closeAfter, openTarget, untilAborted } from './shared.js';

export const importCommand = defineCommand({
  name: 'import',
  summary: 'Write the live m3ter org as config files that plan clean (adopt an existing org)',
  synopsis: 'import [--out DIR] [options] | import --only-unmanaged PATH... [options]',
  description: `Reads the live org with the same requests as plan and writes every entity of the managed kinds as config:
the schema modeline, defaults left out, every string quoted so that it loads back exactly.
Secrets, which m3ter never returns, are written as { env: NAME } references; m3ter.env.template lists every
variable (names only). Set them, then \`plan DIR\` shows only the adoption of webhook secrets.
Live entities that cannot be written (no code, a duplicate key, a link to something missing) are listed
with the way forward and written under ignore, so a plan leaves them alone; the exit status is then 5.

With --only-unmanaged PATH..., writes only the live entities that config neither declares nor ignores,
to unmanaged.yaml in the folder of the first PATH (or --out), so \`plan PATH\` adopts them.
Refuses to overwrite an existing file unless --force.

With --format cdktf (or cdktn), writes main.ts, a stack of m3ter-config's constructs, with cdktf.json and
m3ter.env.template (TF_VAR_ names); run it, then plan cdktf.out/stacks/m3ter. Entities that could not be
written go into an Ignore construct, so a plan of the stack leaves them alone too; the exit status is then 5.`,
  options: {
    out: {
      type: 'string',
      value: 'DIR',
      help: "folder to write (default ./m3ter; with --only-unmanaged, the first PATH's folder)",
    },
    kinds: {
      type: 'string',
      multiple: true,
      value: 'LIST',
      help: `sections to import, comma-separated (default all: ${KINDS.map((k) => CONFIG_SECTION[k]).join(', ')});\nthe kinds they reference are added`,
    },
    layout: { type: 'string', value: 'single|per-kind', help: 'one file (default) or one file per kind' },
    format: {
      type: 'string',
      short: 'f',
      value: Object.keys(IMPORT_WRITERS).join('|'),
      help: 'file format (default yaml)',
    },
    'only-unmanaged': {
      type: 'boolean',
      help: 'import only what the config at PATH... does not declare or ignore',
    },
    force: { type: 'boolean', help: 'overwrite files that exist' },
    ...ENV_FILE_OPTION,
    ...NO_COLOR_OPTION,
    ...TARGET_OPTIONS,
  },
  env: PLANNING_ENV_NAMES,
  exits: {
    ok: 'every live entity was written, and the files validate (a stack: validated once it runs)',
    error: true,
    incomplete:
      'files written, but some live entities could not be (listed; left under ignore), or some kinds could not be read (listed; left out)',
    interrupted: true,
    terminated: true,
  },
  async run(ctx, { values, positionals }) {
    const format = formatOf(values.format, Object.keys(IMPORT_WRITERS) as ImportFormat[], 'yaml');
    const layout = formatOf(values.layout, ['single', 'per-kind'] as const, 'single') as ImportLayout;
    const kinds = values.kinds ? parseKinds(values.kinds) : undefined;
    const onlyUnmanaged = values['only-unmanaged'] ?? false;
    if (onlyUnmanaged && positionals.length === 0)
      throw new UsageError(
        '--only-unmanaged needs the config to compare with: import --only-unmanaged PATH...',
      );
    if (!onlyUnmanaged && positionals.length > 0)
      throw new UsageError(
        `import takes no PATH (got ${JSON.stringify(positionals[0])}); use --out DIR, or --only-unmanaged PATH...`,
      );
    const out = values.out ?? (onlyUnmanaged ? folderOf(ctx.cwd, positionals[0] as string) : 'm3ter');
    const color = useColor(ctx, values['no-color']);
    const load = fileLoadOptions(values, ctx.env);
    if (load.environment !== undefined && !onlyUnmanaged)
      throw new UsageError(
        '--env names an environment of the config files: import --only-unmanaged PATH... --env NAME',
      );
    // The target depends on the environment: its declaration is read (from the config) before the session opens.
    const environment =
      load.environment === undefined
        ? undefined
        : await environmentOf(ctx, positionals, load.environment, load.envFiles);
    const session = await openTarget(ctx, values, { readsOnly: true, environment });
    return closeAfter(
      ctx,
      session,
      async () => {
        const outcome = await untilAborted(
          ctx.signal,
          importOrg(session, {
            out,
            cwd: ctx.cwd,
            env: ctx.env,
            layout,
            format,
            force: values.force ?? false,
            signal: ctx.signal,
            ...(kinds ? { kinds } : {}),
            ...(onlyUnmanaged
              ? {
                  onlyUnmanaged: {
                    paths: positionals,
                    ...load,
                  },
                }
              : {}),
          }),
        );
        const { model } = outcome;
        const lines = [
          `Target: ${escapeText(describeTarget(session.target.description), { newlines: false })}`,
        ];
        if (outcome.addedKinds.length > 0)
          lines.push(
            `Also imported, because the requested kinds reference them: ${outcome.addedKinds.map((k) => CONFIG_SECTION[k]).join(', ')}.`,
          );
        const counts = model.kinds.map(
          (k) => `${model.entities[k].length} ${KIND_LABEL[k]}${model.entities[k].length === 1 ? '' : 's'}`,
        );
        lines.push(`Imported ${counts.join(', ') || 'nothing'}.`);
        lines.push(`Wrote ${outcome.files.map((f) => escapeText(f)).join(', ')}.`);
        const dir = escapeText(path.relative(ctx.cwd, path.resolve(ctx.cwd, out)) || '.');
        const planPath = outcome.checked ? dir : `${dir}/cdktf.out/stacks/m3ter`;
        if (!outcome.checked)
          lines.push(
            `The stack is checked when it runs: cd ${dir} && npx tsx main.ts (with m3ter-config, ${format} and constructs installed), then plan its synth output.`,
          );
        if (model.secrets.length > 0)
          lines.push(
            `${model.secrets.length} secret variable(s), listed in ${escapeText(outcome.envTemplate)}: set them (m3ter never returns secrets), then run: m3ter-config plan ${planPath}`,
          );
        write(ctx.stdout, lines.join('\n'));
        for (const p of model.problems)
          write(
            ctx.stderr,
            `! ${escapeText(p.message)}\n    ${escapeText(p.hint)}\n    ${outcome.checked ? 'written under ignore as' : 'written into the stack’s Ignore construct as'} ${escapeText(JSON.stringify(p.ignore))}`,
          );
        const errors = outcome.issues.filter((i) => i.severity === 'error');
        if (outcome.issues.length > 0)
          write(
            ctx.stderr,
            renderIssues(outcome.issues, { format: 'text', color: color && Boolean(ctx.stderr.isTTY) }),
          );
        if (errors.length > 0) {
          write(
            ctx.stderr,
            'error: the written files do not validate; this is a bug in import, please report it (the files are kept for inspection).',
          );
          return EXIT.error;
        }
        for (const skip of outcome.skipped)
          write(
            ctx.stderr,
            `! not imported: ${skip.kinds.map((k) => CONFIG_SECTION[k]).join(', ')} (their sections are left out of the files)\n    ${escapeText(skip.reason)}`,
          );
        if (outcome.skipped.length > 0)
          write(
            ctx.stderr,
            `Skipped ${outcome.skipped.flatMap((s) => s.kinds.map((k) => CONFIG_SECTION[k])).join(', ')}: m3ter could not be read for them (above); everything else was written.`,
          );
        if (model.problems.length > 0)
          write(
            ctx.stderr,
            `${model.problems.length} live entit${model.problems.length === 1 ? 'y' : 'ies'} could not be written ${outcome.checked ? 'as config' : 'into the stack'} (above); plan leaves them alone while they stay ${outcome.checked ? 'under ignore' : 'in Ignore'}.`,
          );
        if (model.problems.length > 0 || outcome.skipped.length > 0) return EXIT.incomplete;
        return EXIT.ok;
      },
      {
        message: (reason) => `Import interrupted by ${reason}; nothing was written.`,
        result: () => exitCodeForAbort(ctx.signal),
      },
    );
  },
});

/** `webhooks,links` (sections, or kind names) → kinds; an unknown one is a usage error with a suggestion. */
function parseKinds(values: readonly string[]): Set<Kind> {
  const names = new Map<string, Kind>();
  for (const k of KINDS) {
    names.set(CONFIG_SECTION[k].toLowerCase(), k);
    names.set(k.toLowerCase(), k);
  }
  const out = new Set<Kind>();
  for (const v of values.flatMap((x) => x.split(','))) {
    const name = v.trim();
    if (name === '') continue;
    const kind = names.get(name.toLowerCase());
    if (!kind) {
      const guess = closest(
        name,
        KINDS.map((k) => CONFIG_SECTION[k]),
      );
      throw new UsageError(
        `--kinds: unknown kind ${JSON.stringify(name)}${guess ? `; did you mean ${guess}?` : ''} (kinds: ${KINDS.map((k) => CONFIG_SECTION[k]).join(', ')})`,
      );
    }
    out.add(kind);
  }
  if (out.size === 0) throw new UsageError('--kinds needs at least one kind');
  return out;
}

function folderOf(cwd: string, p: string): string {
  const abs = path.resolve(cwd, p);
  return existsSync(abs) && statSync(abs).isDirectory() ? p : path.dirname(p);
}

/** The environment `name` of the config at `paths` (its files must load for it). */
async function environmentOf(
  ctx: CommandContext,
  paths: readonly string[],
  name: string,
  envFiles: readonly string[] | undefined,
): Promise<Environment> {
  const loaded = await validate(paths, {
    env: ctx.env,
    cwd: ctx.cwd,
    environment: name,
    ...(envFiles ? { envFiles } : {}),
  });
  if (loaded.errorCount > 0 || !loaded.state?.environment) throw new ConfigError(loaded.issues);
  return loaded.state.environment;
}
