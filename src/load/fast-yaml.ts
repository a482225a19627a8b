/**
 * A fast reader for the YAML that config files are made of: block mappings and sequences, plain and quoted
 * one-line scalars, one-line flow collections (`{ env: NAME }`), comments. It gives the same data as the `yaml`
 * package and the start offset of every key and value, without building a document tree: about ten times faster
 * and a fraction of the memory, which matters for large configs and short commands.
 *
 * It gives up (returns undefined) on anything outside that subset or anything that might be an error: anchors,
 * aliases, tags, block scalars, multi-line scalars, document markers, directives, tabs, duplicate keys, plain
 * scalars that would resolve to anything but a string, `true`/`false`, `null` or a plain integer, and every
 * unusual character. The caller then parses with the `yaml` package, which reports every issue. So this reader
 * decides nothing: it is a shortcut that a differential test holds to the full parser's data and positions.
 */

/** Where a node starts (its first character): a number for a scalar, with its children for a collection. */
export type PosNode = number | PosMap | PosSeq;
export interface PosMap {
  start: number;
  keys: Map<string, { key: number; value: PosNode | null }>;
}
export interface PosSeq {
  start: number;
  items: PosNode[];
}

export interface FastParse {
  data: unknown;
  root: PosNode;
  /** Offsets where each line starts, for offset to line and column. */
  lineStarts: number[];
}

/** Thrown (never an Error: no stack is captured) when the text leaves the subset. */
export const GIVE_UP = Symbol('give up');

/** Anything but LF, CR and printable characters: tabs, controls, NEL, BOM, line and paragraph separators. */
const UNUSUAL = /[^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]/u;

/** The deepest nesting read; deeper documents go to the full parser. */
export const MAX_DEPTH = 64;

/** The `yaml` package's limit on an implicit key's length. */
export const MAX_KEY_LENGTH = 1024;

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;

export function fastParseYaml(text: string): FastParse | undefined {
  const steps = fastParseYamlSteps(text);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** How many items of the document's sequences are read between two pauses of {@link fastParseYamlSteps}. */
const STEP_ITEMS = 100;

/**
 * {@link fastParseYaml} in steps: each `next()` reads a few hundred entries, and the last gives the result (or
 * undefined when the reader gave up), so a caller can let other work run in between.
 */
export function* fastParseYamlSteps(text: string): Generator<void, FastParse | undefined, void> {
  if (UNUSUAL.test(text)) return undefined;
  const reader = new Reader(text);
  const doc = reader.document();
  for (;;) {
    let step: IteratorResult<void, FastParse>;
    try {
      step = doc.next();
    } catch (e) {
      if (e === GIVE_UP) return undefined;
      throw e;
    }
    if (step.done) return step.value;
    yield;
  }
}

export function giveUp(): never {
  throw GIVE_UP;
}

interface Value {
  data: unknown;
  pos: PosNode | null;
}

export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  // Never through the setter: a `__proto__` key is data, not a prototype. (Object.prototype has no other setter.)
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** A plain scalar's value as the YAML 1.2 core schema resolves it, or give up when it is not a simple one. */
function resolvePlain(s: string): unknown {
  switch (s) {
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  const c = s.charCodeAt(0);
  // Digits, signs and dots start numbers (ints, floats, hex, octal, .inf, .nan): plain decimal ints and decimal
  // floats (`0.5`, `-1.25`, `2.5e3`, the core schema's parseFloat) are read; anything else gives up.
  if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === DASH || c === 0x2e) {
    return resolveNumber(s) ?? giveUp();
  }
  return s;
}

/**
 * A number as the core schema reads it, for the forms read here: a decimal int of at most 15 digits, or a decimal
 * float (`0.5`, `-1.25`, `2.5e3`: the schema's parseFloat); undefined for anything else (hex, octal, `.inf`, `-0`,
 * leading zeros, longer digits), which is left to the yaml package.
 */
export function resolveNumber(s: string): number | undefined {
  if (/^(?:0|-?[1-9][0-9]{0,14})$/.test(s)) return Number(s);
  if (/^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}(?:[eE][-+]?[0-9]{1,3})?$/.test(s)) return parseFloat(s);
  return undefined;
}

/**
 * The text a backslash escape stands for in a double-quoted scalar or a JSON string (the backslash at `at`), and
 * how many characters it spans; undefined for an escape left to the yaml package (YAML's rarer escapes, a
 * surrogate). `\0` is YAML's, not JSON's.
 */
