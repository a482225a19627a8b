import { readdirSync, readFileSync } from 'node:fs';
import { ENVIRONMENT_ENV } from '../../../src/model/environment.js';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT } from '../../../src/cli/environment.js';
import { Interrupts } from '../../../src/cli/interrupt.js';
import { COMMANDS } from '../../../src/cli/main.js';
import { parseArgv, UsageError } from '../../../src/cli/options.js';
import { closest, editDistance } from '../../../src/model/suggest.js';
import { TARGET_ENV } from '../../../src/live/target.js';

const OPTIONS = {
  out: { type: 'string', value: 'FILE', help: 'x' },
  'auto-approve': { type: 'boolean', help: 'x' },
  'env-file': { type: 'string', multiple: true, help: 'x' },
  format: { type: 'string', short: 'f', help: 'x' },
  'state-file': { type: 'string', help: 'x', aliases: ['state'] },
} as const;

describe('the option grammar', () => {
  it("takes Terraform's forms: one dash, two dashes, = or a separate value", () => {
    for (const argv of [
      ['-out=plan.json'],
      ['--out=plan.json'],
      ['-out', 'plan.json'],
      ['--out', 'plan.json'],
    ]) {
      expect(parseArgv(argv, OPTIONS).values.out, argv.join(' ')).toBe('plan.json');
    }
    const { values, positionals } = parseArgv(
      ['a.yaml', '-auto-approve', '-f', 'json', '--env-file=x.env', '-env-file', 'y.env', '--', '-z'],
      OPTIONS,
    );
    expect(values).toEqual({ 'auto-approve': true, format: 'json', 'env-file': ['x.env', 'y.env'] });
    expect(positionals).toEqual(['a.yaml', '-z']);
    expect(parseArgv(['-auto-approve=false'], OPTIONS).values['auto-approve']).toBe(false);
    expect(parseArgv(['--state', 's.json'], OPTIONS).values['state-file']).toBe('s.json');
  });

  it('says "did you mean" for a mistyped option, and what a missing value should be', () => {
    expect(() => parseArgv(['-auto-aprove'], OPTIONS)).toThrow(
      new UsageError('unknown option -auto-aprove; did you mean --auto-approve?'),
    );
    expect(() => parseArgv(['--fromat', 'json'], OPTIONS)).toThrow(/did you mean --format\?/);
    expect(() => parseArgv(['--bogus'], OPTIONS)).toThrow(new UsageError('unknown option --bogus'));
    expect(() => parseArgv(['--out'], OPTIONS)).toThrow(new UsageError('--out needs a value: --out FILE'));
    expect(() => parseArgv(['--out', '--format'], OPTIONS)).toThrow(/--out needs a value/);
    expect(() => parseArgv(['--auto-approve=yes'], OPTIONS)).toThrow(/takes no value/);
  });

  it('edit distance counts a swap of neighbours as one edit', () => {
    expect(editDistance('plan', 'paln')).toBe(1);
    expect(editDistance('apply', 'aply')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('aply', ['validate', 'plan', 'apply', 'emulator'])).toBe('apply');
    expect(closest('xyz', ['validate', 'plan', 'apply', 'emulator'])).toBeUndefined();
  });

  it('every command declares --help and generates its usage from its options', async () => {
    const commands = [];
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
      commands.push(command, ...(command.subcommands ?? []));
    }
    for (const command of commands) {
      expect(command.options).toHaveProperty('help');
      for (const name of Object.keys(command.options)) expect(command.usage).toContain(`--${name}`);
      expect(command.usage).toMatch(/Exit status:\n/);
    }
  });

  it('the same thing has the same name in every command', async () => {
    const emulator = await COMMANDS.find((c) => c.name === 'emulator')!.load();
    const plan = await COMMANDS.find((c) => c.name === 'plan')!.load();
    for (const name of ['state-file', 'org-id', 'api-key']) {
      expect(emulator.options).toHaveProperty(name);
      expect(plan.options).toHaveProperty(name);
    }
  });

  it('help lists every environment variable the code reads', () => {
    const read = new Set<string>([...Object.values(TARGET_ENV), ENVIRONMENT_ENV]);
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? walk(path.join(dir, e.name))
          : e.name.endsWith('.ts')
            ? [path.join(dir, e.name)]
            : [],
      );
    for (const file of walk(path.resolve(__dirname, '../../../src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/env\[['"]([A-Z][A-Z0-9_]*)['"]\]/g))
        read.add(m[1]!);
    }
    expect([...read].sort()).toEqual(Object.keys(ENVIRONMENT).sort());
  });
});

describe('interrupts', () => {
  function harness() {
    const out: string[] = [];
    const exits: number[] = [];
    let deadline: (() => void) | undefined;
    let clock = 0;
    const interrupts = new Interrupts(
      {
        write: (t) => out.push(t),
        exit: (c) => exits.push(c),
        setTimer: (fn) => (deadline = fn),
        now: () => clock,
      },
      30_000,
    );
    return { interrupts, out, exits, fire: () => deadline?.(), advance: (ms: number) => (clock += ms) };
  }

  it('the first signal aborts with its name; a second exits at once when nothing is held', () => {
    const h = harness();
    h.interrupts.receive('SIGTERM');
    expect(h.interrupts.signal.aborted).toBe(true);
    expect(h.interrupts.signal.reason).toBe('SIGTERM');
    expect(h.exits).toEqual([]);
    h.interrupts.receive('SIGINT');
    expect(h.exits).toEqual([143]);
  });

  it('while writes are held, a second signal says what it waits for; the bound exits anyway', () => {
    const h = harness();
    h.interrupts.hold(() => 3);
    h.interrupts.receive('SIGINT');
    h.advance(10_000);
    h.interrupts.receive('SIGINT');
    expect(h.exits).toEqual([]);
    expect(h.out.join('')).toContain(
      'SIGINT again: waiting for 3 in-flight changes to finish (at most 20 s more)',
    );
    h.fire();
    expect(h.exits).toEqual([130]);
    expect(h.out.join('')).toContain('error: 3 in-flight changes did not finish within 30 s of SIGINT');
  });
});
