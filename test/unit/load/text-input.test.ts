import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEnvFile, readEnvFiles } from '../../../src/load/env-file.js';
import { loadConfig } from '../../../src/load/load-config.js';
import { firstInvalidUtf8, MAX_FILE_BYTES } from '../../../src/load/text.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm3cfg-text-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const RULE = (description: string, nl = '\n') =>
  [
    'notificationRules:',
    '  - code: r1',
    '    name: Rule one',
    `    description: ${description}`,
    '    eventName: billing.bill.created',
    '',
  ].join(nl);

describe('invalid UTF-8', () => {
  it('is a positioned error with a hint, never a U+FFFD sent to m3ter', async () => {
    const bytes = Buffer.concat([
      Buffer.from(RULE('caf').split('\n').slice(0, 4).join('\n'), 'utf8'),
      Buffer.from([0xe9]), // "é" in Latin-1
      Buffer.from('\n    eventName: billing.bill.created\n'),
    ]);
    await writeFile(path.join(dir, 'm3ter.yaml'), bytes);
    const r = await loadConfig([dir], { env: {}, cwd: dir });
    const issue = r.issues.find((i) => i.code === 'invalid_utf8');
    expect(issue).toMatchObject({ severity: 'error', file: 'm3ter.yaml', line: 4, col: 21 });
    expect(issue?.message).toContain('0xE9');
    expect(issue?.hint).toMatch(/UTF-8/);
    expect(JSON.stringify(r)).not.toContain('\uFFFD');
  });

  it('in an env file, too', async () => {
    await writeFile(path.join(dir, 'x.env'), Buffer.concat([Buffer.from('A=1\nB=caf'), Buffer.from([0xe9])]));
    const r = await readEnvFiles(['x.env'], dir);
    expect(r.issues[0]).toMatchObject({ code: 'invalid_utf8', file: 'x.env', line: 2, col: 6 });
  });

  it('finds the first invalid byte (overlong forms and surrogates included)', () => {
    expect(firstInvalidUtf8(Buffer.from('ok → 🚀 café'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0xaf]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80]))).toBe(2);
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1);
  });
});

describe('line breaks', () => {
  it('a YAML file with CR-only line breaks loads, with issues on the right line', async () => {
    await writeFile(path.join(dir, 'm3ter.yaml'), `${RULE('Every bill', '\r')}    bogus: 1\r`);
    const r = await loadConfig([dir], { env: {}, cwd: dir });
    expect(r.issues.map((i) => [i.code, i.line, i.col])).toEqual([['unknown_key', 6, 5]]);
  });

  it('a YAML file with CR-only line breaks gives the same state as with LF', async () => {
    await writeFile(path.join(dir, 'm3ter.yaml'), RULE('Every bill', '\r'));
    const cr = await loadConfig([dir], { env: {}, cwd: dir });
    await writeFile(path.join(dir, 'm3ter.yaml'), RULE('Every bill', '\n'));
    const lf = await loadConfig([dir], { env: {}, cwd: dir });
    expect(cr.issues).toEqual([]);
    expect(cr.state?.resources.notificationRule.get('r1')?.attributes).toMatchObject({
      description: 'Every bill',
    });
    expect(cr.state?.resources.notificationRule.get('r1')?.attributes).toEqual(
      lf.state?.resources.notificationRule.get('r1')?.attributes,
    );
  });

  it('an env file breaks lines at LF, CRLF and a lone CR, never merging two variables', () => {
    for (const nl of ['\n', '\r\n', '\r']) {
      const r = parseEnvFile(['A=1', 'B=two', '', '# c', "C='x'", 'bad line'].join(nl), 'x.env');
      expect(r.env, JSON.stringify(nl)).toEqual({ A: '1', B: 'two', C: 'x' });
      expect(r.issues.map((i) => [i.line, i.col])).toEqual([[6, 1]]);
    }
  });
});

describe('file size', () => {
  it('a file over the limit is an issue, not read into memory', async () => {
    const file = path.join(dir, 'm3ter.yaml');
    await writeFile(file, '');
    await truncate(file, MAX_FILE_BYTES + 1); // sparse: takes no disk space
    const r = await loadConfig([dir], { env: {}, cwd: dir });
    expect(r.issues.map((i) => [i.code, i.file, i.line, i.col])).toEqual([
      ['file_too_large', 'm3ter.yaml', 1, 1],
    ]);
    expect(r.issues[0]?.message).toContain('64 MiB');
  });
});
