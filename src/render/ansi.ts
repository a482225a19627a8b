/** ANSI styling, applied only when the caller asks for colour (the CLI decides from the TTY and NO_COLOR). */
export type Style = 'green' | 'yellow' | 'red' | 'bold' | 'dim';

const CODES: Readonly<Record<Style, string>> = {
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  red: '\u001b[31m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
};
const RESET = '\u001b[0m';

export type Paint = (style: Style, text: string) => string;

export function painter(color: boolean): Paint {
  return color
    ? (style, text) => (text === '' ? text : `${CODES[style]}${text}${RESET}`)
    : (_style, text) => text;
}

/** How each action is marked in every output: by its sign and by its colour, so it reads without colour too. */
export const CHANGE_SYMBOL = { create: '+', update: '~', delete: '-' } as const satisfies Record<
  string,
  string
>;
export const CHANGE_STYLE = { create: 'green', update: 'yellow', delete: 'red' } as const satisfies Record<
  keyof typeof CHANGE_SYMBOL,
  Style
>;
