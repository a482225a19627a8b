import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { readSavedPlan } from '../../workflow/saved-plan.js';
import type { Plan } from '../../model/plan.js';
import type { DesiredState, LiveState } from '../../model/state.js';
import { recordApply, writeApplyRecord } from '../../workflow/drift.js';
import type { Session } from '../../workflow/session.js';
import { describeTarget } from '../../model/target.js';
import { planIsEmpty } from '../../plan/index.js';
import { renderApplyEvent, renderApplyResult } from '../../render/apply.js';
import { renderPlan } from '../../render/plan.js';
import {
  assertSameTarget,
  runApply,
  type RunApplyOptions,
  type RunApplyResult,
} from '../../workflow/apply.js';
import {
  ApplyProgress,
  type ApplyVerdict,
  emptyApplyResult,
  judgeApply,
  refuseUnsafePlan,
} from '../../workflow/apply-steps.js';
import { type EnvironmentStamp, environmentStamp } from '../../model/environment.js';
import {
  allowsUnknownOrgType,
  checkConfirmOrg,
  checkOrgKind,
  checkPlanEnvironment,
  confirmOrgOf,
  effectiveOrgType,
  guardedPlan,
  type OrgKindReading,
  readOrgKind,
  stampPlan,
} from '../../workflow/org-guard.js';
import { type PlanOutcome, type PlanSettings, planAgainst, resolveEnv } from '../../workflow/plan.js';
import { type CommandContext, defineCommand } from '../command.js';
import { PLANNING_ENV_NAMES } from '../environment.js';
import { EXIT, exitCodeForAbort } from '../exit-codes.js';
import { INTERRUPT_BOUND_MS } from '../interrupt.js';
import {
  delivered,
  chosenEnvironment,
  formatOf,
  ORG_GUARD_OPTIONS,
  parseDeleteBudget,
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
  openTarget,
  showNotes,
  showWarnings,
  untilAborted,
  writeFileAtomically,
} from './shared.js';

/** A single argument that is a file not named *.yaml / *.yml is a saved plan. */
async function savedPlanPath(cwd: string, positionals: string[]): Promise<string | undefined> {
  if (positionals.length !== 1) return undefined;
  const arg = positionals[0] as string;
  if (/\.ya?ml$/i.test(arg)) return undefined;
  const file = path.resolve(cwd, arg);
  const info = await stat(file).catch(() => undefined);
  return info?.isFile() ? file : undefined;
}

async function confirm(ctx: CommandContext, plan: Plan, production: boolean): Promise<boolean> {
  const rl = createInterface({ input: ctx.stdin, output: ctx.stderr, terminal: true });
  try {
    // Ctrl-C at the prompt reaches readline (the terminal is in raw mode), not the process: it is a no.
    const cancelled = new Promise<string>((resolve) => rl.once('SIGINT', () => resolve('')));
    // A PRODUCTION org is confirmed by its id, typed: a `yes` given out of habit does not change production.
    const expected = production ? plan.target.orgId : 'yes';
    const question = production
      ? `\nApply these changes to ${describeTarget(plan.target)}, a PRODUCTION org?\n  Type the org id (${plan.target.orgId}) to confirm: `
      : `\nApply these changes to ${describeTarget(plan.target)}?\n  Only 'yes' will be accepted: `;
    const answer = await Promise.race([rl.question(question, { signal: ctx.signal }), cancelled]).catch(
      () => '',
    );
    return answer.trim() === expected;
  } finally {
    rl.close();
  }
}

