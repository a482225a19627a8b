// The steps of the m3ter-config GitHub Action (../action.yml), on plain Node with nothing to install:
//   node action/main.mjs install   installs m3ter-config (no secret in this step's environment); output `bin`
//   node action/main.mjs run       runs one m3ter-config command; outputs `exit-code`, `plan-file`, `markdown-file`
// Inputs come as INPUT_* variables, set by action.yml from the step's inputs.
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';

class ActionError extends Error {}

const input = (name) => (process.env[`INPUT_${name}`] ?? '').trim();
const lines = (text) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

/** Appends name=value to GITHUB_OUTPUT (a value never holds a newline, so it cannot add an output of its own). */
function output(name, value) {
  if (/[\r\n]/.test(value)) throw new ActionError(`the ${name} output would hold a line break`);
  const file = process.env['GITHUB_OUTPUT'];
  if (file) appendFileSync(file, `${name}=${value}\n`);
}

function npm(args, cwd) {
  const r = spawnSync('npm', args, { cwd, stdio: 'inherit' });
  if (r.error) throw new ActionError(`npm could not be started: ${r.error.message}`);
  if (r.status !== 0) throw new ActionError(`npm ${args[0]} failed (exit ${r.status ?? r.signal})`);
}

/** The bin script of the m3ter-config installed in DIR/node_modules. */
function binIn(dir) {
  const root = path.join(dir, 'node_modules', 'm3ter-config');
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.['m3ter-config'];
  if (typeof bin !== 'string') throw new ActionError(`${root} has no m3ter-config bin`);
  return path.resolve(root, bin);
}

/**
 * What package-lock.json pins m3ter-config to must be an exact build: a tarball with its integrity, or a Git commit.
 * The template ships a placeholder address and no integrity (it cannot know the bytes of your release).
 */
function checkLockPin(lockText, where) {
  let lock;
  try {
    lock = JSON.parse(lockText);
  } catch {
    throw new ActionError(`${where} is not JSON`);
  }
  const entry = lock?.packages?.['node_modules/m3ter-config'];
  const regenerate = 'run `npm install --package-lock-only` there and commit package-lock.json';
  if (!entry)
    throw new ActionError(`${where} pins no m3ter-config: add it to package.json and ${regenerate}`);
  const resolved = String(entry.resolved ?? '');
  if (resolved.includes('YOUR-ORG'))
    throw new ActionError(
      `${where} still holds the template's placeholder address (YOUR-ORG): set yours in package.json, then ${regenerate}`,
    );
  const gitCommit = /^git\+.*#[0-9a-f]{40}$/.test(resolved);
  if (!gitCommit && typeof entry.integrity !== 'string')
    throw new ActionError(`${where} records no integrity for m3ter-config (${resolved}): ${regenerate}`);
}

// A name npm would look up on the registry (m3ter-config is not published there: whatever holds the name is not it).
const REGISTRY_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*(@[^/:]*)?$/i;

function install() {
  const spec = input('PACKAGE');
  const cwd = input('WORKING_DIRECTORY') || '.';
  if (spec === '') {
    const lock = path.join(cwd, 'package-lock.json');
    if (!existsSync(lock))
      throw new ActionError(`no ${lock}: pin m3ter-config there (see examples/ci), or set the package input`);
    checkLockPin(readFileSync(lock, 'utf8'), lock);
    npm(['ci', '--no-audit', '--no-fund'], cwd);
    output('bin', binIn(cwd));
    return;
  }
  if (REGISTRY_NAME.test(spec))
    throw new ActionError(
      `package "${spec}" is a registry name; m3ter-config is installed from a Git or tarball address (e.g. github:YOUR-ORG/m3ter-config#v0.1.0)`,
    );
  const dir = path.join(process.env['RUNNER_TEMP'] || cwd, 'm3ter-config-action');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
  npm(['install', '--no-audit', '--no-fund', spec], dir);
  output('bin', binIn(dir));
}

/** The `env` input: NAME=VALUE lines, the value taken as is (no quotes, no escapes, no comments after it). */
function parseEnvLines(text) {
  const env = {};
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = eq < 0 ? '' : line.slice(0, eq).trim();
    // The line itself is never shown: it may hold a secret.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new ActionError(
        `env input, line ${i + 1}: expected NAME=VALUE with NAME of letters, digits and _`,
      );
    env[name] = line.slice(eq + 1);
  });
  return env;
}

