import { closest } from '../model/suggest.js';
import type { CommandContext } from './context.js';
import { ENVIRONMENT, type EnvName } from './environment.js';
import { EXIT, EXIT_MEANING, type ExitName } from './exit-codes.js';
import {
  HELP_OPTION,
  type OptionTable,
  type ParsedArgs,
  parseArgv,
  renderOptionHelp,
  UsageError,
  write,
} from './options.js';

export type { CommandContext, InterruptControl } from './context.js';

/** A command is data plus `run`. */
export interface Command {
  name: string;
  summary: string;
  options: OptionTable;
  /** Full help text shown by `m3ter-config <name> --help`, generated from the declarations. */
  usage: string;
  run(ctx: CommandContext): Promise<number>;
  /** A command group's subcommands (defineCommandGroup). */
  subcommands?: readonly Command[];
}

export interface CommandSpec<O extends OptionTable> {
  name: string;
  summary: string;
  /** After `m3ter-config `: the arguments, e.g. `plan [PATH...] [options]`. */
  synopsis: string;
  description: string;
  options: O;
  /** The variables this command reads; a string replaces the general meaning. */
  env: readonly (EnvName | readonly [EnvName, string])[];
  /** The exit codes this command gives, with what they mean here (`true`: the general meaning). */
  exits: Partial<Record<ExitName, string | true>>;
  run(ctx: CommandContext, args: ParsedArgs<O & typeof HELP_OPTION>): Promise<number>;
}

function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([a]) => a.length)) + 2;
  return rows.map(([a, b]) => `  ${a.padEnd(width)}${b}`).join('\n');
}

export function renderEnvHelp(env: CommandSpec<OptionTable>['env']): string {
  return table(env.map((e): readonly [string, string] => (typeof e === 'string' ? [e, ENVIRONMENT[e]] : e)));
}

export function renderExitHelp(exits: Partial<Record<ExitName, string | true>>): string {
  const rows = (Object.entries(exits) as [ExitName, string | true][])
    .sort(([a], [b]) => EXIT[a] - EXIT[b])
    .map(([name, meaning]) => [String(EXIT[name]), meaning === true ? EXIT_MEANING[name] : meaning] as const);
  return table(rows);
}

export function renderUsage(spec: CommandSpec<OptionTable>): string {
  return [
    `Usage: m3ter-config ${spec.synopsis}`,
    '',
    spec.description,
    '',
    renderOptionHelp({ ...spec.options, ...HELP_OPTION }),
    '',
    'Every option also works with one dash (-auto-approve) and with = before its value (--out=FILE).',
    '',
    `Environment:\n${renderEnvHelp(spec.env)}`,
    '',
    `Exit status:\n${renderExitHelp(spec.exits)}`,
  ].join('\n');
}

/** A command from its declaration: parses its options, answers --help, and reports usage errors the same way. */
export function defineCommand<O extends OptionTable>(spec: CommandSpec<O>): Command {
  const options = { ...spec.options, ...HELP_OPTION };
  const usage = renderUsage(spec);
  return {
    name: spec.name,
    summary: spec.summary,
    options,
    usage,
    async run(ctx) {
      try {
        const args = parseArgv(ctx.argv, options);
        if (args.values.help) {
          write(ctx.stdout, usage);
          return EXIT.ok;
        }
        return await spec.run(ctx, args);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        write(ctx.stderr, `error: ${error.message}\nRun \`m3ter-config ${spec.name} --help\` for usage.`);
        return EXIT.error;
      }
    },
  };
}

export interface CommandGroupSpec {
  name: string;
  summary: string;
  description: string;
  /** Each subcommand is a defineCommand whose name is `<group> <sub>` (e.g. `webhook listen`). */
  commands: readonly Command[];
}

/**
 * A command with subcommands (`m3ter-config webhook listen`): the first argument picks the subcommand, which parses
 * the rest; `--help` (or nothing) lists them.
 */
export function defineCommandGroup(spec: CommandGroupSpec): Command {
  const subName = (c: Command): string => c.name.slice(spec.name.length + 1);
  const width = Math.max(...spec.commands.map((c) => subName(c).length));
  const usage = [
    `Usage: m3ter-config ${spec.name} <subcommand> [options]`,
    '',
    spec.description,
    '',
    'Subcommands:',
    ...spec.commands.map((c) => `  ${subName(c).padEnd(width)}  ${c.summary}`),
    '',
    `Run \`m3ter-config ${spec.name} <subcommand> --help\` for a subcommand's options.`,
    '',
    renderOptionHelp(HELP_OPTION),
    '',
    `Exit status:\n${renderExitHelp({ ok: 'as the subcommand says', error: 'no or unknown subcommand, or as the subcommand says' })}`,
  ].join('\n');
  return {
    name: spec.name,
    summary: spec.summary,
    options: HELP_OPTION,
    usage,
    subcommands: spec.commands,
    async run(ctx) {
      const [first, ...rest] = ctx.argv;
      if (first === undefined || /^--?(h|help)$/.test(first)) {
        write(first === undefined ? ctx.stderr : ctx.stdout, usage);
        return first === undefined ? EXIT.error : EXIT.ok;
      }
      const command = spec.commands.find((c) => subName(c) === first);
      if (!command) {
        const hint = closest(first, spec.commands.map(subName));
        write(
          ctx.stderr,
          `error: unknown subcommand ${JSON.stringify(first)}${hint ? `; did you mean \`m3ter-config ${spec.name} ${hint}\`?` : ''}\n\n${usage}`,
        );
        return EXIT.error;
      }
      return command.run({ ...ctx, argv: rest });
    },
  };
}
