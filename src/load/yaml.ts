import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  visit,
} from 'yaml';
import type { Issue } from '../model/errors.js';
import { parsePointer } from '../schema/pointer.js';

/** One parsed file: its data, and what is needed to place an issue on a line and column. */
export interface ParsedFile {
  file: string;
  data: unknown;
  doc: Document | undefined;
  lineCounter: LineCounter;
  issues: Issue[];
}

export interface Position {
  line: number;
  col: number;
}

/** Aliases are expanded at most this often per file (guards against "billion laughs" documents). */
const MAX_ALIAS_COUNT = 1000;

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/** Parses YAML with positions. Syntax errors come back as issues (`yaml_syntax`, `duplicate_key`, ...). */
export function parseYaml(file: string, text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
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
  if (doc) {
    // An alias with no anchor before it: toJS would throw without a position, so find it first.
    visit(doc, {
      Alias(_key, alias) {
        if (alias.resolve(doc) === undefined) {
          issues.push({
            severity: 'error',
            code: 'yaml_syntax',
            file,
            ...at(alias.range?.[0] ?? 0),
            pointer: '',
            message: `alias *${alias.source} names no anchor set before it`,
            hint: `define \`&${alias.source}\` earlier in the file, or write the value out`,
          });
        }
      },
    });
  }
  let data: unknown = null;
  if (doc && issues.every((i) => i.severity !== 'error')) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      issues.push({
        severity: 'error',
        code: 'yaml_syntax',
        file,
        line: 1,
        col: 1,
        pointer: '',
        message: firstLine(err instanceof Error ? err.message : String(err)),
      });
    }
  }
  return { file, data, doc, lineCounter, issues };
}

/**
 * The line and column of the node a JSON pointer names: its key (`at: 'key'`) or its value. Follows aliases.
 * When the pointer goes further than the document (a missing key), the deepest node found is used.
 */
export function locate(parsed: ParsedFile, pointer: string, at: 'key' | 'value' = 'value'): Position {
  const { doc, lineCounter } = parsed;
  const pos = (offset: number | undefined): Position => {
    if (offset === undefined) return { line: 1, col: 1 };
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  if (!doc) return { line: 1, col: 1 };
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  let found: Node | undefined = isNode(node) ? node : undefined;
  for (const part of parsePointer(pointer)) {
    node = deref(doc, node);
    keyNode = undefined;
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && keyString(it.key) === part);
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
    } else if (isSeq(node)) {
      next = node.items[Number(part)];
    }
    if (!isNode(next)) return pos(found?.range?.[0]);
    if (keyNode && isScalar(next) && next.range && next.range[0] === next.range[1]) {
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

function isNode(v: unknown): v is Node {
  return !!v && typeof v === 'object' && 'range' in v;
}

function deref(doc: Document, node: unknown): unknown {
  let n = node;
  for (let i = 0; i < 100 && isAlias(n); i++) n = n.resolve(doc);
  return n;
}

function keyString(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return undefined;
  return String(key);
}
