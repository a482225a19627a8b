import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeEnv, parseEnvFile, readEnvFiles } from '../../../src/load/env-file.js';

describe('parseEnvFile', () => {
  it('reads NAME=value lines, comments, export, quotes and escapes', () => {
    const text = [
      '# comment',
      '',
      'PLAIN=value one  # trailing comment',
      'export EXPORTED=x',
      "SINGLE='a #not comment \\n raw'",
      'DOUBLE="line\\nnext \\tq"',
      '  INDENTED = spaced  ',
      'EMPTY=',
      'HASH="a#b"',
      '\uFEFF',
    ].join('\n');
    const r = parseEnvFile(text, 'x.env');
    expect(r.issues).toEqual([]);
    expect(r.env).toEqual({
      PLAIN: 'value one',
      EXPORTED: 'x',
      SINGLE: 'a #not comment \\n raw',
      DOUBLE: 'line\nnext \\tq',
      INDENTED: 'spaced',
      EMPTY: '',
      HASH: 'a#b',
    });
  });

  it('reports bad lines with their position and never the value', () => {
    const text = [
      'GOOD=1',
      'no equals sign here',
      '1BAD=secret-one',
      'OPEN="secret-two',
      "AFTER='x' secret-three",
      'GOOD=2',
    ].join('\n');
    const r = parseEnvFile(text, 'x.env');
    expect(r.issues.map((i) => [i.severity, i.code, i.file, i.line, i.col])).toEqual([
      ['error', 'env_file_syntax', 'x.env', 2, 1],
      ['error', 'env_file_syntax', 'x.env', 3, 1],
      ['error', 'env_file_syntax', 'x.env', 4, 6],
      ['error', 'env_file_syntax', 'x.env', 5, 10],
      ['warning', 'duplicate_env', 'x.env', 6, 1],
    ]);
    expect(r.env).toEqual({ GOOD: '2' });
    const printed = JSON.stringify(r.issues);
    for (const v of ['secret-one', 'secret-two', 'secret-three']) expect(printed).not.toContain(v);
  });

  it('handles CRLF line ends', () => {
    expect(parseEnvFile('A=1\r\nB="2"\r\n').env).toEqual({ A: '1', B: '2' });
  });
});

describe('readEnvFiles and mergeEnv', () => {
  it('reads files in order (later wins) and reports a missing file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'm3cfg-env-'));
    try {
      await writeFile(path.join(dir, 'a.env'), 'A=1\nB=1\n');
      await writeFile(path.join(dir, 'b.env'), 'B=2\n');
      const r = await readEnvFiles(['a.env', 'b.env', 'c.env'], dir);
      expect(r.env).toEqual({ A: '1', B: '2' });
      expect(r.issues.map((i) => [i.code, i.file])).toEqual([['path_not_found', 'c.env']]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lets the process environment win, ignoring undefined entries', () => {
    expect(mergeEnv({ A: 'file', B: 'file' }, { A: 'env', B: undefined })).toEqual({ A: 'env', B: 'file' });
  });
});
