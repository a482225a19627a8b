import { escapeAt } from './fast-yaml.js';
import { locate, locateOffset, type ParsedFile, type Position, positionOf } from './yaml.js';

/**
 * The line and column of character `index` of the string value at `pointer`, as written in the file: plain,
 * single- or double-quoted (escapes, folded lines), literal `|` and folded `>` block scalars (any indentation,
 * chomping), and JSON strings. The value is rebuilt from the text with the offset of each character; when the rebuilt
 * value is not the parsed one (an alias, a tag, a form not followed here), the value's own position is given
 * instead, never a wrong character. `index` may be the value's length (just after its last character).
 */
export function valueCharPosition(
  parsed: ParsedFile,
  pointer: string,
  value: string,
  index: number,
): Position {
  const start = locateOffset(parsed, pointer);
  const text = parsed.text;
  if (start === undefined || text === undefined) return locate(parsed, pointer);
  const offsets = scalarOffsets(text, start, value);
  if (!offsets) return locate(parsed, pointer);
  const at = index >= value.length ? offsets[value.length] : offsets[index];
  return positionOf(parsed, at ?? start);
}

/**
 * The source offset of each character of `value` as the scalar at `start` writes it, plus one entry after the last
 * character; undefined when the scalar does not rebuild into `value`.
 */
export function scalarOffsets(text: string, start: number, value: string): number[] | undefined {
  const c = text[start];
  let built: { chars: string; offsets: number[] } | undefined;
  if (c === '"' || c === "'") built = flow(text, start + 1, value.length, c);
  else if (c === '|' || c === '>') built = block(text, start, value);
  else built = flow(text, start, value.length, undefined);
  if (!built || built.chars.slice(0, value.length) !== value || built.chars.length < value.length)
    return undefined;
  const offsets = built.offsets.slice(0, value.length);
  offsets.push(value.length > 0 ? (offsets[value.length - 1] as number) + 1 : start);
  return offsets;
}

const isBreak = (ch: string | undefined) => ch === '\n' || ch === '\r';
const isBlank = (ch: string | undefined) => ch === ' ' || ch === '\t';

/** A flow scalar (quoted with `quote`, or plain) from `i`, folded as YAML folds flow scalars, up to `want` characters. */
function flow(
  text: string,
  from: number,
  want: number,
  quote: '"' | "'" | undefined,
): { chars: string; offsets: number[] } | undefined {
  let chars = '';
  const offsets: number[] = [];
  const put = (s: string, at: number) => {
    for (const ch of s) {
      chars += ch;
      offsets.push(at);
    }
  };
  let i = from;
  while (chars.length < want && i < text.length) {
    const ch = text[i] as string;
    if (quote === "'" && ch === "'") {
      if (text[i + 1] !== "'") break;
      put("'", i);
      i += 2;
      continue;
    }
    if (quote === '"' && ch === '"') break;
    if (quote === '"' && ch === '\\') {
      if (isBreak(text[i + 1])) {
        // An escaped line break: joined with no space; the next line's indentation goes too.
        i = skipBreak(text, i + 1);
        while (isBlank(text[i])) i++;
        continue;
      }
      const esc = escapeAt(text, i, true);
      if (!esc) return undefined;
      put(esc.text, i);
      i += esc.length;
      continue;
    }
    if (isBlank(ch) || isBreak(ch)) {
      // Blanks before a line break are dropped; a break folds into a space, or into one newline per empty line.
      let j = i;
      while (isBlank(text[j])) j++;
      if (!isBreak(text[j])) {
        for (let k = i; k < j; k++) put(text[k] as string, k);
        i = j;
        continue;
      }
      const firstBreak = j;
      j = skipBreak(text, j);
      let empty = 0;
      const emptyAt: number[] = [];
      for (;;) {
        let k = j;
        while (isBlank(text[k])) k++;
        if (!isBreak(text[k])) {
          j = k;
          break;
        }
        emptyAt.push(k);
        empty++;
        j = skipBreak(text, k);
      }
      if (empty === 0) put(' ', firstBreak);
      else for (const at of emptyAt) put('\n', at);
      i = j;
      continue;
    }
    put(ch, i);
    i++;
  }
  return { chars, offsets };
}

