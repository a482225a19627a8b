import { createRequire } from 'node:module';
import { ConfigError, OnlineCheckError } from '../model/errors.js';
import { renderIssues } from '../render/issues.js';
import type { Command, CommandContext } from './command.js';
import { renderEnvHelp, renderExitHelp } from './command.js';
import { ENVIRONMENT, type EnvName } from './environment.js';
import { describeError, EXIT, EXIT_MEANING, exitCodeFor, isUserError } from './exit-codes.js';
import { renderOptionHelp, UsageError, write } from './options.js';
import { closest } from '../model/suggest.js';
import { escapeText } from '../render/escape.js';

/**
 * The commands: name and summary for `--help`, and the module, imported only when the command runs (so `--version`
 * and `--help` load none). A new command: one line here, `load` importing its file in commands/. A test checks each
 * summary against its command's.
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'validate',
    summary: 'Check config files offline: every problem at once, with file, line and column',
    load: async () => (await import('./commands/validate.js')).validateCommand,
  },
  {
    name: 'plan',
    summary: 'Diff the config files against the live m3ter org and show the changes',
    load: async () => (await import('./commands/plan.js')).planCommand,
  },
  {
    name: 'apply',
    summary: 'Run the planned creates, updates and deletes against the org, in order, with version checks',
    load: async () => (await import('./commands/apply.js')).applyCommand,
  },
  {
    name: 'graph',
    summary:
      'Draw the topology (scheduled events, rules, links, webhooks, integrations, credentials) as Mermaid, DOT or SVG',
    load: async () => (await import('./commands/graph.js')).graphCommand,
  },
  {
    name: 'drift',
    summary: 'Report what differs between the live org and the files, who changed it, and which side moved',
    load: async () => (await import('./commands/drift.js')).driftCommand,
  },
  {
    name: 'compare',
    summary: 'Compare the orgs of two environments: what one holds that the other does not, field by field',
    load: async () => (await import('./commands/compare.js')).compareCommand,
  },
  {
    name: 'import',
    summary: 'Write the live m3ter org as config files that plan clean (adopt an existing org)',
    load: async () => (await import('./commands/import.js')).importCommand,
  },
  {
    name: 'export',
    summary: "Write the config files as Terraform JSON for m3ter's provider",
    load: async () => (await import('./commands/export.js')).exportCommand,
  },
  {
    name: 'webhook',
    summary: 'Receive and send signed webhook deliveries locally (listen, test-send)',
    load: async () => (await import('./commands/webhook.js')).webhookCommand,
  },
  {
    name: 'emulator',
    summary: 'Run a local m3ter API emulator',
    load: async () => (await import('./commands/emulator.js')).emulatorCommand,
  },
];

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
    'm3ter-config: declarative configuration for m3ter integrations (webhooks, scheduled events, notification',
    'rules, links, integration credentials, integrations), planned and applied against the m3ter API.',
    '',
    'Usage: m3ter-config <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    renderOptionHelp(GLOBAL_OPTIONS),
    '',
    "Run `m3ter-config <command> --help` for a command's options. Every option also works with one dash",
    '(-auto-approve) and with = before its value (--out=FILE).',
    '',
    `Environment:\n${renderEnvHelp(Object.keys(ENVIRONMENT) as EnvName[])}`,
    '',
    `Exit status:\n${renderExitHelp(Object.fromEntries(Object.keys(EXIT_MEANING).map((k) => [k, true])))}`,
  ].join('\n');
}

const GLOBAL_OPTIONS = {
  help: { type: 'boolean', short: 'h', help: 'show help (also after a command)', group: 'Global options' },
  version: { type: 'boolean', short: 'v', help: 'print the version', group: 'Global options' },
} as const;

const isFlag = (arg: string, name: string, short: string): boolean =>
  arg === `--${name}` || arg === `-${name}` || arg === `-${short}` || arg === name;

/** Runs one command line. Returns the exit code; never calls process.exit (the entry point does). */
export async function main(argv: string[], io: Omit<CommandContext, 'argv'>): Promise<number> {
  const [name, ...rest] = argv;
  const about = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
  if (about) {
    write(io.stdout, (await about.load()).usage);
    return EXIT.ok;
  }
  if (name === undefined || isFlag(name, 'help', 'h')) {
    write(io.stdout, help());
    return name === undefined ? EXIT.error : EXIT.ok;
  }
  if (isFlag(name, 'version', 'v')) {
    write(io.stdout, version());
    return EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    const hint = closest(
      name,
      COMMANDS.map((c) => c.name),
    );
    write(
      io.stderr,
      `error: unknown command ${escapeText(JSON.stringify(name))}${hint ? `; did you mean \`m3ter-config ${hint}\`?` : ''}\n\n${help()}`,
    );
    return EXIT.error;
  }
  const command = await entry.load();
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
      write(
        io.stderr,
        error instanceof OnlineCheckError
          ? 'Nothing was changed in the API: only reads, and evaluations that change nothing, were sent.'
          : error.readsSent
            ? 'Nothing was changed in the API: only the reads started while the files loaded were sent.'
            : 'Nothing was sent to the API.',
      );
      return EXIT.error;
    }
    write(io.stderr, describeError(error));
    if (!isUserError(error) && io.env['M3TER_CONFIG_DEBUG'] && error instanceof Error && error.stack) {
      write(io.stderr, error.stack);
    }
    return exitCodeFor(error);
  }
}
