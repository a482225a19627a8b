import { createRequire } from 'node:module';
import type { Alias, Document, LineCounter, Node } from 'yaml';
import type * as YamlModule from 'yaml';
import type { Issue } from '../model/errors.js';
import { parsePointer } from '../schema/pointer.js';
import { fastParseJson } from './fast-json.js';
import { type FastParse, fastLocateOffset, fastParseYaml, fastParseYamlSteps } from './fast-yaml.js';

/**
 * The `yaml` package, loaded the first time the fast reader gives up: most runs never need it, and loading it is a
 * good part of a short command's start-up.
 */
let yamlModule: typeof YamlModule | undefined;
function yaml(): typeof YamlModule {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof YamlModule;
  return yamlModule;
}

/** One parsed file: its data, and what is needed to place an issue on a line and column. */
export interface ParsedFile {
  file: string;
  data: unknown;
  /** The document tree, when the full parser read the file. */
  doc?: Document | undefined;
  lineCounter?: LineCounter;
  /** Offsets of every node, when the fast reader read the file (no tree is built). */
  fast?: FastParse;
  issues: Issue[];
  /** The text read (line breaks normalized), to place a character inside a value (scalar-position.ts). */
  text?: string;
}

export interface Position {
  line: number;
  col: number;
}

/**
 * Aliases may make a document at most twice its size in values, or add this many values, whichever is more
 * (guards against "billion laughs" documents, where each alias doubles the size).
 */