function skipBreak(text: string, i: number): number {
  return text[i] === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
}

/** A block scalar whose header (`|` or `>`) is at `start`. */
function block(text: string, start: number, value: string): { chars: string; offsets: number[] } | undefined {
  const folded = text[start] === '>';
  let i = start + 1;
  let explicit: number | undefined;
  while (i < text.length && !isBreak(text[i])) {
    const ch = text[i] as string;
    if (/[1-9]/.test(ch) && explicit === undefined) explicit = Number(ch);
    else if (ch === '#' || isBlank(ch)) break;
    else if (ch !== '+' && ch !== '-') return undefined;
    i++;
  }
  while (i < text.length && !isBreak(text[i])) i++;
  const bodyStart = skipBreak(text, i);
  // The indentation is the first non-empty line's (an explicit indicator counts from the parent's, unknown here:
  // each candidate is tried, and the one that rebuilds the value wins).
  const lines = linesFrom(text, bodyStart, explicit === undefined ? 'first' : 1);
  const first = lines.find((l) => l.text.trim() !== '');
  if (!first) return { chars: '', offsets: [] };
  const auto = first.text.length - first.text.trimStart().length;
  const candidates = explicit === undefined ? [auto] : Array.from({ length: auto }, (_, k) => auto - k);
  for (const indent of candidates) {
    const built = blockBody(lines, indent, folded);
    if (built.chars.slice(0, value.length) === value) return built;
  }
  return undefined;
}

interface Line {
  text: string;
  at: number;
  /** Offset of the line break that ends it (or the end of the text). */
  end: number;
}

/**
 * The lines from `from` to the first non-empty one indented less than `least` (`'first'`: the first non-empty
 * line's indentation), where the block scalar ends: not the rest of the file, read again for every calculation.
 */
function linesFrom(text: string, from: number, least: number | 'first'): Line[] {
  const lines: Line[] = [];
  let floor = least === 'first' ? undefined : least;
  let i = from;
  while (i < text.length) {
    let j = i;
    while (j < text.length && !isBreak(text[j])) j++;
    const line = text.slice(i, j);
    if (line.trim() !== '') {
      const indent = line.length - line.trimStart().length;
      floor ??= indent;
      if (indent < floor) break;
    }
    lines.push({ text: line, at: i, end: j });
    i = skipBreak(text, j);
  }
  return lines;
}

function blockBody(lines: Line[], indent: number, folded: boolean): { chars: string; offsets: number[] } {
  let chars = '';
  const offsets: number[] = [];
  const put = (ch: string, at: number) => {
    chars += ch;
    offsets.push(at);
  };
  /** Whether the previous content line was a normal (not more-indented) text line, for folding. */
  let previous: 'none' | 'normal' | 'spaced' = 'none';
  let pendingBreak: number | undefined;
  const pendingEmpty: number[] = [];
  for (const line of lines) {
    const content = line.text.slice(0, indent);
    const blank = line.text.trim() === '';
    if (!blank && (content.length < indent || content.trim() !== '')) break;
    if (blank) {
      if (pendingBreak === undefined && previous === 'none') put('\n', line.end);
      else pendingEmpty.push(line.end);
      continue;
    }
    const rest = line.text.slice(indent);
    const kind = isBlank(rest[0]) ? 'spaced' : 'normal';
    if (pendingBreak !== undefined) {
      if (folded && previous === 'normal' && kind === 'normal') {
        if (pendingEmpty.length === 0) put(' ', pendingBreak);
      } else put('\n', pendingBreak);
      for (const at of pendingEmpty) put('\n', at);
      pendingEmpty.length = 0;
    }
    for (let k = 0; k < rest.length; k++) put(rest[k] as string, line.at + indent + k);
    pendingBreak = line.end;
    previous = kind;
  }
  if (pendingBreak !== undefined) {
    put('\n', pendingBreak);
    for (const at of pendingEmpty) put('\n', at);
  }
  return { chars, offsets };
}
