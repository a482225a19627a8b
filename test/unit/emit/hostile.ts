/** Seeded generators of YAML-hostile strings, shared by the import tests. */

export { seededRandom } from '../../../src/model/random.js';

/** Pieces YAML reads as something else, or that are easy to lose on the way through a file. */
export const HOSTILE_PIECES = [
  'yes',
  'no',
  'on',
  'off',
  'null',
  'Null',
  '~',
  'true',
  'FALSE',
  '0123',
  '1e3',
  '0x1f',
  '.inf',
  '12:30',
  '2001-12-14',
  'a: b',
  ': ',
  ' #',
  '# ',
  '- ',
  '-',
  '? ',
  '|',
  '>',
  '!',
  '&a',
  '*a',
  '%',
  '@',
  '`',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  ',',
  '\\',
  '\\n',
  ' ',
  '  ',
  '\t',
  '\n',
  '\n\n',
  '\r\n',
  'é',
  'ü',
  '日本',
  '🚀',
  '\u202E',
  '\u200F',
  '\u2028',
  '\u0085',
  '\u00A0',
  '\uFEFF',
  '\u0007',
  'x',
  'Billing',
  'new.amount > 0',
  'AND',
  '<<',
  '=',
  // Terraform template and secret-reference syntax: text, in YAML and in a stack alike.
  '${var.aws_secret_access_key}',
  '%{ if true }',
  '$${',
  '${env:HOME}',
];

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

export function hostileString(random: () => number, maxPieces = 5): string {
  const n = 1 + Math.floor(random() * maxPieces);
  let s = '';
  for (let i = 0; i < n; i++) s += pick(random, HOSTILE_PIECES);
  return s;
}