export function escapeAt(t: string, at: number, nul: boolean): { text: string; length: number } | undefined {
  const e = t[at + 1];
  switch (e) {
    case '\\':
    case '"':
    case '/':
      return { text: e, length: 2 };
    case 'n':
      return { text: '\n', length: 2 };
    case 't':
      return { text: '\t', length: 2 };
    case 'r':
      return { text: '\r', length: 2 };
    case 'b':
      return { text: '\b', length: 2 };
    case 'f':
      return { text: '\f', length: 2 };
    case '0':
      return nul ? { text: '\0', length: 2 } : undefined;
    case 'u': {
      // Four hex digits; a line break or the end of the text among them is not one.
      const hex = t.slice(at + 2, at + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
      const code = parseInt(hex, 16);
      if (code >= 0xd800 && code <= 0xdfff) return undefined;
      return { text: String.fromCharCode(code), length: 6 };
    }
    default:
      return undefined;
  }
}

/** Characters that may not start a plain scalar here (YAML indicators, and what this reader leaves alone). */
function badPlainStart(c: number): boolean {
  // - ? : , [ ] { } # & * ! | > ' " % @ `
  return (
    c === DASH ||
    c === 0x3f ||
    c === COLON ||
    c === 0x2c ||
    c === 0x5b ||
    c === 0x5d ||
    c === 0x7b ||
    c === 0x7d ||
    c === HASH ||
    c === 0x26 ||
    c === 0x2a ||
    c === 0x21 ||
    c === 0x7c ||
    c === 0x3e ||
    c === 0x27 ||
    c === 0x22 ||
    c === 0x25 ||
    c === 0x40 ||
    c === 0x60
  );
}

function isFlowIndicator(c: number): boolean {
  return c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;
}

class Reader {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** The next line to read. */
  private line = 0;
  private depth = 0;

  constructor(private readonly t: string) {
    let s = 0;
    for (;;) {
      const n = t.indexOf('\n', s);
      const e = n < 0 ? t.length : n;
      this.starts.push(s);
      this.ends.push(e > s && t.charCodeAt(e - 1) === 0x0d ? e - 1 : e);
      if (n < 0) break;
      s = n + 1;
    }
  }

  /**
   * The document, a mapping at column 0, read in steps: it pauses (yields) every {@link STEP_ITEMS} items of the
   * sequences its keys hold, so a caller can let other work run (the reads that plan starts while loading).
   */
  *document(): Generator<void, FastParse, void> {
    const data: Record<string, unknown> = {};
    const keys = new Map<string, { key: number; value: PosNode | null }>();
    let l = this.nextContent();
    if (l < 0 || this.indentOf(l) !== 0) giveUp();
    const root: PosMap = { start: this.starts[l] as number, keys };
    let count = 0;
    for (; l >= 0; l = this.nextContent()) {
      if (this.indentOf(l) !== 0) giveUp();
      const keyOff = this.starts[l] as number;
      const key = this.keyAt(l, keyOff) ?? giveUp();
      if (keys.has(key.key)) giveUp();
      let v = this.valueAfter(l, key.end, 0);
      if (!v) {
        const indent = this.seqBelow(0);
        if (indent < 0) v = this.below(0);
        else {
          const list: unknown[] = [];
          const items: PosNode[] = [];
          const start = (this.starts[this.line] as number) + indent;
          while (this.seqItem(indent, list, items)) if (++count % STEP_ITEMS === 0) yield;
          v = { data: list, pos: { start, items } };
        }
      }
      setKey(data, key.key, v.data);
      keys.set(key.key, { key: keyOff, value: v.pos });
    }
    return { data, root, lineStarts: this.starts };
  }

  private indentOf(l: number): number {
    const s = this.starts[l] as number;
    const e = this.ends[l] as number;
    let i = s;
    while (i < e && this.t.charCodeAt(i) === SPACE) i++;
    return i - s;
  }

  /** Moves to the next line holding content (not blank, not only a comment); -1 at the end. */
  private nextContent(): number {
    const t = this.t;
    for (; this.line < this.starts.length; this.line++) {
      const e = this.ends[this.line] as number;
      let i = this.starts[this.line] as number;
      while (i < e && t.charCodeAt(i) === SPACE) i++;
      if (i < e && t.charCodeAt(i) !== HASH) return this.line;
    }
    return -1;
  }

  private isSeqEntry(off: number, end: number): boolean {
    return this.t.charCodeAt(off) === DASH && (off + 1 === end || this.t.charCodeAt(off + 1) === SPACE);
  }

  /** The block node whose first line is the current line, indented by `indent`. */
  private block(indent: number): Value {
    if (++this.depth > MAX_DEPTH) giveUp();
    const l = this.line;
    const off = (this.starts[l] as number) + indent;
    const v = this.isSeqEntry(off, this.ends[l] as number)
      ? this.seq(indent)
      : this.map(indent, off, this.keyAt(l, off) ?? giveUp());
    this.depth--;
    return v;
  }

  /** The rest of line `l` from `from` is empty or a comment (a `#` after a space). */
  private restIsEmpty(l: number, from: number): boolean {
    const t = this.t;
    const e = this.ends[l] as number;
    let i = from;
    while (i < e && t.charCodeAt(i) === SPACE) i++;
    return i === e || (t.charCodeAt(i) === HASH && i > from);
  }

  private seq(indent: number): Value {
    const data: unknown[] = [];
    const items: PosNode[] = [];
    const start = (this.starts[this.line] as number) + indent;
    while (this.seqItem(indent, data, items));
    return { data, pos: { start, items } };
  }

  /** Reads the next item of the sequence at `indent` into `data` and `items`; false when the sequence has ended. */
  private seqItem(indent: number, data: unknown[], items: PosNode[]): boolean {
    const t = this.t;
    const l = this.nextContent();
    if (l < 0) return false;
    const ind = this.indentOf(l);
    if (ind < indent) return false;
    if (ind > indent) giveUp();
    const s = this.starts[l] as number;
    const e = this.ends[l] as number;
    const off = s + ind;
    if (!this.isSeqEntry(off, e)) return false;
    let r = off + 1;
    while (r < e && t.charCodeAt(r) === SPACE) r++;
    let v: Value;
    if (r === e || (t.charCodeAt(r) === HASH && r > off + 1)) {
      // `-` alone: the item is the block below, more indented.
      this.line = l + 1;
      const next = this.nextContent();
      if (next < 0) giveUp();
      const nind = this.indentOf(next);
      if (nind <= indent) giveUp();
      v = this.block(nind);
    } else if (this.isSeqEntry(r, e)) {
      giveUp();
    } else {
      const key = this.keyAt(l, r);
      if (key) {
        // `- key: value`: a mapping whose keys line up with this first one.
        if (++this.depth > MAX_DEPTH) giveUp();
        v = this.map(r - s, r, key);
        this.depth--;
      } else if (this.isBlockScalar(r)) {
        v = this.blockScalar(l, r, indent);
      } else {
        v = this.inline(l, r);
        this.line = l + 1;
        this.noContinuation(indent);
      }
    }
    data.push(v.data);
    items.push(v.pos ?? giveUp());
    return true;
  }

  /** After a one-line value, the next content line may not be more indented than its parent (no multi-line scalars). */
  private noContinuation(parentIndent: number): void {
    const next = this.nextContent();
    if (next >= 0 && this.indentOf(next) > parentIndent) giveUp();
  }

  /**
   * A mapping at column `col`, its first key already read from line `this.line` at `off` (mid-line after `- `).
   */
  private map(col: number, off: number, first: { key: string; end: number }): Value {
    const data: Record<string, unknown> = {};
    const keys = new Map<string, { key: number; value: PosNode | null }>();
    const pos: PosMap = { start: off, keys };
    let key: { key: string; end: number } | undefined = first;
    let keyOff = off;
    for (;;) {
      let l = this.line;
      if (!key) {
        l = this.nextContent();
        if (l < 0) break;
        const ind = this.indentOf(l);
        if (ind < col) break;
        if (ind > col) giveUp();
        keyOff = (this.starts[l] as number) + ind;
        if (this.isSeqEntry(keyOff, this.ends[l] as number)) {
          // A sequence at a mapping's own indentation belongs to the key before it (read there), so this is
          // where a parent's sequence goes on, or a mistake: either way the parent decides.
          break;
        }
        key = this.keyAt(l, keyOff) ?? giveUp();
      }
      if (keys.has(key.key)) giveUp();
      const v = this.valueAfter(l, key.end, col) ?? this.below(col);
      setKey(data, key.key, v.data);
      keys.set(key.key, { key: keyOff, value: v.pos });
      key = undefined;
    }
    return { data, pos };
  }

  /**
   * The value after a key of a mapping at `col` (its `:` ends at `keyEnd` on line `l`) when it is on the same line;
   * undefined when the line ends there (the value is below: {@link below}, with the next line current).
   */
  private valueAfter(l: number, keyEnd: number, col: number): Value | undefined {
    const t = this.t;
    const e = this.ends[l] as number;
    let r = keyEnd;
    while (r < e && t.charCodeAt(r) === SPACE) r++;
    if (r === e || (t.charCodeAt(r) === HASH && r > keyEnd)) {
      this.line = l + 1;
      return undefined;
    }
    if (this.isBlockScalar(r)) return this.blockScalar(l, r, col);
    if (this.isSeqEntry(r, e)) giveUp();
    const v = this.inline(l, r);
    this.line = l + 1;
    this.noContinuation(col);
    return v;
  }

  /** The indentation of a block sequence that is the value below a key at `col`, or -1 when it is not one. */
  private seqBelow(col: number): number {
    const next = this.nextContent();
    if (next < 0) return -1;
    const nind = this.indentOf(next);
    if (nind < col || !this.isSeqEntry((this.starts[next] as number) + nind, this.ends[next] as number))
      return -1;
    return nind;
  }

  /** The value on the lines below a key at `col`: a block more indented, a sequence at `col`, or empty (null). */
  private below(col: number): Value {
    const next = this.nextContent();
    const nind = next < 0 ? -1 : this.indentOf(next);
    if (nind > col) return this.block(nind);
    if (nind === col && this.isSeqEntry((this.starts[next] as number) + nind, this.ends[next] as number))
      return this.seqAt(col);
    return { data: null, pos: null };
  }

  private seqAt(indent: number): Value {
    if (++this.depth > MAX_DEPTH) giveUp();
    const v = this.seq(indent);
    this.depth--;
    return v;
  }

  /**
   * The key that starts at `off` on line `l` (`key:` followed by a space or the end of the line), with the offset
   * just after its `:`; undefined when the line holds no key there. Gives up on keys this reader leaves alone.
   */
  private keyAt(l: number, off: number): { key: string; end: number } | undefined {
    const t = this.t;
    const e = this.ends[l] as number;
    const c = t.charCodeAt(off);
    const colonAt = (i: number) =>
      t.charCodeAt(i) === COLON && (i + 1 === e || t.charCodeAt(i + 1) === SPACE);
    if (c === 0x22 || c === 0x27) {
      const q = this.quoted(l, off);
      if (!colonAt(q.end)) {
        return undefined;
      }
      // YAML's limit on an implicit key: its `:` at most 1024 characters after the key starts (quotes count).
      if (q.end - off > MAX_KEY_LENGTH) giveUp();
      return { key: q.value, end: q.end + 1 };
    }
    if (c === 0x7b || c === 0x5b) return undefined; // a flow collection: a value (a flow key gives up later)
    for (let i = off; i < e; i++) {
      const ch = t.charCodeAt(i);
      if (ch === COLON && (i + 1 === e || t.charCodeAt(i + 1) === SPACE)) {
        if (i - off > MAX_KEY_LENGTH || i === off) giveUp();
        if (t.charCodeAt(i - 1) === SPACE) giveUp();
        const key = t.slice(off, i);
        if (badPlainStart(c) || key === '<<' || typeof resolvePlain(key) !== 'string') giveUp();
        for (let k = off; k < i; k++) if (isFlowIndicator(t.charCodeAt(k))) giveUp();
        return { key, end: i + 1 };
      }
      if (ch === HASH && t.charCodeAt(i - 1) === SPACE) return undefined; // a comment starts: no key
    }
    return undefined;
  }

  private isBlockScalar(r: number): boolean {
    const c = this.t.charCodeAt(r);
    return c === 0x7c || c === 0x3e;
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar whose header is at `r` on line `l`, its lines indented more than
   * `parentIndent`. Clip and strip chomping (`-`) are read; keep (`+`), indentation indicators, leading empty
   * lines, and folded text with more-indented lines give up.
   */
  private blockScalar(l: number, r: number, parentIndent: number): Value {
    const t = this.t;
    const e = this.ends[l] as number;
    const folded = t.charCodeAt(r) === 0x3e;
    let h = r + 1;
    const strip = t.charCodeAt(h) === DASH;
    if (strip) h++;
    if (h < e && t.charCodeAt(h) !== SPACE) giveUp(); // keep (`+`), an indentation indicator, or other text
    if (!this.restIsEmpty(l, h)) giveUp();
    // The first content line sets the indentation; a leading empty line is left to the full parser.
    const first = l + 1;
    if (first >= this.starts.length) giveUp();
    const indent = this.indentOf(first);
    if (indent <= parentIndent || (this.starts[first] as number) + indent === this.ends[first]) giveUp();
    const lines: string[] = [];
    let last = first; // the last line with content
    let i = first;
    for (; i < this.starts.length; i++) {
      const s = this.starts[i] as number;
      const end = this.ends[i] as number;
      const ind = this.indentOf(i);
      if (s + ind === end) {
        // An empty line (spaces only): part of the text if more content follows at the indentation.
        if (ind > indent) giveUp();
        lines.push('');
        continue;
      }
      if (ind < indent) break;
      if (folded && ind > indent) giveUp();
      lines.push(t.slice(s + indent, end));
      last = i;
    }
    // The text ends at the last content line; it must end with a line break (not at the end of the file).
    if (last + 1 >= this.starts.length) giveUp();
    lines.length = last - first + 1;
    let value: string;
    if (folded) {
      value = '';
      let empties = 0;
      for (let k = 0; k < lines.length; k++) {
        const line = lines[k] as string;
        if (line === '') {
          empties++;
          continue;
        }
        if (k > 0) value += empties > 0 ? '\n'.repeat(empties) : ' ';
        empties = 0;
        value += line;
      }
    } else {
      value = lines.join('\n');
    }
    if (!strip) value += '\n';
    this.line = last + 1;
    return { data: value, pos: r };
  }

  /** A one-line value at `r` on line `l`: a scalar or a flow collection, then only a comment. */
  private inline(l: number, r: number): Value {
    const t = this.t;
    const e = this.ends[l] as number;
    const c = t.charCodeAt(r);
    if (c === 0x22 || c === 0x27) {
      const q = this.quoted(l, r);
      if (!this.restIsEmpty(l, q.end)) giveUp();
      return { data: q.value, pos: r };
    }
    if (c === 0x7b || c === 0x5b) {
      const f = this.flow(l, r);
      if (!this.restIsEmpty(l, f.end)) giveUp();
      return { data: f.data, pos: f.pos };
    }
    if (badPlainStart(c)) giveUp();
    let end = e;
    for (let i = r; i < e; i++) {
      const ch = t.charCodeAt(i);
      if (ch === HASH && t.charCodeAt(i - 1) === SPACE) {
        end = i;
        break;
      }
      if (ch === COLON && (i + 1 === e || t.charCodeAt(i + 1) === SPACE)) giveUp();
    }
    while (end > r && t.charCodeAt(end - 1) === SPACE) end--;
    return { data: resolvePlain(t.slice(r, end)), pos: r };
  }

  /** A quoted scalar starting at `off` that closes on the same line. */
  private quoted(l: number, off: number): { value: string; end: number } {
    const t = this.t;
    const e = this.ends[l] as number;
    const q = t.charCodeAt(off);
    let out = '';
    let from = off + 1;
    for (let i = off + 1; i < e; i++) {
      const ch = t.charCodeAt(i);
      if (q === 0x27) {
        if (ch !== 0x27) continue;
        if (t.charCodeAt(i + 1) === 0x27 && i + 1 < e) {
          out += t.slice(from, i + 1);
          i++;
          from = i + 1;
          continue;
        }
        return { value: out + t.slice(from, i), end: i + 1 };
      }
      if (ch === 0x22) return { value: out + t.slice(from, i), end: i + 1 };
      if (ch !== 0x5c) continue;
      out += t.slice(from, i);
      const esc = escapeAt(t, i, true) ?? giveUp();
      out += esc.text;
      i += esc.length - 1;
      from = i + 1;
    }
    return giveUp();
  }

  /** A flow collection that opens at `off` and closes on the same line. */
  private flow(l: number, off: number): { data: unknown; pos: PosNode; end: number } {
    if (++this.depth > MAX_DEPTH) giveUp();
    const t = this.t;
    const e = this.ends[l] as number;
    const isMap = t.charCodeAt(off) === 0x7b;
    const close = isMap ? 0x7d : 0x5d;
    const skip = (i: number) => {
      while (i < e && t.charCodeAt(i) === SPACE) i++;
      return i;
    };
    const obj: Record<string, unknown> = {};
    const keys = new Map<string, { key: number; value: PosNode | null }>();
    const arr: unknown[] = [];
    const items: PosNode[] = [];
    let i = skip(off + 1);
    if (t.charCodeAt(i) === close && i < e) {
      this.depth--;
      return isMap
        ? { data: obj, pos: { start: off, keys }, end: i + 1 }
        : { data: arr, pos: { start: off, items }, end: i + 1 };
    }
    for (;;) {
      if (i >= e) giveUp();
      let key: string | undefined;
      const keyOff = i;
      if (isMap) {
        const c = t.charCodeAt(i);
        if (c === 0x22 || c === 0x27) {
          const q = this.quoted(l, i);
          key = q.value;
          i = q.end;
        } else {
          if (badPlainStart(c)) giveUp();
          let k = i;
          while (k < e && t.charCodeAt(k) !== COLON) {
            const ch = t.charCodeAt(k);
            if (isFlowIndicator(ch) || ch === HASH || ch === SPACE) giveUp();
            k++;
          }
          if (k - i > MAX_KEY_LENGTH) giveUp();
          key = t.slice(i, k);
          if (key === '<<' || typeof resolvePlain(key) !== 'string') giveUp();
          i = k;
        }
        if (t.charCodeAt(i) !== COLON || t.charCodeAt(i + 1) !== SPACE || i + 1 >= e) giveUp();
        if (keys.has(key)) giveUp();
        i = skip(i + 1);
      }
      const vOff = i;
      const c = t.charCodeAt(i);
      let data: unknown;
      let pos: PosNode;
      if (c === 0x22 || c === 0x27) {
        const q = this.quoted(l, i);
        data = q.value;
        pos = vOff;
        i = q.end;
      } else if (c === 0x7b || c === 0x5b) {
        const f = this.flow(l, i);
        data = f.data;
        pos = f.pos;
        i = f.end;
      } else {
        if (badPlainStart(c) || i >= e) giveUp();
        let k = i;
        while (k < e) {
          const ch = t.charCodeAt(k);
          if (ch === 0x2c || ch === close) break;
          if (isFlowIndicator(ch) || ch === HASH || ch === COLON) giveUp();
          k++;
        }
        let end = k;
        while (end > i && t.charCodeAt(end - 1) === SPACE) end--;
        data = resolvePlain(t.slice(i, end));
        pos = vOff;
        i = k;
      }
      if (isMap) {
        setKey(obj, key as string, data);
        keys.set(key as string, { key: keyOff, value: pos });
      } else {
        arr.push(data);
        items.push(pos);
      }
      i = skip(i);
      const sep = t.charCodeAt(i);
      if (i < e && sep === close) {
        this.depth--;
        return isMap
          ? { data: obj, pos: { start: off, keys }, end: i + 1 }
          : { data: arr, pos: { start: off, items }, end: i + 1 };
      }
      if (i >= e || sep !== 0x2c) giveUp();
      i = skip(i + 1);
      if (t.charCodeAt(i) === close) giveUp(); // a trailing comma: left to the full parser
    }
  }
}

/** The start offset of the node a JSON pointer names, as `locate` in yaml.ts finds it in a document tree. */
export function fastLocateOffset(
  root: PosNode,
  parts: readonly string[],
  at: 'key' | 'value',
): number | undefined {
  let node: PosNode | null | undefined = root;
  let found: number | undefined = startOf(root);
  let keyOff: number | undefined;
  for (const part of parts) {
    keyOff = undefined;
    let next: PosNode | null | undefined;
    if (node !== null && node !== undefined && typeof node === 'object') {
      if ('keys' in node) {
        const entry = node.keys.get(part);
        if (entry) {
          keyOff = entry.key;
          next = entry.value;
          if (next === null) {
            // `key:` with nothing after it: point at the key.
            found = keyOff;
            node = undefined;
            continue;
          }
        }
      } else {
        next = node.items[Number(part)];
      }
    }
    if (next === undefined || next === null) return found;
    node = next;
    found = startOf(next);
  }
  if (at === 'key' && keyOff !== undefined) return keyOff;
  return found;
}

function startOf(n: PosNode): number {
  return typeof n === 'number' ? n : n.start;
}
