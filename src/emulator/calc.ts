import { type ApiContext, type Route, route } from './api.js';
import { badRequest, notFound } from './errors.js';
import { type Body, optionalString, requireBody } from './validate.js';

/**
 * m3ter's notification calculation language, as documented: a Boolean expression over the
 * event's fields `new.<field>` and `old.<field>` (dotted for nested fields), numbers, strings, `true`, `false`,
 * `null`, arithmetic `+ - * / %`, comparisons `== != < <= > >=`, `AND`, `OR`, `NOT` (any case) and parentheses.
 *
 * Semantics chosen where m3ter documents none: a missing field is `null`; arithmetic with `null` gives `null`, as does
 * division by zero; `==`/`!=` compare values of the same type (`null == null` holds, `1 == "1"` does not); an
 * ordering comparison with `null` or across types is false; `AND`/`OR`/`NOT` take only `true` as true.
 */

export type CalcValue =
  number | string | boolean | null | readonly unknown[] | { readonly [k: string]: unknown };

type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=';

export type CalcNode =
  | { readonly type: 'literal'; readonly value: CalcValue; readonly at: number }
  | {
      readonly type: 'field';
      readonly scope: 'new' | 'old';
      readonly path: readonly string[];
      readonly at: number;
    }
  | { readonly type: 'not' | 'negate'; readonly operand: CalcNode; readonly at: number }
  | { readonly type: 'and' | 'or'; readonly left: CalcNode; readonly right: CalcNode; readonly at: number }
  | {
      readonly type: 'binary';
      readonly op: BinaryOp;
      readonly left: CalcNode;
      readonly right: CalcNode;
      readonly at: number;
    };

/** A calculation that does not parse, or does not fit its event type; `at` is the 0-based character offset. */
export class CalcError extends Error {
  constructor(
    message: string,
    readonly at: number,
    /** Nested beyond MAX_CALC_DEPTH: refused wherever it is stored, as nothing could ever evaluate it. */
    readonly tooDeep = false,
  ) {
    super(`${message} (at character ${at + 1})`);
  }
}

/**
 * How deep a calculation may nest: parentheses, NOT, unary minus and each operator of a chain count. Parsing and
 * evaluating recurse, so a deeper one would overflow the stack; real rules nest a handful of levels.
 */
export const MAX_CALC_DEPTH = 100;

function tooDeep(at: number): CalcError {
  return new CalcError(`the calculation is nested too deeply (more than ${MAX_CALC_DEPTH} levels)`, at, true);
}

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'word'; value: string; at: number }
  | { kind: 'op'; value: string; at: number }
  | { kind: 'end'; at: number };