export const applyCommand = defineCommand({
  name: 'apply',
  summary: 'Run the planned creates, updates and deletes against the org, in order, with version checks',
  synopsis: 'apply [PATH... | PLANFILE] [options]',
  description: `With config paths (default: ./m3ter.yaml, ./m3ter.yml or the folder ./m3ter): plans, shows the plan,
asks for confirmation on a terminal, then applies it; a rule m3ter would refuse (unknown eventName, a calculation
POST /notifications/evaluate rejects) stops it before any write, as in plan. With a saved plan (from \`plan --out FILE\`): checks
its checksum, re-reads every entity it touches and refuses (exit 4) if anything moved since, then applies it
without asking. Secrets are read again from the environment; a saved plan holds none.

Changes run by levels: credentials, webhooks, rules, links (deletes in reverse), each update pinned to the
version that was planned. A failure stops the run with an exact account of what was applied, what failed and what
was not attempted; a new plan shows exactly the remainder.

SIGINT or SIGTERM: no new change starts, the changes in flight finish (at most ${INTERRUPT_BOUND_MS / 1000} s, then it exits
anyway), the account is printed and the exit status is 130 or 143; apply again to finish. A second signal does not
cut a write off: it says how many changes it is waiting for.`,
  options: {
    'auto-approve': { type: 'boolean', help: 'do not ask (required without a terminal, e.g. in CI)' },
    verify: { type: 'boolean', help: 'plan again after applying and fail unless nothing is left' },
    format: { type: 'string', short: 'f', value: 'text|json', help: 'output (default text)' },
    record: {
      type: 'string',
      value: 'FILE',
      help: 'after a successful apply, write the record of it (ids and versions, no secret)\nfor `drift --since FILE`',
    },
    'confirm-org': {
      type: 'string',
      value: 'ORG_ID',
      help: 'the PRODUCTION org this apply is meant for, when no prompt confirms it (--auto-approve,\na saved plan): refused unless it is the target org id (or M3TER_CONFIG_CONFIRM_ORG)',
    },
    ...PLANNING_OPTIONS,
    ...ORG_GUARD_OPTIONS,
  },
  env: PLANNING_ENV_NAMES,
  exits: {
    ok: 'applied (or nothing to do)',
    error: 'error or failed change',
    unsafe: true,
    stale: true,
    interrupted: 'stopped by SIGINT (Ctrl-C) after the changes in flight; apply again to finish',
    terminated: 'stopped by SIGTERM after the changes in flight; apply again to finish',
  },
  async run(ctx, { values, positionals }) {
    const format = formatOf(values.format, ['text', 'json'] as const, 'text');
    const color = format === 'text' && useColor(ctx, values['no-color']);
    const text = format === 'text';
    const settings: PlanSettings = {
      rotateSecrets: values['rotate-secrets'] ?? false,
      allowDeletes: values['allow-deletes'] ?? false,
      deleteBudget: parseDeleteBudget(values['delete-budget']),
      onlineChecks: values['skip-online-checks'] ? 'skip' : 'run',
      cwd: ctx.cwd,
    };
    const planFile = await savedPlanPath(ctx.cwd, positionals);
    const envFiles = values.dotenv ?? [];

    let plan: Plan;
    let desired: DesiredState | undefined;
    let planned: PlanOutcome | undefined;
    let opened: Session | undefined;
    const fromFile = planFile !== undefined;
    if (planFile) {
      if (values['rotate-secrets'] || values['delete-budget'] || values['skip-online-checks']) {
        throw new UsageError(
          '--rotate-secrets, --delete-budget and --skip-online-checks are plan options; give them to `plan --out` (a saved plan was checked when it was made)',
        );
      }
      plan = await readSavedPlan(
        await readFile(planFile, 'utf8'),
        await resolveEnv(ctx.env, envFiles, ctx.cwd),
      );
      checkPlanEnvironment(plan.environment, chosenEnvironment(values, ctx.env));
    } else {
      const loaded = await loadAndOpenTarget(ctx, values, configPaths(ctx, positionals), {
        ...fileLoadOptions(values, ctx.env),
        envFiles,
        ...(values.stack !== undefined ? { stack: values.stack } : {}),
      });
      desired = loaded.state;
      opened = loaded.session;
      showWarnings(ctx, loaded.warnings, Boolean(ctx.stderr.isTTY) && color);
    }

    const session =
      opened ?? (await openTarget(ctx, values, { environment: fromFile ? plan!.environment : undefined }));
    const allowUnknown = allowsUnknownOrgType(values['allow-unknown-org-type'], ctx.env);
    return closeAfter(
      ctx,
      session,
      async () => {
        let environment: EnvironmentStamp | undefined;
        let reading: OrgKindReading;
        if (fromFile) {
          assertSameTarget(plan!.target, session.target.description);
          environment = plan!.environment;
          reading = await untilAborted(ctx.signal, readOrgKind(session.client));
          showNotes(ctx, checkOrgKind(environment, reading, allowUnknown));
        } else {
          environment = desired!.environment ? environmentStamp(desired!.environment) : undefined;
          // users/me is read on every apply, beside the plan's reads: the kind decides whether --confirm-org is needed.
          const guarded = await untilAborted(
            ctx.signal,
            guardedPlan(session.client, { environment, allowUnknown, always: true }, () =>
              planAgainst(desired!, session, settings),
            ),
          );
          showNotes(ctx, guarded.warnings);
          planned = guarded.value;
          reading = guarded.reading ?? { type: 'unknown', reason: 'GET /users/me was not read' };
          plan = stampPlan(planned.plan, environment, reading);
          showWarnings(ctx, planned.warnings, Boolean(ctx.stderr.isTTY) && color);
        }
        const orgType = effectiveOrgType(environment, reading, fromFile ? plan!.orgType : undefined);
        if (ctx.signal.aborted) throw new Interrupted();
        if (text) write(ctx.stdout, renderPlan(plan!, { format: 'text', color }));
        if (planIsEmpty(plan!)) {
          if (!text)
            write(ctx.stdout, renderApplyResult(emptyApplyResult(), { format: 'json', color: false }));
          await saveRecord(ctx, values.record, session, plan!, { desired, after: planned?.live });
          return EXIT.ok;
        }
        refuseUnsafePlan(plan!, values['allow-deletes'] ?? false);
        if (!fromFile && !values['auto-approve']) {
          const refused = await confirmOrRefuse(ctx, plan!, orgType === 'PRODUCTION');
          if (refused !== undefined) return refused;
        } else {
          checkConfirmOrg({
            orgType,
            orgId: session.target.orgId,
            confirmOrg: confirmOrgOf(values['confirm-org'], ctx.env),
          });
        }

        const ran = await runWithProgress(ctx, { text, color }, session, plan!, {
          allowUnsafe: values['allow-deletes'] ?? false,
          checkCurrent: true,
          verify: values.verify ?? false,
          ...(desired ? { desired } : {}),
          settings,
          ...(planned ? { planned } : {}),
          signal: ctx.signal,
        });
        const { result, verifyLive } = ran;
        write(ctx.stdout, renderApplyResult(result, { format, color }));
        // The reader of stdout went away (`apply ... | head -1`): the run went on, and its account goes to stderr.
        if (!(await delivered(ctx.stdout)))
          write(ctx.stderr, renderApplyResult(result, { format: 'text', color: false }));
        const failed = reportVerdict(ctx, { text, color }, judgeApply(ran));
        if (failed !== undefined) return failed;
        await saveRecord(ctx, values.record, session, plan!, { desired, after: verifyLive });
        if (values.record && text) write(ctx.stdout, `Recorded the apply in ${values.record}.`);
        return EXIT.ok;
      },
      {
        message: (reason) => `Apply interrupted by ${reason} before any change: nothing was changed.`,
        result: () => exitCodeForAbort(ctx.signal),
      },
    );
  },
});