/** The command line the action runs, from its inputs. */
function commandArgs(inputs) {
  const args = [inputs.command, ...lines(inputs.paths)];
  if (inputs.format) args.push('--format', inputs.format);
  if (inputs.out) args.push('--out', inputs.out);
  for (const file of lines(inputs.envFiles)) args.push('--dotenv', file);
  args.push(...inputs.args.split(/\s+/).filter((a) => a !== ''));
  return args;
}

const TARGET = ['M3TER_ORG_ID', 'M3TER_API_KEY', 'M3TER_API_SECRET'];
const TARGET_INPUT = { M3TER_ORG_ID: 'org-id', M3TER_API_KEY: 'api-key', M3TER_API_SECRET: 'api-secret' };
// Commands that never talk to m3ter.
const OFFLINE = new Set(['validate', 'graph']);
const SUMMARY_LIMIT = 1024 * 1024 - 1024;

function run() {
  const inputs = {
    command: input('COMMAND'),
    paths: input('PATHS'),
    format: input('FORMAT'),
    out: input('OUT'),
    envFiles: input('ENV_FILES'),
    args: input('ARGS'),
  };
  if (!/^[a-z][a-z-]*$/.test(inputs.command))
    throw new ActionError('the command input must be an m3ter-config command, e.g. plan');
  const cwd = input('WORKING_DIRECTORY') || '.';
  const bin = process.env['M3TER_CONFIG_BIN'] ?? '';
  if (!bin) throw new ActionError('m3ter-config is not installed (the install step gave no bin)');

  const env = { ...process.env, ...parseEnvLines(process.env['INPUT_ENV'] ?? '') };
  for (const name of Object.keys(env)) if (name.startsWith('INPUT_') || env[name] === '') delete env[name];
  delete env['M3TER_CONFIG_BIN'];
  // With none of the three set, m3ter-config works against its embedded emulator: never what CI means.
  if (!OFFLINE.has(inputs.command)) {
    const missing = TARGET.filter((name) => !env[name]);
    if (missing.length > 0)
      throw new ActionError(
        `${missing.map((n) => `${TARGET_INPUT[n]} (${n})`).join(', ')} not set: pass them as inputs (secrets are not given to pull requests from forks)`,
      );
  }

  const markdown =
    inputs.format === 'markdown' ? path.join(cwd, input('MARKDOWN_FILE') || 'm3ter-config.md') : '';
  const stdout = markdown ? openSync(markdown, 'w', 0o644) : 'inherit';
  // `node -- BIN`: Node stops reading its own options at `--`, so no argument after it is Node's.
  const r = spawnSync(process.execPath, ['--', bin, ...commandArgs(inputs)], {
    cwd,
    env,
    stdio: ['ignore', stdout, 'inherit'],
  });
  if (typeof stdout === 'number') closeSync(stdout);
  if (r.error) throw new ActionError(`m3ter-config could not be started: ${r.error.message}`);
  const SIGNALS = { SIGHUP: 129, SIGINT: 130, SIGKILL: 137, SIGTERM: 143 };
  const code = r.status ?? (r.signal && Object.hasOwn(SIGNALS, r.signal) ? SIGNALS[r.signal] : 1);

  output('exit-code', String(code));
  const saved = inputs.out ? path.join(cwd, inputs.out) : '';
  output('plan-file', saved && existsSync(saved) ? saved : '');
  output('markdown-file', markdown);
  const summary = process.env['GITHUB_STEP_SUMMARY'];
  if (markdown && summary && input('SUMMARY') !== 'false') {
    const text = readFileSync(markdown, 'utf8');
    appendFileSync(
      summary,
      Buffer.byteLength(text) <= SUMMARY_LIMIT
        ? `${text}\n`
        : 'The Markdown output is larger than a job summary holds: see the step log and the artifacts.\n',
    );
  }
  const ok = input('SUCCESS_EXIT_CODES')
    .split(/[\s,]+/)
    .filter(Boolean);
  process.exitCode = (ok.length > 0 ? ok : ['0']).includes(String(code)) ? 0 : code;
}

const steps = { install, run };
try {
  const name = process.argv[2] ?? '';
  const step = Object.hasOwn(steps, name) ? steps[name] : undefined;
  if (!step) throw new ActionError(`usage: node action/main.mjs ${Object.keys(steps).join('|')}`);
  step();
} catch (error) {
  if (!(error instanceof ActionError)) throw error;
  // A workflow command: GitHub shows it as an error annotation.
  console.log(`::error title=m3ter-config::${error.message.replace(/%/g, '%25').replace(/\r?\n/g, '%0A')}`);
  process.exitCode = 1;
}