const OPERATORS = ['==', '!=', '<>', '<=', '>=', '<', '>', '+', '-', '*', '/', '%', '(', ')'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const number = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j];
        j++;
      }
      if (j >= text.length) throw new CalcError('unterminated string', i);
      tokens.push({ kind: 'string', value, at: i });
      i = j + 1;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(text.slice(i));
    if (word) {
      tokens.push({ kind: 'word', value: word[0], at: i });
      i += word[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op === '<>') throw new CalcError("'<>' is not an operator: write !=", i);
    if (op) {
      tokens.push({ kind: 'op', value: op, at: i });
      i += op.length;
      continue;
    }
    if (c === '=') throw new CalcError("'=' is not a comparison: write ==", i);
    if (c === '&' || c === '|' || c === '!')
      throw new CalcError(`'${c}' is not an operator: write AND, OR or NOT`, i);
    throw new CalcError(`unexpected character '${c}'`, i);
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false', 'null']);

/** A recursive-descent parser: OR < AND < NOT < comparison < + - < * / % < unary minus < primary. */
class Parser {
  private i = 0;
  /** How many nested parentheses, NOTs and minuses the parser is inside of. */
  private nesting = 0;
  /** The depth of each node built, so a long operator chain (a deep tree without nesting) is refused too. */
  private readonly depths = new WeakMap<CalcNode, number>();
  constructor(private readonly tokens: Token[]) {}

  /** Records the node's depth; refuses it beyond MAX_CALC_DEPTH. */
  private built<N extends CalcNode>(node: N, ...children: CalcNode[]): N {
    let depth = 1;
    for (const c of children) depth = Math.max(depth, (this.depths.get(c) ?? 1) + 1);
    if (depth > MAX_CALC_DEPTH) throw tooDeep(node.at);
    this.depths.set(node, depth);
    return node;
  }

  private enter(at: number): void {
    if (++this.nesting > MAX_CALC_DEPTH) throw tooDeep(at);
  }

  parse(): CalcNode {
    const node = this.or();
    const t = this.peek();
    if (t.kind !== 'end') throw new CalcError(`unexpected ${describe(t)}`, t.at);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }

  private next(): Token {
    return this.tokens[this.i++] as Token;
  }

  private keyword(name: string): Token | undefined {
    const t = this.peek();
    if (t.kind === 'word' && t.value.toLowerCase() === name) return this.next();
    return undefined;
  }

  private op(...names: string[]): (Token & { kind: 'op' }) | undefined {
    const t = this.peek();
    if (t.kind === 'op' && names.includes(t.value)) return this.next() as Token & { kind: 'op' };
    return undefined;
  }

  private or(): CalcNode {
    let left = this.and();
    for (let t = this.keyword('or'); t; t = this.keyword('or')) {
      const right = this.and();
      left = this.built({ type: 'or', left, right, at: t.at }, left, right);
    }
    return left;
  }

  private and(): CalcNode {
    let left = this.not();
    for (let t = this.keyword('and'); t; t = this.keyword('and')) {
      const right = this.not();
      left = this.built({ type: 'and', left, right, at: t.at }, left, right);
    }
    return left;
  }

  private not(): CalcNode {
    const t = this.keyword('not');
    if (!t) return this.comparison();
    this.enter(t.at);
    const operand = this.not();
    this.nesting--;
    return this.built({ type: 'not', operand, at: t.at }, operand);
  }

  private comparison(): CalcNode {
    const left = this.additive();
    const t = this.op('==', '!=', '<', '<=', '>', '>=');
    if (!t) return left;
    const right = this.additive();
    const node: CalcNode = this.built(
      { type: 'binary', op: t.value as BinaryOp, left, right, at: t.at },
      left,
      right,
    );
    const again = this.peek();
    if (again.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(again.value))
      throw new CalcError('comparisons do not chain: join them with AND', again.at);
    return node;
  }

  private additive(): CalcNode {
    let left = this.multiplicative();
    for (let t = this.op('+', '-'); t; t = this.op('+', '-')) {
      const right = this.multiplicative();
      left = this.built({ type: 'binary', op: t.value as BinaryOp, left, right, at: t.at }, left, right);
    }
    return left;
  }

  private multiplicative(): CalcNode {
    let left = this.unary();
    for (let t = this.op('*', '/', '%'); t; t = this.op('*', '/', '%')) {
      const right = this.unary();
      left = this.built({ type: 'binary', op: t.value as BinaryOp, left, right, at: t.at }, left, right);
    }
    return left;
  }

  private unary(): CalcNode {
    const t = this.op('-');
    if (!t) return this.primary();
    this.enter(t.at);
    const operand = this.unary();
    this.nesting--;
    return this.built({ type: 'negate', operand, at: t.at }, operand);
  }

  private primary(): CalcNode {
    const t = this.next();
    if (t.kind === 'number' || t.kind === 'string') return { type: 'literal', value: t.value, at: t.at };
    if (t.kind === 'op' && t.value === '(') {
      this.enter(t.at);
      const inner = this.or();
      this.nesting--;
      const close = this.peek();
      if (!this.op(')')) throw new CalcError(`expected ')' but found ${describe(close)}`, close.at);
      return inner;
    }
    if (t.kind === 'word') {
      const lower = t.value.toLowerCase();
      if (lower === 'true' || lower === 'false')
        return { type: 'literal', value: lower === 'true', at: t.at };
      if (lower === 'null') return { type: 'literal', value: null, at: t.at };
      if (KEYWORDS.has(lower)) throw new CalcError(`unexpected ${t.value.toUpperCase()}`, t.at);
      const [scope, ...path] = t.value.split('.');
      if ((scope === 'new' || scope === 'old') && path.length > 0)
        return { type: 'field', scope, path, at: t.at };
      throw new CalcError(
        `unknown name '${t.value}': event fields are written new.<field> or old.<field>`,
        t.at,
      );
    }
    throw new CalcError(`expected a value but found ${describe(t)}`, t.at);
  }
}

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end';
  if (t.kind === 'string') return `the string "${t.value}"`;
  return `'${String(t.value)}'`;
}

export function parseCalculation(text: string): CalcNode {
  if (text.trim() === '') throw new CalcError('the calculation is empty', 0);
  return new Parser(tokenize(text)).parse();
}

/** An event's fields, as `new.<field>` / `old.<field>` address them. */
export interface EventFields {
  readonly new?: Readonly<Record<string, unknown>> | undefined;
  readonly old?: Readonly<Record<string, unknown>> | undefined;
}

function lookup(root: unknown, path: readonly string[]): CalcValue {
  let v: unknown = root;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    v = Object.prototype.hasOwnProperty.call(v, key) ? (v as Record<string, unknown>)[key] : undefined;
  }
  return v === undefined ? null : (v as CalcValue);
}

function equal(a: CalcValue, b: CalcValue): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a !== typeof b) return false;
  if (typeof a === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function arithmetic(op: BinaryOp, a: CalcValue, b: CalcValue): CalcValue {
  if (a === null || b === null) return null;
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? null : a / b;
    default:
      return b === 0 ? null : a % b;
  }
}

