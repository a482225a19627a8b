import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Plan } from '../../model/plan.js';
import type { DesiredState } from '../../model/state.js';
import { mermaidOverLimits, renderGraph } from '../../render/graph/index.js';
import { FocusNotFound, readPlanToDraw, renderSvg, topologyToDraw } from '../../workflow/graph.js';
import { loadDesired, planAgainst } from '../../workflow/plan.js';
import { validate } from '../../workflow/validate.js';
import { ConfigError } from '../../model/errors.js';
import { type CommandContext, defineCommand } from '../command.js';
import { PLANNING_ENV_NAMES } from '../environment.js';
import { EXIT, exitCodeForAbort } from '../exit-codes.js';
import { closest } from '../../model/suggest.js';
import { ENV_FILE_OPTION, fileLoadOptions, formatOf, TARGET_OPTIONS, UsageError, write } from '../options.js';
import { closeAfter, configPaths, openTarget, showWarnings, untilAborted } from './shared.js';

/** A positional that is a file not named *.yaml / *.yml is a saved plan, as for `apply PLANFILE`. */
async function splitPlanFile(
  cwd: string,
  positionals: string[],
): Promise<{ planFile?: string; paths: string[] }> {
  const files: string[] = [];
  const paths: string[] = [];
  for (const arg of positionals) {
    const info = /\.ya?ml$/i.test(arg)
      ? undefined
      : await stat(path.resolve(cwd, arg)).catch(() => undefined);
    (info?.isFile() ? files : paths).push(arg);
  }
  if (files.length > 1) throw new UsageError(`--plan takes one saved plan, got ${files.join(', ')}`);
  return files[0] === undefined ? { paths } : { planFile: path.resolve(cwd, files[0]), paths };
}

async function loadForDrawing(
  ctx: CommandContext,
  paths: string[],
  load: { envFiles?: string[]; environment?: string },
): Promise<DesiredState> {
  // Drawing needs no secret: an unset variable is a warning here, as in validate.
  const result = await validate(configPaths(ctx, paths), {
    env: ctx.env,
    cwd: ctx.cwd,
    ...load,
  });
  if (result.errorCount > 0 || !result.state) throw new ConfigError(result.issues);
  showWarnings(
    ctx,
    result.issues.filter((i) => i.code !== 'missing_env' && i.code !== 'empty_env'),
    false,
  );
  return result.state;
}

/** The target flags, which only --plan without a PLANFILE uses (a picture does not name a target on its first line). */
const GRAPH_TARGET_OPTIONS = Object.fromEntries(
  Object.entries(TARGET_OPTIONS).map(([name, spec]) => [name, { ...spec, group: 'Target (--plan only)' }]),
) as { [K in keyof typeof TARGET_OPTIONS]: Omit<(typeof TARGET_OPTIONS)[K], 'group'> & { group: string } };

