import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { writeSavedPlan } from '../../workflow/saved-plan.js';
import { planIsEmpty, planIsUnsafe } from '../../plan/index.js';
import { renderPlan } from '../../render/plan.js';
import { loadDesired, planAgainst } from '../../workflow/plan.js';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import {
  formatOf,
  OUTPUT_OPTIONS,
  PLAN_OPTIONS,
  parse,
  parseDeleteBudget,
  TARGET_OPTIONS,
  useColor,
  write,
} from '../options.js';
import { configPaths, openTarget, showWarnings, TARGET_HELP } from './shared.js';

export const planCommand: Command = {
  name: 'plan',
  summary: 'Diff the config files against the live m3ter org and show the changes',
  usage: `Usage: m3ter-config plan [PATH...] [options]

Loads every *.yaml/*.yml under each PATH (default: ./m3ter.yaml, ./m3ter.yml or the folder ./m3ter),
reads the live org and shows the creates, updates and deletes that apply would run, in order.
Sends only reads.

Options:
  -f, --format text|json|markdown  output (default text; json is stable, see docs/plan-json.md; markdown for a PR)
      --out FILE           also save the plan (checksummed, no secret values) for \`apply FILE\`
      --detailed-exitcode  exit 0 no changes, 2 changes, 1 error, 3 unsafe
      --rotate-secrets     re-send every managed webhook's secrets even when their fingerprints match
      --allow-deletes      accept more deletes than the delete budget
      --delete-budget N|N% deletes allowed per kind (default: 25% of a kind's live entities once it has 8; never every one of 2 or more, at most half of a smaller kind)
      --env-file FILE      read variables from FILE (KEY=VALUE); the environment wins; repeatable
      --no-color           no ANSI colours (also when NO_COLOR is set or output is not a terminal)

${TARGET_HELP}

Exit status: 0 success, 1 error, 3 unsafe plan (with --detailed-exitcode, 2 when there are changes).`,
  async run(ctx) {
    const { values, positionals } = parse(ctx.argv, {
      ...OUTPUT_OPTIONS,
      ...TARGET_OPTIONS,
      out: { type: 'string' },
      'detailed-exitcode': { type: 'boolean' },
      ...PLAN_OPTIONS,
    });
    if (values.help) {
      write(ctx.stdout, this.usage);
      return EXIT.ok;
    }
    const format = formatOf(values.format, ['text', 'json', 'markdown'] as const, 'text');
    const deleteBudget = parseDeleteBudget(values['delete-budget']);
    const color = useColor(ctx, values['no-color']);
    const { state, warnings } = await loadDesired(configPaths(ctx, positionals), {
      env: ctx.env,
      cwd: ctx.cwd,
      ...(values['env-file'] ? { envFiles: values['env-file'] } : {}),
    });
    showWarnings(ctx, warnings, color && Boolean(ctx.stderr.isTTY));
    const session = await openTarget(ctx, values);
    try {
      const { plan, warnings: liveWarnings } = await planAgainst(state, session, {
        rotateSecrets: values['rotate-secrets'] ?? false,
        allowDeletes: values['allow-deletes'] ?? false,
        deleteBudget,
      });
      showWarnings(ctx, liveWarnings, color && Boolean(ctx.stderr.isTTY));
      write(ctx.stdout, renderPlan(plan, { format, color: format === 'text' && color }));
      if (values.out) {
        const file = path.resolve(ctx.cwd, values.out);
        await writeFile(file, writeSavedPlan(plan), { mode: 0o600 });
        if (format === 'text')
          write(ctx.stdout, `Saved the plan to ${values.out}; run: m3ter-config apply ${values.out}`);
      }
      if (planIsUnsafe(plan)) return EXIT.unsafe;
      if (values['detailed-exitcode']) return planIsEmpty(plan) ? EXIT.ok : EXIT.changes;
      return EXIT.ok;
    } finally {
      await session.close();
    }
  },
};
