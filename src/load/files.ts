import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Issue } from '../model/errors.js';
import { pushAll } from '../model/array.js';

const CONFIG_EXTENSIONS = ['.yaml', '.yml'];

/** How a file is named in issues and in the state: relative to cwd with `/` when inside it, else absolute. */
export function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  if (rel === '') return '.';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return abs.split(path.sep).join('/');
  return rel.split(path.sep).join('/');
}

export interface FoundFile {
  abs: string;
  file: string;
}

/**
 * Expands the paths: a file is taken as given (whatever its extension); a directory contributes every `*.yaml` and
 * `*.yml` below it, recursively, sorted by relative path, skipping hidden entries and node_modules. A file reached
 * twice is read once.
 */
export async function findConfigFiles(
  paths: readonly string[],
  cwd: string,
): Promise<{ files: FoundFile[]; issues: Issue[] }> {
  const files: FoundFile[] = [];
  const seen = new Set<string>();
  const issues: Issue[] = [];
  const add = (abs: string) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push({ abs, file: displayPath(abs, cwd) });
  };
  const fileIssue = (p: string, code: string, message: string, hint: string): void => {
    issues.push({ severity: 'error', code, file: p, line: 0, col: 0, pointer: '', message, hint });
  };
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(abs);
    } catch {
      fileIssue(p, 'path_not_found', 'no such file or directory', 'check the path');
      continue;
    }
    if (st.isDirectory()) {
      const found = (await walk(abs)).sort((a, b) => {
        const ra = path.relative(abs, a).split(path.sep).join('/');
        const rb = path.relative(abs, b).split(path.sep).join('/');
        return ra < rb ? -1 : ra > rb ? 1 : 0;
      });
      if (found.length === 0) {
        fileIssue(
          p,
          'no_config_files',
          'the directory holds no *.yaml or *.yml files',
          'point at a config file or a directory of them',
        );
      }
      for (const f of found) add(f);
    } else {
      add(abs);
    }
  }
  return { files, issues };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) pushAll(out, await walk(full));
    else if (
      (e.isFile() || e.isSymbolicLink()) &&
      CONFIG_EXTENSIONS.includes(path.extname(e.name).toLowerCase())
    ) {
      if (e.isSymbolicLink()) {
        const st = await stat(full).catch(() => undefined);
        if (!st?.isFile()) continue;
      }
      out.push(full);
    }
  }
  return out;
}
