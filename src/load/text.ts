import { open } from 'node:fs/promises';
import type { Issue } from '../model/errors.js';

/** The largest config or env file read, in bytes. Far above any real org; a bound on memory before parsing. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The byte offset of the first byte that does not start or continue a well-formed UTF-8 sequence, or -1. Overlong
 * forms, surrogates and code points past U+10FFFF count as invalid, as in TextDecoder's fatal mode.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      n = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}

/** Line and column (1-based, UTF-16 units like every other position) of the end of `text`. CR, LF and CRLF break lines. */
export function endPosition(text: string): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: text.length - start + 1 };
}

export type ReadTextResult = { text: string } | { issue: Issue };

/**
 * Reads a file as text for the loader: at most MAX_FILE_BYTES, strict UTF-8 (a byte that is not UTF-8 is an issue
 * at its line and column, never a silent U+FFFD that would be sent to m3ter).
 */
export async function readTextFile(abs: string, file: string, what = 'the file'): Promise<ReadTextResult> {
  const issue = (
    code: string,
    line: number,
    col: number,
    message: string,
    hint?: string,
  ): ReadTextResult => ({
    issue: { severity: 'error', code, file, line, col, pointer: '', message, ...(hint ? { hint } : {}) },
  });
  let bytes: Buffer;
  try {
    const handle = await open(abs, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_FILE_BYTES) {
        return issue(
          'file_too_large',
          1,
          1,
          `${what} is ${size.toLocaleString('en-US')} bytes; the limit is ${MAX_FILE_BYTES.toLocaleString('en-US')} (64 MiB)`,
          'split the configuration into several files in one folder (they are merged), or remove what is not needed',
        );
      }
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (err) {
    return issue(
      'path_not_found',
      0,
      0,
      `cannot read ${what} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    const at = Math.max(0, firstInvalidUtf8(bytes));
    const pos = endPosition(decoder.decode(bytes.subarray(0, at)));
    const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    return issue(
      'invalid_utf8',
      pos.line,
      pos.col,
      `byte 0x${byte} is not valid UTF-8`,
      'save the file as UTF-8 (it may be Latin-1 or Windows-1252); retype the character at this position',
    );
  }
}