/**
 * `--record FILE`: the record of a successful apply (drift --since FILE), from the state read after it when there
 * is one (verify, or the plan of an apply that had nothing to do), else read once more. Written atomically.
 */
async function saveRecord(
  ctx: CommandContext,
  file: string | undefined,
  session: Session,
  plan: Plan,
  known: { desired: DesiredState | undefined; after: LiveState | undefined },
): Promise<void> {
  if (!file) return;
  const record = await recordApply(session, plan, {
    ...(known.desired ? { desired: known.desired } : {}),
    ...(known.after ? { after: known.after } : {}),
  });
  await writeFileAtomically(ctx, file, writeApplyRecord(record));
}

/** Asks on the terminal before applying: undefined to go on, else the exit code (no terminal, or not `yes`). */
async function confirmOrRefuse(
  ctx: CommandContext,
  plan: Plan,
  production: boolean,
): Promise<number | undefined> {
  if (!ctx.stdin.isTTY) {
    write(
      ctx.stderr,
      'error: apply needs confirmation, and there is no terminal to ask on. ' +
        'Review the plan above and re-run with --auto-approve (as CI does), or apply a saved plan.',
    );
    return EXIT.error;
  }
  if (await confirm(ctx, plan, production)) return undefined;
  write(ctx.stderr, 'Apply cancelled; nothing was changed.');
  return ctx.signal.aborted ? exitCodeForAbort(ctx.signal) : EXIT.error;
}

