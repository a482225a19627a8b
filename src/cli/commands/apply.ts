import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { ApplyEvent } from '../../apply/index.js';
import { readSavedPlan } from '../../workflow/saved-plan.js';
import { UnsafePlanError } from '../../model/errors.js';
import type { Plan } from '../../model/plan.js';
import type { DesiredState, LiveState } from '../../model/state.js';
import { recordApply, writeApplyRecord } from '../../workflow/drift.js';
import type { Session } from '../../workflow/session.js';
import { describeTarget } from '../../model/target.js';
import { planIsEmpty, planIsUnsafe } from '../../plan/index.js';
import { renderApplyEvent, renderApplyResult } from '../../render/apply.js';
import { renderPlan } from '../../render/plan.js';
import { assertSameTarget, runApply } from '../../workflow/apply.js';
import { type PlanOutcome, type PlanSettings, planAgainst, resolveEnv } from '../../workflow/plan.js';
import { type CommandContext, defineCommand } from '../command.js';
import { PLANNING_ENV_NAMES } from '../environment.js';
import { EXIT, exitCodeForAbort } from '../exit-codes.js';
import { INTERRUPT_BOUND_MS } from '../interrupt.js';
import {
  delivered,
  formatOf,
  parseDeleteBudget,
  PLANNING_OPTIONS,
  UsageError,
  useColor,
  write,
} from '../options.js';
import {
  configPaths,
  Interrupted,
  loadAndOpenTarget,
  openTarget,
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

async function confirm(ctx: CommandContext, plan: Plan): Promise<boolean> {
  const rl = createInterface({ input: ctx.stdin, output: ctx.stderr, terminal: true });
  try {
    // Ctrl-C at the prompt reaches readline (the terminal is in raw mode), not the process: it is a no.
    const cancelled = new Promise<string>((resolve) => rl.once('SIGINT', () => resolve('')));
    const answer = await Promise.race([
      rl.question(
        `\nApply these changes to ${describeTarget(plan.target)}?\n  Only 'yes' will be accepted: `,
        {
          signal: ctx.signal,
        },
      ),
      cancelled,
    ]).catch(() => '');
    return answer.trim() === 'yes';
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
    ...PLANNING_OPTIONS,
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
    } else {
      const loaded = await loadAndOpenTarget(ctx, values, configPaths(ctx, positionals), {
        envFiles,
        ...(values.stack !== undefined ? { stack: values.stack } : {}),
      });
      desired = loaded.state;
      opened = loaded.session;
      showWarnings(ctx, loaded.warnings, Boolean(ctx.stderr.isTTY) && color);
    }

    let leaveSession = false;
    const session = opened ?? (await openTarget(ctx, values));
    try {
      if (fromFile) {
        assertSameTarget(plan!.target, session.target.description);
      } else {
        planned = await untilAborted(ctx.signal, planAgainst(desired!, session, settings));
        plan = planned.plan;
        showWarnings(ctx, planned.warnings, Boolean(ctx.stderr.isTTY) && color);
      }
      if (ctx.signal.aborted) throw new Interrupted();
      if (text) write(ctx.stdout, renderPlan(plan!, { format: 'text', color }));
      if (planIsEmpty(plan!)) {
        if (!text) write(ctx.stdout, renderApplyResult(emptyResult(), { format: 'json', color: false }));
        await saveRecord(ctx, values.record, session, plan!, { desired, after: planned?.live });
        return EXIT.ok;
      }
      if (planIsUnsafe(plan!) && !values['allow-deletes']) {
        const linked = plan!.unsafe.some((u) => u.rule === 'linked_delete');
        throw new UnsafePlanError(
          'plan_unsafe',
          linked
            ? 'the plan deletes a webhook or rule that live links still use; nothing was applied'
            : 'the plan deletes more than the delete budget allows; nothing was applied. ' +
                'Re-run with --allow-deletes if the deletes are intended',
        );
      }
      if (!fromFile && !values['auto-approve']) {
        if (!ctx.stdin.isTTY) {
          write(
            ctx.stderr,
            'error: apply needs confirmation, and there is no terminal to ask on. ' +
              'Review the plan above and re-run with --auto-approve (as CI does), or apply a saved plan.',
          );
          return EXIT.error;
        }
        if (!(await confirm(ctx, plan!))) {
          write(ctx.stderr, 'Apply cancelled; nothing was changed.');
          return ctx.signal.aborted ? exitCodeForAbort(ctx.signal) : EXIT.error;
        }
      }

      const total = plan!.changes.length;
      if (text) ctx.stdout.write('\n');
      const live = text && Boolean(ctx.stderr.isTTY);
      let inFlight = 0;
      const onEvent = (event: ApplyEvent) => {
        inFlight += event.type === 'started' ? 1 : -1;
        if (event.type !== 'started' && text) {
          if (live) ctx.stderr.write('\r\u001b[2K');
          write(ctx.stdout, renderApplyEvent(event, { color }));
        }
        if (live) ctx.stderr.write(`\rapplying: ${event.completed}/${total} done`);
      };
      const onAbort = (): void => {
        if (live) ctx.stderr.write('\r\u001b[2K');
        write(
          ctx.stderr,
          `${String(ctx.signal.reason)}: stopping; no new change starts. Waiting for ${inFlight} in-flight change${inFlight === 1 ? '' : 's'} to finish (at most ${(ctx.interrupts?.boundMs ?? INTERRUPT_BOUND_MS) / 1000} s).`,
        );
      };
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      const release = ctx.interrupts?.hold(() => inFlight);
      let ran: Awaited<ReturnType<typeof runApply>>;
      try {
        ran = await runApply(session, plan!, {
          onEvent,
          allowUnsafe: values['allow-deletes'] ?? false,
          checkCurrent: true,
          verify: values.verify ?? false,
          ...(desired ? { desired } : {}),
          settings,
          ...(planned ? { planned } : {}),
          signal: ctx.signal,
        });
      } finally {
        release?.();
        ctx.signal.removeEventListener('abort', onAbort);
      }
      const { result, verifyPlan, verifyMismatches, verifyLive } = ran;
      if (live) ctx.stderr.write('\r\u001b[2K');
      write(ctx.stdout, renderApplyResult(result, { format, color }));
      // The reader of stdout went away (`apply ... | head -1`): the run went on, and its account goes to stderr.
      if (!(await delivered(ctx.stdout)))
        write(ctx.stderr, renderApplyResult(result, { format: 'text', color: false }));
      if (result.status === 'interrupted') return exitCodeForAbort(ctx.signal);
      if (result.status === 'stale') return EXIT.stale;
      if (result.status !== 'applied') return EXIT.error;
      if (verifyPlan && !planIsEmpty(verifyPlan)) {
        write(ctx.stderr, renderPlan(verifyPlan, { format: 'text', color }));
        write(
          ctx.stderr,
          'error: verify failed: the org does not match the files after apply (see the plan above).',
        );
        return EXIT.error;
      }
      if (verifyMismatches && verifyMismatches.length > 0) {
        write(
          ctx.stderr,
          `error: verify failed: the org does not show every change of the saved plan:\n${verifyMismatches.map((m) => `  ${m}`).join('\n')}`,
        );
        return EXIT.error;
      }
      if (verifyPlan && text) write(ctx.stdout, 'Verified: a new plan shows no changes.');
      if (verifyMismatches && text)
        write(ctx.stdout, 'Verified: the org shows every change of the saved plan.');
      await saveRecord(ctx, values.record, session, plan!, { desired, after: verifyLive });
      if (values.record && text) write(ctx.stdout, `Recorded the apply in ${values.record}.`);
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof Interrupted)) throw error;
      leaveSession = true;
      write(
        ctx.stderr,
        `Apply interrupted by ${String(ctx.signal.reason)} before any change: nothing was changed.`,
      );
      return exitCodeForAbort(ctx.signal);
    } finally {
      // Closing waits for reads in flight; an apply interrupted while planning does not wait for them.
      if (leaveSession) void session.close().catch(() => undefined);
      else await session.close();
    }
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

function emptyResult() {
  return {
    status: 'applied',
    applied: [],
    failed: [],
    notAttempted: [],
    durationMs: 0,
    requests: 0,
    retries: 0,
    rateLimited: 0,
  } as const;
}
