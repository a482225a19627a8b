import { createRequire } from 'node:module';
import { ConfigError } from '../model/errors.js';
import { renderIssues } from '../render/issues.js';
import type { Command, CommandContext } from './command.js';
import { applyCommand } from './commands/apply.js';
import { emulatorCommand } from './commands/emulator.js';
import { planCommand } from './commands/plan.js';
import { validateCommand } from './commands/validate.js';
import { describeError, EXIT, exitCodeFor, isUserError } from './exit-codes.js';
import { UsageError, write } from './options.js';
import { escapeText } from '../render/escape.js';

export const COMMANDS: readonly Command[] = [validateCommand, planCommand, applyCommand, emulatorCommand];

function version(): string {
  const require = createRequire(import.meta.url);
  for (const candidate of ['../../package.json', '../../../package.json']) {
    try {
      return (require(candidate) as { version: string }).version;
    } catch {}
  }
  return 'unknown';
}

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'm3ter-config: declarative configuration for m3ter integrations (webhooks, notification rules, links,',
    'integration credentials), planned and applied against the m3ter API.',
    '',
    'Usage: m3ter-config <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `m3ter-config <command> --help` for a command's options.",
  ].join('\n');
}

/** Runs one command line. Returns the exit code; never calls process.exit (the entry point does). */
export async function main(argv: string[], io: Omit<CommandContext, 'argv'>): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    write(io.stdout, help());
    return name === undefined ? EXIT.error : EXIT.ok;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    write(io.stdout, version());
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    write(io.stderr, `error: unknown command ${escapeText(JSON.stringify(name))}\n\n${help()}`);
    return EXIT.error;
  }
  try {
    return await command.run({ ...io, argv: rest });
  } catch (error) {
    if (error instanceof UsageError) {
      write(
        io.stderr,
        `error: ${escapeText(error.message)}\nRun \`m3ter-config ${command.name} --help\` for usage.`,
      );
      return EXIT.error;
    }
    if (error instanceof ConfigError) {
      write(
        io.stderr,
        renderIssues(error.issues, {
          format: 'text',
          color: Boolean(io.stderr.isTTY) && !io.env['NO_COLOR'],
        }),
      );
      write(io.stderr, 'Nothing was sent to the API.');
      return EXIT.error;
    }
    write(io.stderr, describeError(error));
    if (!isUserError(error) && io.env['M3TER_CONFIG_DEBUG'] && error instanceof Error && error.stack) {
      write(io.stderr, error.stack);
    }
    return exitCodeFor(error);
  }
}