interface Output {
  text: boolean;
  color: boolean;
}

/**
 * Runs the apply with its progress shown: each finished change on stdout (text), a live count on a terminal's
 * stderr, and on an interrupt what the run is waiting for; a repeated interrupt is held while changes are in flight.
 */
async function runWithProgress(
  ctx: CommandContext,
  out: Output,
  session: Session,
  plan: Plan,
  options: RunApplyOptions,
): Promise<RunApplyResult> {
  if (out.text) ctx.stdout.write('\n');
  const live = out.text && Boolean(ctx.stderr.isTTY);
  const progress = new ApplyProgress({
    ended: (event) => {
      if (out.text) write(ctx.stdout, renderApplyEvent(event, { color: out.color }));
    },
    status: (line) => {
      if (live) ctx.stderr.write(line === undefined ? '\r\u001b[2K' : `\r${line}`);
    },
  });
  const onAbort = (): void => {
    if (live) ctx.stderr.write('\r\u001b[2K');
    const bound = ctx.interrupts?.boundMs ?? INTERRUPT_BOUND_MS;
    write(ctx.stderr, progress.stoppingMessage(String(ctx.signal.reason), bound));
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const release = ctx.interrupts?.hold(() => progress.inFlight);
  try {
    return await runApply(session, plan, { ...options, onEvent: progress.onEvent });
  } finally {
    release?.();
    ctx.signal.removeEventListener('abort', onAbort);
    if (live) ctx.stderr.write('\r\u001b[2K');
  }
}

/** Says what a run came to beyond its account: the exit code of one that did not end well, else undefined. */
function reportVerdict(ctx: CommandContext, out: Output, verdict: ApplyVerdict): number | undefined {
  switch (verdict.type) {
    case 'interrupted':
      return exitCodeForAbort(ctx.signal);
    case 'stale':
      return EXIT.stale;
    case 'failed':
      return EXIT.error;
    case 'verify_plan_failed':
      write(ctx.stderr, renderPlan(verdict.plan, { format: 'text', color: out.color }));
      write(
        ctx.stderr,
        'error: verify failed: the org does not match the files after apply (see the plan above).',
      );
      return EXIT.error;
    case 'verify_mismatches':
      write(
        ctx.stderr,
        `error: verify failed: the org does not show every change of the saved plan:\n${verdict.mismatches.map((m) => `  ${m}`).join('\n')}`,
      );
      return EXIT.error;
    case 'applied':
      if (verdict.verified === 'plan' && out.text)
        write(ctx.stdout, 'Verified: a new plan shows no changes.');
      if (verdict.verified === 'saved_plan' && out.text)
        write(ctx.stdout, 'Verified: the org shows every change of the saved plan.');
      return undefined;
  }
}