function ordered(op: BinaryOp, a: CalcValue, b: CalcValue): boolean {
  const comparable =
    (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  if (!comparable) return false;
  const [x, y] = [a, b] as [number | string, number | string];
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

export function evaluateCalculation(node: CalcNode, event: EventFields): CalcValue {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'field':
      return lookup(event[node.scope], node.path);
    case 'not':
      return evaluateCalculation(node.operand, event) !== true;
    case 'negate': {
      const v = evaluateCalculation(node.operand, event);
      return typeof v === 'number' ? -v : null;
    }
    case 'and':
      return (
        evaluateCalculation(node.left, event) === true && evaluateCalculation(node.right, event) === true
      );
    case 'or':
      return (
        evaluateCalculation(node.left, event) === true || evaluateCalculation(node.right, event) === true
      );
    case 'binary': {
      const a = evaluateCalculation(node.left, event);
      const b = evaluateCalculation(node.right, event);
      if (node.op === '==') return equal(a, b);
      if (node.op === '!=') return !equal(a, b);
      if (node.op === '<' || node.op === '<=' || node.op === '>' || node.op === '>=')
        return ordered(node.op, a, b);
      return arithmetic(node.op, a, b);
    }
  }
}

/** Whether a calculation holds for an event: it must evaluate to `true`. */
export function calculationHolds(text: string, event: EventFields): boolean {
  return evaluateCalculation(parseCalculation(text), event) === true;
}

function* fieldsOf(node: CalcNode): Generator<CalcNode & { type: 'field' }> {
  if (node.type === 'field') yield node;
  else if ('operand' in node) yield* fieldsOf(node.operand);
  else if ('left' in node) {
    yield* fieldsOf(node.left);
    yield* fieldsOf(node.right);
  }
}

/**
 * Checks a calculation against an event type, as `notifications/evaluate` with an `eventName` does: it parses, it
 * is Boolean at the top, and it names only the side the event has (`*.created` has `new`, `*.deleted` has `old`,
 * per the `events/fields` documentation).
 */
export function checkCalculation(text: string, eventName: string): void {
  const node = parseCalculation(text);
  if (
    node.type === 'negate' ||
    (node.type === 'binary' && !['==', '!=', '<', '<=', '>', '>='].includes(node.op))
  )
    throw new CalcError(
      'the calculation must be a Boolean expression (a comparison, AND, OR or NOT)',
      node.at,
    );
  if (node.type === 'literal' && typeof node.value !== 'boolean')
    throw new CalcError(
      'the calculation must be a Boolean expression (a comparison, AND, OR or NOT)',
      node.at,
    );
  const missing = eventName.endsWith('.created') ? 'old' : eventName.endsWith('.deleted') ? 'new' : undefined;
  for (const f of fieldsOf(node)) {
    if (f.scope === missing)
      throw new CalcError(
        `${eventName} events have no ${missing}.* fields (${missing}.${f.path.join('.')})`,
        f.at,
      );
  }
}

/** Looks up an event recorded by the emulator (POST /_emulator/events), for `evaluate` with an `eventId`. */
export type EventLookup = (id: string) => (EventFields & { eventName: string }) | undefined;

/** POST /organizations/{orgId}/notifications/evaluate (SPEC EvaluateCalculation). */
export function evaluateRoutes(ctx: ApiContext, events: EventLookup): Route[] {
  return [
    route(
      'POST',
      '/organizations/{orgId}/notifications/evaluate',
      (req) => {
        const body: Body = requireBody(req.body);
        const calculation = optionalString(body, 'calculation');
        const eventName = optionalString(body, 'eventName');
        const eventId = optionalString(body, 'eventId');
        const answer = (success: boolean, errorMessage?: string) => ({
          body: errorMessage === undefined ? { success } : { success, errorMessage },
        });
        if (calculation === undefined) return answer(false, 'calculation is required');
        if (eventName === undefined && eventId === undefined)
          throw badRequest('eventName or eventId is required');
        try {
          // The SPEC: with both, eventName takes precedence.
          if (eventName !== undefined) {
            if (!ctx.options.eventTypes.includes(eventName))
              return answer(false, `unknown event type '${eventName}' (see GET /events/types)`);
            checkCalculation(calculation, eventName);
            return answer(true);
          }
          const event = events(eventId as string);
          if (!event) throw notFound(`No event ${eventId}`);
          checkCalculation(calculation, event.eventName);
          const holds = calculationHolds(calculation, event);
          return holds ? answer(true) : answer(false, 'the calculation is false for this event');
        } catch (e) {
          if (e instanceof CalcError) return answer(false, e.message);
          throw e;
        }
      },
      true,
    ),
  ];
}
