import { writeSavedPlan } from '../../workflow/saved-plan.js';
import { planIsEmpty, planIsUnsafe } from '../../plan/index.js';
import { renderPlan } from '../../render/plan.js';
import { planAgainst } from '../../workflow/plan.js';
import { environmentStamp } from '../../model/environment.js';
import { allowsUnknownOrgType, guardedPlan, stampPlan } from '../../workflow/org-guard.js';
import { defineCommand } from '../command.js';
import { PLANNING_ENV_NAMES } from '../environment.js';
import { EXIT, exitCodeForAbort } from '../exit-codes.js';
import {
  formatOf,
  MARKDOWN_OPTIONS,
  ORG_GUARD_OPTIONS,
  parseDeleteBudget,
  parseMarkdownLimit,
  PLANNING_OPTIONS,
  UsageError,
  useColor,
  write,
  fileLoadOptions,
} from '../options.js';
import {
  configPaths,
  closeAfter,
  Interrupted,
  loadAndOpenTarget,
  showNotes,
  showWarnings,
  untilAborted,
  writeFileAtomically,
} from './shared.js';

export const planCommand = defineCommand({
  name: 'plan',
  summary: 'Diff the config files against the live m3ter org and show the changes',
  synopsis: 'plan [PATH...] [options]',
  description: `Loads every *.yaml/*.yml under each PATH (default: ./m3ter.yaml, ./m3ter.yml or the folder ./m3ter),
reads the live org and shows the creates, updates and deletes that apply would run, in order.
Every rule it creates or changes is checked against the org first: its eventName against GET /events/types, its
calculation through POST /notifications/evaluate (which changes nothing); one m3ter refuses refuses the plan, at
the rule's line (exit 1). Sends only reads and those evaluations. SIGINT or SIGTERM stops it at once; no plan file is written (an existing one is left as it was).

With none of M3TER_ORG_ID, M3TER_API_KEY, M3TER_API_SECRET set, the target is an embedded local emulator
whose org lives in .m3ter/local.json (git-ignored): nothing leaves this machine.`,
  options: {
    format: {
      type: 'string',
      short: 'f',
      value: 'text|json|markdown',
      help: 'output (default text; json is stable, see docs/plan-json.md; markdown for a PR)',
    },
    out: {
      type: 'string',
      value: 'FILE',
      help: 'also save the plan (checksummed, no secret values) for `apply FILE`',
    },
    'detailed-exitcode': { type: 'boolean', help: 'exit 0 no changes, 2 changes, 1 error, 3 unsafe' },
    ...MARKDOWN_OPTIONS,
    ...PLANNING_OPTIONS,
    ...ORG_GUARD_OPTIONS,
  },
  env: PLANNING_ENV_NAMES,
  exits: {
    ok: 'success (with --detailed-exitcode: no changes)',
    error: true,
    changes: 'with --detailed-exitcode: there are changes',
    unsafe: true,
    interrupted: true,
    terminated: true,
  },
  async run(ctx, { values, positionals }) {
    const format = formatOf(values.format, ['text', 'json', 'markdown'] as const, 'text');
    const deleteBudget = parseDeleteBudget(values['delete-budget']);
    const markdownLimit = parseMarkdownLimit(values['markdown-limit']);
    const fullMarkdown = values['markdown-full'];
    if (fullMarkdown !== undefined && format !== 'markdown')
      throw new UsageError('--markdown-full needs --format markdown');
    const color = useColor(ctx, values['no-color']);
    const { state, warnings, session } = await loadAndOpenTarget(
      ctx,
      values,
      configPaths(ctx, positionals),
      {
        ...fileLoadOptions(values, ctx.env),
        ...(values.stack !== undefined ? { stack: values.stack } : {}),
      },
      { readsOnly: true },
    );
    return closeAfter(
      ctx,
      session,
      async () => {
        showWarnings(ctx, warnings, color && Boolean(ctx.stderr.isTTY));
        const environment = state.environment ? environmentStamp(state.environment) : undefined;
        const guarded = await untilAborted(
          ctx.signal,
          guardedPlan(
            session.client,
            {
              environment,
              allowUnknown: allowsUnknownOrgType(values['allow-unknown-org-type'], ctx.env),
              // A saved plan records the kind it saw, so its apply needs --confirm-org for a PRODUCTION org even
              // when the apply's service user cannot read users/me.
              always: values.out !== undefined,
            },
            () =>
              planAgainst(state, session, {
                rotateSecrets: values['rotate-secrets'] ?? false,
                allowDeletes: values['allow-deletes'] ?? false,
                deleteBudget,
                onlineChecks: values['skip-online-checks'] ? 'skip' : 'run',
                cwd: ctx.cwd,
              }),
          ),
        );
        if (ctx.signal.aborted) throw new Interrupted();
        // Without environments plan only records the kind: an unreadable one is apply's to warn of.
        if (environment) showNotes(ctx, guarded.warnings);
        const { warnings: liveWarnings } = guarded.value;
        const plan = stampPlan(guarded.value.plan, environment, guarded.reading);
        showWarnings(ctx, liveWarnings, color && Boolean(ctx.stderr.isTTY));
        const markdown = {
          limit: markdownLimit,
          ...(values.out !== undefined ? { savedPlan: values.out } : {}),
          ...(fullMarkdown !== undefined ? { fullMarkdown } : {}),
        };
        write(ctx.stdout, renderPlan(plan, { format, color: format === 'text' && color, markdown }));
        if (fullMarkdown !== undefined) {
          const whole = renderPlan(plan, { format, color: false, markdown: { ...markdown, limit: 0 } });
          await writeFileAtomically(ctx, fullMarkdown, whole, { signal: ctx.signal });
        }
        if (values.out) {
          await writeFileAtomically(ctx, values.out, writeSavedPlan(plan), {
            mode: 0o600,
            signal: ctx.signal,
          });
          if (format === 'text')
            write(ctx.stdout, `Saved the plan to ${values.out}; run: m3ter-config apply ${values.out}`);
        }
        if (planIsUnsafe(plan)) return EXIT.unsafe;
        if (values['detailed-exitcode']) return planIsEmpty(plan) ? EXIT.ok : EXIT.changes;
        return EXIT.ok;
      },
      {
        message: (reason) =>
          `Plan interrupted by ${reason}${values.out ? `; ${values.out} was not written (a previous file is left as it was)` : ''}.`,
        result: () => exitCodeForAbort(ctx.signal),
      },
    );
  },
});