export const graphCommand = defineCommand({
  name: 'graph',
  summary:
    'Draw the topology (scheduled events, rules, links, webhooks, integrations, credentials) as Mermaid, DOT or SVG',
  synopsis: 'graph [PATH...] [--plan [PLANFILE]] [options]',
  description: `Draws the entities the files declare and the references between them: rules fire through links,
links deliver to webhooks, integrations use credentials. One group per kind; each box shows the key (and the
name where it differs); long labels are shortened, the full name kept in a tooltip (DOT, SVG) or comment
(Mermaid). Offline: needs no target and no secret.

With --plan, plans against the target first (as \`plan\` does, sending only reads) and marks every change by
colour and by sign: + create, ~ update, - delete, and each reference that comes (+, thick) or goes (-, dashed).
With --plan PLANFILE (from \`plan --out\`), draws that saved plan instead, offline; PATHs add the unchanged
entities around it. --focus KEY draws one entity and what is connected to it; --changed-only the changes and
what is connected to them.

Formats: mermaid (GitHub and GitLab render it in Markdown), dot (Graphviz), svg (drawn in-process by Graphviz
compiled to WebAssembly). The same input gives the same bytes. A Mermaid picture over Mermaid's default limits
(500 arrows, 50,000 characters), which GitHub and GitLab would not draw, is refused unless --format mermaid is
given, and the error says to use svg or dot.`,
  options: {
    format: { type: 'string', short: 'f', value: 'mermaid|dot|svg', help: 'output (default mermaid)' },
    plan: {
      type: 'boolean',
      help: 'mark the changes a plan against the target would make;\nwith a PLANFILE argument, those of that saved plan',
    },
    focus: {
      type: 'string',
      value: 'KEY',
      help: 'draw only this entity and what is connected to it (KEY, or KIND:KEY such as webhook:ops)',
    },
    'changed-only': {
      type: 'boolean',
      help: 'with --plan: draw only the changes and what is connected to them',
    },
    ...ENV_FILE_OPTION,
    ...GRAPH_TARGET_OPTIONS,
  },
  env: PLANNING_ENV_NAMES,
  exits: {
    ok: true,
    error: true,
    interrupted: '--plan against the target: stopped by SIGINT',
    terminated: true,
  },
  async run(ctx, { values, positionals }) {
    const format = formatOf(values.format, ['mermaid', 'dot', 'svg'] as const, 'mermaid');
    if (values['changed-only'] && !values.plan) throw new UsageError('--changed-only needs --plan');
    const { planFile, paths } = values.plan
      ? await splitPlanFile(ctx.cwd, positionals)
      : { paths: positionals };
    const load = fileLoadOptions(values, ctx.env);
    let desired: DesiredState | undefined;
    let plan: Plan | undefined;
    if (planFile) {
      plan = await readPlanToDraw(planFile);
      if (paths.length > 0) desired = await loadForDrawing(ctx, paths, load);
    } else if (values.plan) {
      const loaded = await loadDesired(configPaths(ctx, paths), {
        env: ctx.env,
        cwd: ctx.cwd,
        ...load,
      });
      showWarnings(ctx, loaded.warnings, false);
      desired = loaded.state;
      const planned = await planWithTarget(ctx, values, desired);
      if (planned === undefined) return exitCodeForAbort(ctx.signal);
      plan = planned;
    } else {
      desired = await loadForDrawing(ctx, paths, load);
    }
    let graph;
    try {
      graph = topologyToDraw(
        { desired: desired?.resources, plan },
        { focus: values.focus, changedOnly: values['changed-only'] ?? false },
      );
    } catch (error) {
      if (!(error instanceof FocusNotFound)) throw error;
      const hint = closest(error.focus, error.known);
      throw new UsageError(`${error.message}${hint ? `; did you mean --focus ${hint}?` : ''}`);
    }
    const text = renderGraph(graph, format === 'svg' ? 'dot' : format);
    const over = format === 'mermaid' ? mermaidOverLimits(text) : undefined;
    if (over !== undefined) {
      const fix =
        'draw it with --format svg or --format dot, or draw less with --focus KEY or --plan --changed-only';
      // Asked for by name, Mermaid is written anyway (a page may raise the limits); by default it is not.
      if (values.format === undefined)
        throw new UsageError(`${over}; ${fix} (--format mermaid writes it anyway)`);
      write(ctx.stderr, `warning: ${over}; ${fix}`);
    }
    write(ctx.stdout, format === 'svg' ? await renderSvg(text) : text);
    return EXIT.ok;
  },
});

/** The plan against the target, or undefined when the user interrupted it. */
async function planWithTarget(
  ctx: CommandContext,
  values: Parameters<typeof openTarget>[1],
  desired: DesiredState,
): Promise<Plan | undefined> {
  const session = await openTarget(ctx, values, { readsOnly: true, environment: desired.environment });
  return closeAfter(
    ctx,
    session,
    async () => {
      const { plan, warnings } = await untilAborted(
        ctx.signal,
        planAgainst(desired, session, { onlineChecks: 'off' }),
      );
      showWarnings(ctx, warnings, false);
      return plan;
    },
    {
      message: (reason) => `Graph interrupted by ${reason}.`,
      result: () => undefined,
    },
  );
}
