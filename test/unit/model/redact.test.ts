import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../src/model/redact.js';
import { SENSITIVE } from '../../../src/model/secret.js';

const SECRET = 'whsec_Zq8+/x9Kp2LmN4vB';
const KEY = 'hook-api-key-7781';

/** Every 4-byte window of `s`: a piece of output holding one shows a part of the secret. */
function windows(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 4 <= s.length; i++) out.push(s.slice(i, i + 4));
  return out;
}

/** What the pieces of `text` between redactions decode to as base64 or base64url, at every starting offset. */
function decodedPieces(text: string): string[] {
  const out: string[] = [];
  for (const piece of text.split(SENSITIVE)) {
    for (let drop = 0; drop < 4; drop++) {
      const p = piece.slice(drop);
      out.push(Buffer.from(p, 'base64').toString('latin1'), Buffer.from(p, 'base64url').toString('latin1'));
    }
  }
  return out;
}

describe('redactSecrets', () => {
  it('hides a secret inside a larger base64 text at any alignment, standard and url alphabets', () => {
    for (let before = 0; before < 6; before++) {
      for (let after = 0; after < 4; after++) {
        const request = `${'P'.repeat(before)}X-m3ter-signature: ${SECRET}\r\nkey=${KEY}${'Q'.repeat(after)}`;
        for (const encoding of ['base64', 'base64url'] as const) {
          const echoed = Buffer.from(request, 'utf8').toString(encoding);
          const shown = redactSecrets(`{"echo":"${echoed}"}`, [SECRET, KEY]);
          expect(shown).toContain(SENSITIVE);
          for (const decoded of decodedPieces(shown)) {
            for (const w of [...windows(SECRET), ...windows(KEY)]) expect(decoded).not.toContain(w);
          }
        }
      }
    }
  });

  it('hides hex, \\uXXXX escapes and percent-encoding of every byte, in either case', () => {
    const hex = Buffer.from(SECRET).toString('hex');
    const unicode = [...SECRET].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const percent = hex.replace(/../g, '%$&');
    for (const form of [
      hex,
      hex.toUpperCase(),
      unicode,
      unicode.replace(/[a-f]/g, (c) => c.toUpperCase()),
      percent,
      percent.toUpperCase(),
      encodeURIComponent(SECRET),
      encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    ]) {
      const shown = redactSecrets(`the key was ${form}.`, [SECRET]);
      expect(shown).toBe(`the key was ${SENSITIVE}.`);
    }
  });

  it('hides a secret whose characters an encoder escaped only in part, and wrapped or separated encodings', () => {
    const secret = 'Zk9<p/q+r&s=t u>wXyZ01234';
    const bytes = Buffer.from(secret);
    const hex = bytes.toString('hex');
    const echoes = {
      goJson: JSON.stringify(secret)
        .slice(1, -1)
        .replace(/</g, '\\u003c')
        .replace(/>/g, '\\u003e')
        .replace(/&/g, '\\u0026'),
      encodeURI: encodeURI(secret),
      pythonQuote: encodeURIComponent(secret).replace(/%2F/g, '/'),
      formPlus: secret.replace(/ /g, '+'),
      htmlEntities: secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&#x3E;'),
      someEscaped: [...secret]
        .map((c, i) => (i % 2 ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
        .join(''),
      mimeBase64: bytes.toString('base64').replace(/(.{8})/g, '$1\r\n'),
      hexColons: hex.replace(/(..)(?!$)/g, '$1:'),
      hexSpaced: hex.toUpperCase().replace(/(..)(?!$)/g, '$1 '),
    };
    for (const [how, echo] of Object.entries(echoes)) {
      const out = redactSecrets(`before ${echo} after`, [secret]);
      expect(out, how).toBe(`before ${SENSITIVE} after`);
    }
  });

  it('leaves text that holds no form of a secret alone', () => {
    const text = 'HTTP 400: {"message":"bad request","id":"0a1b2c3d"}';
    expect(redactSecrets(text, [SECRET, KEY])).toBe(text);
  });
});
