import type { Readable, Writable } from 'node:stream';

/** What a command gets from the entry point. Commands never call process.exit; they return an exit code. */
export interface CommandContext {
  /** Arguments after the command name. */
  argv: string[];
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Resolves when the user interrupts (Ctrl-C); long-running commands (the emulator) stop on it. */
  signal: AbortSignal;
}

/** A command is data plus `run`. */
export interface Command {
  name: string;
  summary: string;
  /** Full help text shown by `m3ter-config <name> --help`. */
  usage: string;
  run(ctx: CommandContext): Promise<number>;
}
