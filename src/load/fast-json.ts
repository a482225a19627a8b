import {
  escapeAt,
  type FastParse,
  GIVE_UP,
  giveUp,
  MAX_DEPTH,
  MAX_KEY_LENGTH,
  type PosMap,
  type PosNode,
  type PosSeq,
  resolveNumber,
  setKey,
} from './fast-yaml.js';

/**
 * The fast reader's counterpart for JSON text (a `cdk.tf.json`, a config written as JSON): JSON is YAML in flow
 * style, which the `yaml` package reads slowly (superlinear in size; tens of seconds for a large stack). Gives the
 * `yaml` package's data and the start of every key and value, or undefined on anything it leaves to that package:
 * duplicate keys, numbers it does not read the same way for sure, lone surrogates, control characters, a key too
 * long for YAML, deep nesting. The same differential test as fast-yaml.ts holds it to the `yaml` package.
 */
export function fastParseJson(text: string): FastParse | undefined {
  try {
    return new JsonReader(text).document();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;

class JsonReader {
  private i = 0;
  private depth = 0;

  constructor(private readonly t: string) {}

  document(): FastParse {
    this.space();
    if (this.t.charCodeAt(this.i) !== 0x7b) giveUp(); // a config is a mapping
    const { data, pos } = this.value();
    this.space();
    if (this.i !== this.t.length) giveUp();
    const lineStarts = [0];
    for (let n = this.t.indexOf('\n'); n >= 0; n = this.t.indexOf('\n', n + 1)) lineStarts.push(n + 1);
    return { data, root: pos, lineStarts };
  }

  private space(): void {
    const t = this.t;
    for (;;) {
      const c = t.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d) this.i++;
      else return;
    }
  }

  private value(): { data: unknown; pos: PosNode } {
    this.space();
    const t = this.t;
    const start = this.i;
    const c = t.charCodeAt(start);
    if (c === 0x7b || c === 0x5b) {
      if (++this.depth > MAX_DEPTH) giveUp();
      const v = c === 0x7b ? this.object() : this.array();
      this.depth--;
      return v;
    }
    if (c === 0x22) return { data: this.string(), pos: start };
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (t.startsWith(word, start)) {
        this.i += word.length;
        return { data: value, pos: start };
      }
    }
    NUMBER.lastIndex = start;
    const m = NUMBER.exec(t);
    if (!m) giveUp();
    const s = m[0];
    this.i += s.length;
    return { data: resolveNumber(s) ?? giveUp(), pos: start };
  }

  private object(): { data: unknown; pos: PosMap } {
    const t = this.t;
    const data: Record<string, unknown> = {};
    const keys = new Map<string, { key: number; value: PosNode | null }>();
    const pos: PosMap = { start: this.i, keys };
    this.i++;
    this.space();
    if (t.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return { data, pos };
    }
    for (;;) {
      this.space();
      const keyStart = this.i;
      if (t.charCodeAt(keyStart) !== 0x22) giveUp();
      const key = this.string();
      if (this.i - keyStart > MAX_KEY_LENGTH) giveUp();
      // YAML wants an implicit key's `:` on its own line.
      while (t.charCodeAt(this.i) === 0x20) this.i++;
      if (t.charCodeAt(this.i) !== 0x3a) giveUp();
      this.i++;
      const v = this.value();
      if (Object.hasOwn(data, key)) giveUp();
      setKey(data, key, v.data);
      keys.set(key, { key: keyStart, value: v.pos });
      this.space();
      const c = t.charCodeAt(this.i++);
      if (c === 0x7d) return { data, pos };
      if (c !== 0x2c) giveUp();
    }
  }

  private array(): { data: unknown; pos: PosSeq } {
    const t = this.t;
    const data: unknown[] = [];
    const pos: PosSeq = { start: this.i, items: [] };
    this.i++;
    this.space();
    if (t.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return { data, pos };
    }
    for (;;) {
      const v = this.value();
      data.push(v.data);
      pos.items.push(v.pos);
      this.space();
      const c = t.charCodeAt(this.i++);
      if (c === 0x5d) return { data, pos };
      if (c !== 0x2c) giveUp();
    }
  }

  /** A string at the current `"`; printable characters and JSON's escapes only. */
  private string(): string {
    const t = this.t;
    let out = '';
    let from = ++this.i;
    for (;;) {
      const c = t.charCodeAt(this.i);
      if (Number.isNaN(c) || c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) giveUp();
      if (c >= 0xd800 && c <= 0xdfff) {
        // A surrogate pair is one printable character; a lone surrogate is left to the yaml package.
        const d = t.charCodeAt(this.i + 1);
        if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) giveUp();
        this.i += 2;
        continue;
      }
      if (c === 0xfeff || c === 0xfffe || c === 0xffff || c === 0x2028 || c === 0x2029 || c === 0x85)
        giveUp();
      if (c === 0x22) {
        out += t.slice(from, this.i);
        this.i++;
        return out;
      }
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += t.slice(from, this.i);
      const esc = escapeAt(t, this.i, false) ?? giveUp();
      out += esc.text;
      this.i += esc.length;
      from = this.i;
    }
  }
}
