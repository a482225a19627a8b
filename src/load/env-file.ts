import * as path from 'node:path';
import type { Issue } from '../model/errors.js';
import { pushAll } from '../model/array.js';
import { displayPath } from './files.js';
import { readTextFile } from './text.js';

/**
 * Env files: `NAME=value` lines, as in docker compose and dotenv. The CLI passes them with `--dotenv` (or `--env-file`); variables
 * already set in the process environment win over the file (see mergeEnv).
 *
 * Grammar (documented in README.md, "Env files"), one entry per line; a line ends at LF, CRLF or a lone CR, so a
 * file saved with any of the three never merges two variables:
 * - a leading UTF-8 byte order mark is skipped; blank lines and lines starting with `#` are ignored; an optional
 *   `export ` prefix is allowed;
 * - `NAME=value`: NAME is letters, digits and `_`, not starting with a digit; unquoted values are trimmed and end
 *   at a `#` after a space (a comment); a `#` with no space before it is refused, since dotenv ends the value there;
 * - `NAME='value'` and ``NAME=`value` `` are taken literally; `NAME="value"` turns `\n` and `\r` into line feed and
 *   carriage return and keeps every other backslash, as dotenv does. Quotes close on the same line; a backslash
 *   right before the closing quote is refused (readers disagree on what it means).
 * Every value the parser accepts is the value dotenv 16 reads from the same line.
 * Issue messages name variables and positions, never values.
 */
export interface EnvFileResult {
  env: Record<string, string>;
  issues: Issue[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseEnvFile(text: string, file = '<env>'): EnvFileResult {
  const env: Record<string, string> = {};
  const firstSeen = new Map<string, number>();
  const issues: Issue[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const lead = raw.length - raw.trimStart().length;
    let body = raw.slice(lead);
    let col = lead + 1;
    const exp = /^export\s+/.exec(body);
    if (exp) {
      body = body.slice(exp[0].length);
      col += exp[0].length;
    }
    const eq = body.indexOf('=');
    const issue = (c: number, message: string, hint: string): void => {
      issues.push({
        severity: 'error',
        code: 'env_file_syntax',
        file,
        line,
        col: c,
        pointer: '',
        message,
        hint,
      });
    };
    if (eq < 0) {
      issue(col, 'expected NAME=value', 'write one variable per line as NAME=value; start comments with #');
      return;
    }
    const name = body.slice(0, eq).trim();
    if (!NAME.test(name)) {
      issue(col, 'invalid variable name', 'names use letters, digits and _, and do not start with a digit');
      return;
    }
    const rest = body.slice(eq + 1);
    const valueCol = col + eq + 1 + (rest.length - rest.trimStart().length);
    const v = rest.trimStart();
    let value: string;
    const q = v[0];
    if (q === "'" || q === '"' || q === '`') {
      const end = v.indexOf(q, 1);
      if (end < 0) {
        issue(valueCol, `the value of ${name} has no closing ${q}`, `close the quote on the same line`);
        return;
      }
      const inner = v.slice(1, end);
      // dotenv lets a backslash keep a quote open and then keeps the backslash, and other readers unescape it:
      // the value would depend on the reader (or on later lines), so it is refused.
      if (inner.endsWith('\\')) {
        issue(
          valueCol + end - 1,
          `a backslash before ${q} in the value of ${name}`,
          'readers of env files disagree on it: use another kind of quotes (\' " or `) or leave the backslash out',
        );
        return;
      }
      const after = v.slice(end + 1).trim();
      if (after !== '' && !after.startsWith('#')) {
        issue(
          valueCol + end + 1,
          `unexpected text after the quoted value of ${name}`,
          'put comments after #',
        );
        return;
      }
      // As dotenv: only \n and \r mean something in double quotes; every other backslash is kept.
      value = q === '"' ? inner.replace(/\\n/g, '\n').replace(/\\r/g, '\r') : inner;
    } else {
      const hash = v.indexOf('#');
      const spaced = hash > 0 ? /\s/.test(v[hash - 1] ?? '') : rest.length > v.length;
      if (hash >= 0 && !spaced) {
        issue(
          valueCol + hash,
          `the value of ${name} holds a # with no space before it`,
          `quote the value ("a#b"): dotenv and Node read an unquoted # as the start of a comment`,
        );
        return;
      }
      value = (hash >= 0 ? v.slice(0, hash) : v).trim();
    }
    const prev = firstSeen.get(name);
    if (prev !== undefined) {
      issues.push({
        severity: 'warning',
        code: 'duplicate_env',
        file,
        line,
        col,
        pointer: '',
        message: `${name} is set again (first set on line ${prev}); the last value wins`,
        hint: 'remove one of the two lines',
      });
    } else {
      firstSeen.set(name, line);
    }
    env[name] = value;
  });
  return { env, issues };
}

/** Reads and parses env files in order; later files win. A missing file is an issue, not an exception. */
export async function readEnvFiles(files: readonly string[], cwd: string): Promise<EnvFileResult> {
  const env: Record<string, string> = {};
  const issues: Issue[] = [];
  for (const f of files) {
    const abs = path.resolve(cwd, f);
    const shown = displayPath(abs, cwd);
    const read = await readTextFile(abs, shown, 'the env file');
    if ('issue' in read) {
      issues.push(
        read.issue.code === 'path_not_found'
          ? { ...read.issue, hint: 'check the --dotenv path' }
          : read.issue,
      );
      continue;
    }
    const text = read.text;
    const r = parseEnvFile(text, shown);
    Object.assign(env, r.env);
    pushAll(issues, r.issues);
  }
  return { env, issues };
}

/** The process environment wins over env files, so a CI secret overrides a file's placeholder. */
export function mergeEnv(
  fileEnv: Readonly<Record<string, string>>,
  processEnv: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  return { ...fileEnv, ...Object.fromEntries(Object.entries(processEnv).filter(([, v]) => v !== undefined)) };
}