const ALIAS_EXPANSION_SLACK = 100_000;

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Parses YAML with positions. Syntax errors come back as issues (`yaml_syntax`, `duplicate_key`, ...). The fast
 * reader (fast-yaml.ts) takes the common case; anything else, and every file with a problem, goes to the `yaml`
 * package. `full: true` skips the fast reader (the differential test's oracle).
 */
export function parseYaml(file: string, text: string, options: { full?: boolean } = {}): ParsedFile {
  const normalized = normalizeBreaks(text);
  const fast = options.full ? undefined : fastRead(normalized);
  if (fast) return { file, data: fast.data, fast, issues: [], text: normalized };
  return parseFull(file, normalized);
}

/** The fast readers: JSON text (a `cdk.tf.json`) by fast-json.ts, the rest by fast-yaml.ts; undefined if neither. */
function fastRead(normalized: string): FastParse | undefined {
  return isJsonText(normalized) ? fastParseJson(normalized) : fastParseYaml(normalized);
}

/** Text that opens with `{`: read as JSON (in one go, it has no entries to pause between). */
function isJsonText(text: string): boolean {
  return /^\s*\{/.test(text);
}

/**
 * {@link parseYaml}, pausing (`await pause()`) every few hundred entries of a large file, so that work started
 * before it (plan's reads) goes on while it parses.
 */
export async function parseYamlPausing(
  file: string,
  text: string,
  pause: () => Promise<void>,
): Promise<ParsedFile> {
  const normalized = normalizeBreaks(text);
  if (isJsonText(normalized)) return parseYaml(file, normalized);
  const steps = fastParseYamlSteps(normalized);
  for (;;) {
    const step = steps.next();
    if (step.done) {
      if (step.value) return { file, data: step.value.data, fast: step.value, issues: [], text: normalized };
      return parseFull(file, normalized);
    }
    await pause();
  }
}

/**
 * YAML 1.2 breaks lines at CR, LF and CRLF; the yaml package knows only LF and CRLF. A lone CR becomes LF, one
 * character for one, so every offset and column stays where it was.
 */
function normalizeBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** The `yaml` package's parse, with every problem as an issue. */
function parseFull(file: string, normalized: string): ParsedFile {
  const lineCounter = new (yaml().LineCounter)();
  const docs = yaml().parseAllDocuments(normalized, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const issues: Issue[] = [];
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  const list = Array.isArray(docs) ? docs : [];
  const doc = list[0];
  for (const d of list) {
    for (const e of d.errors) {
      issues.push({
        severity: 'error',
        code: e.code === 'DUPLICATE_KEY' ? 'duplicate_key' : 'yaml_syntax',
        file,
        ...at(e.pos[0]),
        pointer: '',
        message:
          e.code === 'DUPLICATE_KEY' ? 'this key appears twice in the same mapping' : firstLine(e.message),
        hint:
          e.code === 'DUPLICATE_KEY'
            ? 'remove or rename one of the two keys'
            : 'fix the YAML syntax (indentation, quotes, a missing `:` or `-`)',
      });
    }
    for (const w of d.warnings) {
      issues.push({
        severity: 'warning',
        code: 'yaml_warning',
        file,
        ...at(w.pos[0]),
        pointer: '',
        message: firstLine(w.message),
      });
    }
  }
  const second = list[1];
  if (second) {
    issues.push({
      severity: 'error',
      code: 'multiple_documents',
      file,
      ...at(second.range[0]),
      pointer: '',
      message: 'the file holds more than one YAML document (`---`)',
      hint: 'put each document in its own file; all files in a directory are merged',
    });
  }
  let data: unknown = null;
  if (doc && issues.every((i) => i.severity !== 'error')) {
    const alias = (code: string, message: string, hint: string) => (node: Alias) =>
      issues.push({ severity: 'error', code, file, ...at(node.range?.[0] ?? 0), pointer: '', message, hint });
    data = toData(doc, {
      unresolved: (node) =>
        alias(
          'yaml_syntax',
          `alias *${node.source} names no anchor set before it`,
          `define \`&${node.source}\` earlier in the file, or write the value out`,
        )(node),
      recursive: (node) =>
        alias(
          'yaml_syntax',
          `alias *${node.source} is inside the node it names, so the value would contain itself`,
          'write the value out, or anchor a smaller part of it',
        )(node),
      tooLarge: (node, limit) =>
        alias(
          'yaml_alias_limit',
          `expanding alias *${node.source} makes the document larger than ${limit.toLocaleString('en-US')} values`,
          'aliases may at most double a document (or add 100,000 values); write repeated parts out',
        )(node),
    });
    if (issues.some((i) => i.severity === 'error')) data = null;
  }
  return { file, data, doc, lineCounter, issues, text: normalized };
}

/**
 * The line and column of the node a JSON pointer names: its key (`at: 'key'`) or its value. Follows aliases.
 * When the pointer goes further than the document (a missing key), the deepest node found is used.
 */
export function locate(parsed: ParsedFile, pointer: string, at: 'key' | 'value' = 'value'): Position {
  return positionOf(parsed, locateOffset(parsed, pointer, at));
}

/** Line and column (1-based) of an offset in the parsed text; 1:1 when unknown. */
export function positionOf(parsed: ParsedFile, offset: number | undefined): Position {
  if (parsed.fast) return offsetPosition(parsed.fast.lineStarts, offset);
  if (offset === undefined || !parsed.lineCounter) return { line: 1, col: 1 };
  const p = parsed.lineCounter.linePos(offset);
  return { line: p.line, col: p.col };
}

/** The offset {@link locate} finds, undefined when there is no document. */
export function locateOffset(
  parsed: ParsedFile,
  pointer: string,
  at: 'key' | 'value' = 'value',
): number | undefined {
  const { doc, fast } = parsed;
  if (fast) return fastLocateOffset(fast.root, parsePointer(pointer), at);
  const pos = (offset: number | undefined): number | undefined => offset;
  if (!doc) return undefined;
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  let found: Node | undefined = isNode(node) ? node : undefined;
  for (const part of parsePointer(pointer)) {
    node = deref(doc, node);
    keyNode = undefined;
    let next: unknown;
    if (yaml().isMap(node)) {
      const pair = node.items.find((it) => yaml().isPair(it) && keyString(it.key) === part);
      if (pair) {
        keyNode = isNode(pair.key) ? pair.key : undefined;
        next = pair.value ?? undefined;
        if (next === undefined || next === null) {
          // `key:` with nothing after it: point at the key.
          found = keyNode ?? found;
          node = undefined;
          continue;
        }
      }
    } else if (yaml().isSeq(node)) {
      next = node.items[Number(part)];
    }
    if (!isNode(next)) return pos(found?.range?.[0]);
    if (keyNode && yaml().isScalar(next) && next.range && next.range[0] === next.range[1]) {
      // An empty value (`key:` and nothing else) has no text of its own: point at the key.
      found = keyNode;
      node = undefined;
      continue;
    }
    node = next;
    found = next;
  }
  if (at === 'key' && keyNode?.range) return pos(keyNode.range[0]);
  return pos(found?.range?.[0]);
}

/** Line and column (1-based) of an offset, from the offsets where lines start. */
function offsetPosition(lineStarts: readonly number[], offset: number | undefined): Position {
  if (offset === undefined) return { line: 1, col: 1 };
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - (lineStarts[lo] as number) + 1 };
}

function isNode(v: unknown): v is Node {
  return !!v && typeof v === 'object' && 'range' in v;
}

function deref(doc: Document, node: unknown): unknown {
  let n = node;
  for (let i = 0; i < 100 && yaml().isAlias(n); i++) n = n.resolve(doc);
  return n;
}

function keyString(key: unknown): string | undefined {
  if (yaml().isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return undefined;
  return String(key);
}

interface AliasProblems {
  unresolved(alias: Alias): void;
  recursive(alias: Alias): void;
  tooLarge(alias: Alias, limit: number): void;
}

/**
 * The document as plain data, in one walk in document order. An alias resolves to the last node anchored with
 * its name before it (YAML 1.2), from a map kept while walking: the yaml package's own toJS re-scans the document
 * for each alias, which is quadratic in the number of aliases. Values an alias expands to are counted as if
 * written out, and the walk stops once that exceeds the bound.
 */
function toData(doc: Document, problems: AliasProblems): unknown {
  const anchors = new Map<string, { value: unknown; size: number }>();
  const open = new Set<string>();
  let written = 0;
  yaml().visit(doc, {
    Node() {
      written++;
    },
  });
  const limit = Math.max(2 * written, written + ALIAS_EXPANSION_SLACK);
  let expanded = 0;
  let failed = false;

  // Returns the value and how many values it stands for when expanded.
  const convert = (node: unknown): { value: unknown; size: number } => {
    if (failed) return { value: null, size: 0 };
    if (yaml().isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined) {
        failed = true;
        (open.has(node.source) ? problems.recursive : problems.unresolved)(node);
        return { value: null, size: 0 };
      }
      expanded += target.size;
      if (expanded > limit) {
        failed = true;
        problems.tooLarge(node, limit);
      }
      return target;
    }
    if (!isNode(node)) return { value: null, size: 0 };
    expanded++;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor !== undefined) open.add(anchor);
    let result: { value: unknown; size: number };
    if (yaml().isMap(node)) {
      const obj: Record<string, unknown> = {};
      let size = 1;
      for (const pair of node.items) {
        const k = convert(pair.key);
        const v = convert(pair.value);
        size += k.size + v.size;
        const key =
          k.value === null ? '' : typeof k.value === 'object' ? JSON.stringify(k.value) : String(k.value);
        // Never through the setter: a `__proto__` key is data, not a prototype.
        Object.defineProperty(obj, key, {
          value: v.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      result = { value: obj, size };
    } else if (yaml().isSeq(node)) {
      const arr: unknown[] = [];
      let size = 1;
      for (const item of node.items) {
        const v = convert(item);
        size += v.size;
        arr.push(v.value);
      }
      result = { value: arr, size };
    } else if (yaml().isScalar(node)) {
      result = { value: node.value ?? null, size: 1 };
    } else {
      result = { value: null, size: 1 };
    }
    if (anchor !== undefined) {
      open.delete(anchor);
      anchors.set(anchor, result);
    }
    return result;
  };
  return convert(doc.contents).value;
}
