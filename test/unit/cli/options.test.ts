import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/cli/command.js';
import { EXIT, exitCodeFor } from '../../../src/cli/exit-codes.js';
import {
  ENV_FILE_OPTION,
  parseArgv,
  parseDeleteBudget,
  UsageError,
  useColor,
} from '../../../src/cli/options.js';
import { ApiError, ConfigError, StalePlanError, UnsafePlanError } from '../../../src/model/errors.js';

function ctx(isTTY: boolean, env: Record<string, string> = {}): CommandContext {
  const stdout = Object.assign(new PassThrough(), { isTTY });
  return {
    argv: [],
    stdout,
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env,
    cwd: '/',
    signal: new AbortController().signal,
  };
}

describe('colour', () => {
  it('only on a terminal', () => {
    expect(useColor(ctx(true), undefined)).toBe(true);
    expect(useColor(ctx(false), undefined)).toBe(false);
  });

  it('never with NO_COLOR set to any non-empty value, --no-color, or TERM=dumb', () => {
    expect(useColor(ctx(true, { NO_COLOR: '1' }), undefined)).toBe(false);
    expect(useColor(ctx(true, { NO_COLOR: 'false' }), undefined)).toBe(false);
    expect(useColor(ctx(true), true)).toBe(false);
    expect(useColor(ctx(true, { TERM: 'dumb' }), undefined)).toBe(false);
  });

  it('an empty NO_COLOR does not count (no-color.org)', () => {
    expect(useColor(ctx(true, { NO_COLOR: '' }), undefined)).toBe(true);
  });
});

describe('--delete-budget', () => {
  it('takes a count or a percentage', () => {
    expect(parseDeleteBudget(undefined)).toEqual({});
    expect(parseDeleteBudget('10')).toEqual({ count: 10 });
    expect(parseDeleteBudget('20%')).toEqual({ percent: 20 });
  });

  it('refuses anything else', () => {
    for (const bad of ['ten', '-1', '101%', '5.5', ''])
      expect(() => parseDeleteBudget(bad)).toThrow(UsageError);
  });
});

describe('exit codes, in one place', () => {
  it('maps error families', () => {
    expect(exitCodeFor(new UnsafePlanError('plan_unsafe', 'x'))).toBe(EXIT.unsafe);
    expect(exitCodeFor(new StalePlanError('plan_stale', 'x'))).toBe(EXIT.stale);
    expect(exitCodeFor(new ConfigError([]))).toBe(EXIT.error);
    expect(exitCodeFor(new ApiError(500, 'x', { method: 'GET', path: '/' }))).toBe(EXIT.error);
    expect(exitCodeFor(new Error('bug'))).toBe(EXIT.error);
    expect(EXIT).toEqual({
      ok: 0,
      error: 1,
      changes: 2,
      unsafe: 3,
      stale: 4,
      incomplete: 5,
      hangup: 129,
      interrupted: 130,
      terminated: 143,
    });
  });
});

describe('--env', () => {
  it('given twice with different names is a usage error, not the last one quietly', () => {
    expect(() => parseArgv(['--env', 'production', '--env', 'sandbox'], ENV_FILE_OPTION)).toThrow(
      new UsageError('--env was given twice ("production", "sandbox"); give one'),
    );
    expect(parseArgv(['--env', 'sandbox', '--env=sandbox'], ENV_FILE_OPTION).values.env).toBe('sandbox');
  });
});
