import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../../src/load/env-file.js';

/**
 * Awkward lines and the values dotenv 16 (16.6.1) gives them, written down once: a receiver that loads the same
 * file with dotenv must compute the same secret. Literal expectations, not a call to dotenv or to the running
 * Node's util.parseEnv (whose answers differ between Node lines).
 */
const SAME_AS_DOTENV: readonly (readonly [line: string, name: string, value: string])[] = [
  ['A=abc #def', 'A', 'abc'],
  ['A=abc\t#def', 'A', 'abc'],
  ['A=abc\u00a0#def', 'A', 'abc'],
  ['A= #abc', 'A', ''],
  ['A=', 'A', ''],
  ['A=   ', 'A', ''],
  ['A= # only a comment', 'A', ''],
  ['A="x\\\\y"', 'A', 'x\\\\y'],
  ["A='x\\\\y'", 'A', 'x\\\\y'],
  ['A=x\\\\y', 'A', 'x\\\\y'],
  ['A=`x\\\\y`', 'A', 'x\\\\y'],
  ['A="x\\ny"', 'A', 'x\ny'],
  ['A="x\\ry"', 'A', 'x\ry'],
  ['A="x\\ty"', 'A', 'x\\ty'],
  ['A="x\\\\ny"', 'A', 'x\\\ny'],
  ['A="x\\\\\\ny"', 'A', 'x\\\\\ny'],
  ["A='x\\ny'", 'A', 'x\\ny'],
  ['A=`x\\ny`', 'A', 'x\\ny'],
  ['A=x\\ny', 'A', 'x\\ny'],
  ['A="a#b"', 'A', 'a#b'],
  ["A='a#b'", 'A', 'a#b'],
  ['A=`a#b`', 'A', 'a#b'],
  ['A="a" # c', 'A', 'a'],
  ['A="a"#c', 'A', 'a'],
  ["A='a' #c", 'A', 'a'],
  ['A="  padded  "', 'A', '  padded  '],
  ["A='  padded  '", 'A', '  padded  '],
  ['A=  padded  ', 'A', 'padded'],
  ['A=""', 'A', ''],
  ["A=''", 'A', ''],
  ['A=``', 'A', ''],
  ['A="it\'s"', 'A', "it's"],
  ['A=\'say "hi"\'', 'A', 'say "hi"'],
  ['A=`it\'s "both"`', 'A', 'it\'s "both"'],
  ['A="back`tick"', 'A', 'back`tick'],
  ['A=abc"def', 'A', 'abc"def'],
  ["A=abc'def", 'A', "abc'def"],
  ['A=abc`def', 'A', 'abc`def'],
  ['A=ab"c"', 'A', 'ab"c"'],
  ['A=a b  c', 'A', 'a b  c'],
  ['export A=x', 'A', 'x'],
  ['export\tA=x', 'A', 'x'],
  ['exportA=x', 'exportA', 'x'],
  ['export=x', 'export', 'x'],
  ['  A = x  ', 'A', 'x'],
  ['A ="x"', 'A', 'x'],
  ["A= 'x'", 'A', 'x'],
  ['A=https://user@host/p?q=1&r=2', 'A', 'https://user@host/p?q=1&r=2'],
  ['A=x=y=z', 'A', 'x=y=z'],
  ['A="x=y"', 'A', 'x=y'],
  ['A=ünïcødé', 'A', 'ünïcødé'],
  ['A="tab\there"', 'A', 'tab\there'],
  ['A=emoji😀', 'A', 'emoji😀'],
  ['A="\\\\n"', 'A', '\\\n'],
  ['A="a\\\\b\\\\c"', 'A', 'a\\\\b\\\\c'],
  ['A="\\u0041"', 'A', '\\u0041'],
  ['A="\\$HOME"', 'A', '\\$HOME'],
  ['A=$HOME', 'A', '$HOME'],
  ['A=${B}', 'A', '${B}'],
  ['A="${B}"', 'A', '${B}'],
  ['\ufeffA=bom', 'A', 'bom'],
];

/** Lines the tool refuses (column of the error), with what dotenv would make of them: a guess we do not make. */
const REFUSED: readonly (readonly [line: string, col: number, dotenv: string | undefined])[] = [
  ['A=abc#def', 6, 'abc'],
  ['A=#abc', 3, ''],
  ['A="say \\"hi\\""', 8, 'say \\"hi\\"'],
  ["A='it\\'s'", 6, "it\\'s"],
  ['A="x\\\\"', 6, 'x\\\\'],
  ["A='x\\\\'", 6, 'x\\\\'],
  ['A=`a\\``', 5, 'a\\`'],
  ['A="x" y', 6, '"x" y'],
  ["A='x' y", 6, "'x' y"],
  ['A="x" "y"', 6, 'x" "y'],
  ['A="open', 3, '"open'],
  ["A='open", 3, "'open"],
  ['A=`open', 3, '`open'],
  ['A="\\\\\\\\"', 7, '\\\\\\\\'],
  ['A.B=x', 1, undefined],
  ['A-B=x', 1, undefined],
  ['1A=x', 1, undefined],
  ['A B=x', 1, undefined],
  ['A: x', 1, 'x'],
  ['A', 1, undefined],
  ['=x', 1, undefined],
];

describe('env files read as dotenv reads them', () => {
  it.each(SAME_AS_DOTENV)('%j', (line, name, value) => {
    const r = parseEnvFile(`${line}\n`, 'x.env');
    expect(r.issues).toEqual([]);
    expect(r.env).toEqual({ [name]: value });
  });

  it.each(REFUSED)('refuses %j at column %i', (line, col, dotenv) => {
    const r = parseEnvFile(`${line}\n`, 'x.env');
    expect(r.issues.map((i) => [i.severity, i.line, i.col])).toEqual([['error', 1, col]]);
    expect(r.env).toEqual({});
    // The message names the variable and the place, never what dotenv would have read.
    if (dotenv !== undefined && dotenv.length > 2) expect(JSON.stringify(r.issues)).not.toContain(dotenv);
  });

  it('keeps line ends apart as dotenv does (LF, CRLF, a lone CR), with blank and comment lines between', () => {
    const text = 'A=1\r\nB="2" # two\rC=\n\n# D=4\n  E=\'5\'\r\n';
    const r = parseEnvFile(text, 'x.env');
    expect(r.issues).toEqual([]);
    expect(r.env).toEqual({ A: '1', B: '2', C: '', E: '5' });
  });
});
