import { execFile, spawn } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { ROOT, tempDir } from './run-cli.js';

/**
 * What the CI tests need to run the templates as a CI system would, here: the template copied as a user copies it,
 * with m3ter-config's placeholder address replaced by a tarball packed from this checkout and the lock regenerated
 * as the template's README says; and the composite action's steps run one by one, as a runner runs them.
 */

const run = promisify(execFile);
export const TEMPLATE = path.join(ROOT, 'examples/ci');
export const ACTION = path.join(ROOT, 'action.yml');
/** The address the templates name, which the user replaces with their own. */
export const PLACEHOLDER_ADDRESS =
  'https://github.com/YOUR-ORG/m3ter-config/releases/download/v0.1.0/m3ter-config-0.1.0.tgz';

/** `npm pack` of this checkout (dist/ is built by the global setup), into a fresh folder. */
export async function packThisPackage(): Promise<string> {
  const dir = tempDir();
  await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT });
  const file = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!file) throw new Error('npm pack wrote no tarball');
  return path.join(dir, file);
}

/**
 * A copy of examples/ci as a user's repository: the address set (to `address`) in package.json and the lock
 * regenerated with `npm install --package-lock-only`, as examples/ci/README.md says.
 */
export async function copyTemplate(address: string): Promise<string> {
  const repo = tempDir();
  cpSync(TEMPLATE, repo, { recursive: true });
  const manifest = path.join(repo, 'package.json');
  const text = readFileSync(manifest, 'utf8');
  if (!text.includes(PLACEHOLDER_ADDRESS)) throw new Error('the template names another address');
  writeFileSync(manifest, text.replace(PLACEHOLDER_ADDRESS, address));
  // Offline: the tests need no network; m3ter-config's dependencies are in npm's cache since this checkout's own
  // npm ci (the same versions: ci-template.test.ts checks the template's lock against package.json). The .npmrc
  // reaches npm under GitLab's `env -i` too.
  writeFileSync(path.join(repo, '.npmrc'), 'offline=true\n');
  await run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: repo,
  });
  return repo;
}

interface ActionStep {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
}
export interface ActionFile {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}
export const action = parse(readFileSync(ACTION, 'utf8')) as ActionFile;

/** A workflow step that uses the action, as written in a template. */
export interface UsesStep {
  uses?: string;
  with?: Record<string, string | number>;
  env?: Record<string, string>;
}

export interface ActionRun {
  /** The first failing step's exit code, else 0. */
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The names of the steps that ran. */
  ran: string[];
  /** What the install step gave. */
  bin: string;
}

/** Replaces `${{ <context>.<name> }}` from `values`; anything else left in `${{ }}` is an error. */
function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([a-z-]+(?:\.[A-Za-z0-9_-]+)+)\s*\}\}/g, (whole, ref: string) => {
    const v = values[ref];
    if (v === undefined) throw new Error(`no value for ${whole}`);
    return v;
  });
}

function noExpressionLeft(text: string, where: string): string {
  if (text.includes('${{')) throw new Error(`${where}: an expression this runner does not evaluate: ${text}`);
  return text;
}

/**
 * Runs the action as a runner does: the workflow step's `with:` (its `${{ vars.X }}` and `${{ secrets.X }}` from
 * `context`) over the inputs' defaults; setup-node is the test's own Node (skipped); each `run:` step in bash with
 * its `env:` (inputs and earlier steps' outputs substituted) and a fresh GITHUB_OUTPUT file; the action's outputs.
 */
export async function runAction(
  step: UsesStep,
  options: {
    cwd: string;
    context: Record<string, string>;
    runnerTemp: string;
    overrides?: Record<string, string>;
    /** The `bin` an earlier run's install step gave: its install step is skipped (npm ci is slow here). */
    installed?: string;
  },
): Promise<ActionRun> {
  const values: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) values[`inputs.${name}`] = spec.default ?? '';
  for (const [name, v] of Object.entries(step.with ?? {})) {
    if (!(name in action.inputs)) throw new Error(`the action has no input ${name}`);
    values[`inputs.${name}`] = noExpressionLeft(substitute(String(v), options.context), name);
  }
  for (const [name, v] of Object.entries(options.overrides ?? {})) values[`inputs.${name}`] = v;
  for (const [name, spec] of Object.entries(action.inputs))
    if (spec.required && values[`inputs.${name}`] === '') throw new Error(`input ${name} is required`);

  const summaryFile = path.join(options.runnerTemp, `summary-${Date.now()}-${Math.random()}.md`);
  writeFileSync(summaryFile, '');
  const result: ActionRun = { code: 0, stdout: '', stderr: '', outputs: {}, summary: '', ran: [], bin: '' };
  let n = 0;
  for (const s of action.runs.steps) {
    if (s.uses) {
      if (!s.uses.startsWith('actions/setup-node@')) throw new Error(`unexpected action ${s.uses}`);
      continue;
    }
    if (s.id === 'install' && options.installed !== undefined) {
      values['steps.install.outputs.bin'] = options.installed;
      continue;
    }
    const outputFile = path.join(options.runnerTemp, `output-${Date.now()}-${n++}`);
    writeFileSync(outputFile, '');
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? options.runnerTemp,
      RUNNER_TEMP: options.runnerTemp,
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      // No network in tests: npm installs from its cache (see copyTemplate).
      npm_config_offline: 'true',
    };
    for (const [k, v] of Object.entries(s.env ?? {})) env[k] = noExpressionLeft(substitute(v, values), k);
    const script = noExpressionLeft(substitute(s.run ?? '', values), s.name ?? 'run');
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
        cwd: options.cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
    result.ran.push(s.name ?? s.id ?? 'run');
    result.stdout += r.stdout;
    result.stderr += r.stderr;
    for (const line of readFileSync(outputFile, 'utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0 && s.id) values[`steps.${s.id}.outputs.${line.slice(0, eq)}`] = line.slice(eq + 1);
    }
    if (r.code !== 0) {
      result.code = r.code;
      break;
    }
  }
  for (const [name, spec] of Object.entries(action.outputs)) {
    const ref = /\$\{\{\s*(steps\.[\w-]+\.outputs\.[\w-]+)\s*\}\}/.exec(spec.value)?.[1];
    result.outputs[name] = (ref && values[ref]) ?? '';
  }
  result.summary = readFileSync(summaryFile, 'utf8');
  result.bin = values['steps.install.outputs.bin'] ?? '';
  return result;
}
