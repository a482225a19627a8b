import { type ApiContext, type Route, route } from './api.js';
import { badRequest, notFound } from './errors.js';
import { isEventType } from './event-types.js';
import { type Body, optionalString, requireBody } from './validate.js';
import { type CalcReadings, DEFAULT_CALC_READINGS } from './calc-readings.js';

export { type CalcReadings, DEFAULT_CALC_READINGS } from './calc-readings.js';

/**
 * m3ter's Calculation Engine as documented for notification rules: a Boolean expression over the event's fields
 * `new.<field>` and `old.<field>` (dotted for nested fields); numbers, double-quoted strings, `true`, `false`,
 * `null`, `Math.PI`, `DateTime.TS_FMT`; arithmetic `+ - * / % ^` (`^` is power), unary `+ -`, comparisons
 * `== != < <= > >=`, `AND`, `OR`, the ternary `? :`, parentheses; the functions `Math.max`, `Math.min` (two or
 * more arguments), `Math.floor`, `Math.ceil`, `Math.round` (a value and an optional scale; round is half up),
 * `Math.pow`, `Math.abs`, `isnull` (SQL's COALESCE of two) and `IN`. This is the emulator's own code: it shares
 * nothing with the client's offline check.
 *
 * Semantics chosen where m3ter documents none: a missing field is `null`; arithmetic with `null` gives `null`, as does
 * division by zero and a function given something other than numbers; `==`/`!=` compare values of the same type
 * (`null == null` holds, `1 == "1"` does not); an ordering comparison with `null` or across types is false; `AND`,
 * `OR`, `NOT` and `? :` take only `true` as true; `^` binds tighter than unary minus (`-2^2` is -4) and to the right;
 * half up rounds away from zero (Java's HALF_UP: -2.5 gives -3). The forms the docs leave open follow the
 * `calcReadings` option.
 */

export type CalcValue =
  number | string | boolean | null | readonly unknown[] | { readonly [k: string]: unknown };

type BinaryOp = '+' | '-' | '*' | '/' | '%' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=';
const COMPARISONS: readonly string[] = ['==', '!=', '<', '<=', '>', '>='];

export type CalcNode =
  | { readonly type: 'literal'; readonly value: CalcValue; readonly at: number }
  | {
      readonly type: 'field';
      readonly scope: 'new' | 'old';
      readonly path: readonly string[];
      readonly at: number;
    }
  | { readonly type: 'not' | 'negate' | 'plus'; readonly operand: CalcNode; readonly at: number }
  | { readonly type: 'and' | 'or'; readonly left: CalcNode; readonly right: CalcNode; readonly at: number }
  | {
      readonly type: 'binary';
      readonly op: BinaryOp;
      readonly left: CalcNode;
      readonly right: CalcNode;
      readonly at: number;
    }
  | {
      readonly type: 'ternary';
      readonly test: CalcNode;
      readonly then: CalcNode;
      readonly otherwise: CalcNode;
      readonly at: number;
    }
  | { readonly type: 'call'; readonly fn: string; readonly args: readonly CalcNode[]; readonly at: number };

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
 * How deep a calculation may nest: parentheses, NOT, unary signs, function calls, `? :` and each operator of a chain
 * count. Parsing and evaluating recurse, so a deeper one would overflow the stack; real rules nest a handful of levels.
 */
export const MAX_CALC_DEPTH = 100;

function tooDeep(at: number): CalcError {
  return new CalcError(`the calculation is nested too deeply (more than ${MAX_CALC_DEPTH} levels)`, at, true);
}

/** The documented functions: how many arguments each takes (`max` undefined: no upper bound). */
const FUNCTIONS: Readonly<Record<string, { min: number; max?: number }>> = {
  'Math.max': { min: 2 },
  'Math.min': { min: 2 },
  'Math.floor': { min: 1, max: 2 },
  'Math.ceil': { min: 1, max: 2 },
  'Math.round': { min: 1, max: 2 },
  'Math.pow': { min: 2, max: 2 },
  'Math.abs': { min: 1, max: 1 },
  isnull: { min: 2, max: 2 },
  IN: { min: 1 },
};

const CONSTANTS: Readonly<Record<string, CalcValue>> = {
  'Math.PI': Math.PI,
  'DateTime.TS_FMT': "yyyy-MM-dd'T'HH:mm:ss.SSSX",
};

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'word'; value: string; at: number }
  | { kind: 'op'; value: string; at: number }
  | { kind: 'end'; at: number };

const OPERATORS = [
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '&&',
  '||',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '(',
  ')',
  ',',
  '?',
  ':',
  '!',
];
const NUMBER = /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;

function tokenize(text: string, readings: CalcReadings): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    if (c === '"' || (c === "'" && readings.singleQuotes)) {
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
    WORD.lastIndex = i;
    const word = WORD.exec(text);
    if (word) {
      tokens.push({ kind: 'word', value: word[0], at: i });
      i += word[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op === '<>') throw new CalcError("'<>' is not an operator: write !=", i);
    if ((op === '&&' || op === '||' || op === '!') && !readings.symbolOperators)
      throw new CalcError(`'${op}' is not an operator: write AND, OR or NOT`, i);
    if (op) {
      tokens.push({ kind: 'op', value: op, at: i });
      i += op.length;
      continue;
    }
    if (c === '=') throw new CalcError("'=' is not a comparison: write ==", i);
    if (c === '&' || c === '|') throw new CalcError(`'${c}' is not an operator: write AND, OR or NOT`, i);
    throw new CalcError(`unexpected character '${c}'`, i);
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false', 'null']);

/**
 * A recursive-descent parser: `? :` < OR < AND < NOT < comparison < + - < * / % < unary + - < ^ < primary.
 */
class Parser {
  private i = 0;
  /** How many nested parentheses, NOTs, signs, calls and ternaries the parser is inside of. */
  private nesting = 0;
  /** The depth of each node built, so a long operator chain (a deep tree without nesting) is refused too. */
  private readonly depths = new WeakMap<CalcNode, number>();
  constructor(
    private readonly tokens: Token[],
    private readonly readings: CalcReadings,
  ) {}

  /** Records the node's depth; refuses it beyond MAX_CALC_DEPTH. */
  private built<N extends CalcNode>(node: N, ...children: CalcNode[]): N {
    let depth = 1;
    for (const c of children) depth = Math.max(depth, (this.depths.get(c) ?? 1) + 1);
    if (depth > MAX_CALC_DEPTH) throw tooDeep(node.at);
    this.depths.set(node, depth);
    return node;
  }

  private nested<T>(at: number, inner: () => T): T {
    if (++this.nesting > MAX_CALC_DEPTH) throw tooDeep(at);
    const result = inner();
    this.nesting--;
    return result;
  }

  parse(): CalcNode {
    const node = this.ternary();
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
    if (t.kind !== 'word') return undefined;
    const matches = this.readings.anyCaseKeywords
      ? t.value.toLowerCase() === name
      : t.value === name.toUpperCase();
    return matches ? this.next() : undefined;
  }

  private op(...names: string[]): (Token & { kind: 'op' }) | undefined {
    const t = this.peek();
    if (t.kind === 'op' && names.includes(t.value)) return this.next() as Token & { kind: 'op' };
    return undefined;
  }

  private ternary(): CalcNode {
    const test = this.or();
    const q = this.op('?');
    if (!q) return test;
    return this.nested(q.at, () => {
      const then = this.ternary();
      const colon = this.peek();
      if (!this.op(':')) throw new CalcError(`expected ':' but found ${describe(colon)}`, colon.at);
      const otherwise = this.ternary();
      return this.built({ type: 'ternary', test, then, otherwise, at: q.at }, test, then, otherwise);
    });
  }

  private or(): CalcNode {
    let left = this.and();
    for (let t = this.keyword('or') ?? this.op('||'); t; t = this.keyword('or') ?? this.op('||')) {
      const right = this.and();
      left = this.built({ type: 'or', left, right, at: t.at }, left, right);
    }
    return left;
  }

  private and(): CalcNode {
    let left = this.not();
    for (let t = this.keyword('and') ?? this.op('&&'); t; t = this.keyword('and') ?? this.op('&&')) {
      const right = this.not();
      left = this.built({ type: 'and', left, right, at: t.at }, left, right);
    }
    return left;
  }

  private not(): CalcNode {
    const t = this.keyword('not') ?? this.op('!');
    if (!t) return this.comparison();
    if (t.kind === 'word' && !this.readings.not)
      throw new CalcError('NOT is not an operator: write the opposite comparison', t.at);
    return this.nested(t.at, () => {
      const operand = this.not();
      return this.built({ type: 'not', operand, at: t.at }, operand);
    });
  }

  private comparison(): CalcNode {
    const left = this.additive();
    const t = this.op(...COMPARISONS);
    if (!t) return left;
    const right = this.additive();
    const node: CalcNode = this.built(
      { type: 'binary', op: t.value as BinaryOp, left, right, at: t.at },
      left,
      right,
    );
    const again = this.peek();
    if (again.kind === 'op' && COMPARISONS.includes(again.value))
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
    const t = this.op('-', '+');
    if (!t) return this.power();
    return this.nested(t.at, () => {
      const operand = this.unary();
      return this.built({ type: t.value === '-' ? 'negate' : 'plus', operand, at: t.at }, operand);
    });
  }

  private power(): CalcNode {
    const base = this.primary();
    const t = this.op('^');
    if (!t) return base;
    return this.nested(t.at, () => {
      const exponent = this.unary();
      return this.built({ type: 'binary', op: '^', left: base, right: exponent, at: t.at }, base, exponent);
    });
  }

  private primary(): CalcNode {
    const t = this.next();
    if (t.kind === 'number' || t.kind === 'string') return { type: 'literal', value: t.value, at: t.at };
    if (t.kind === 'op' && t.value === '(')
      return this.nested(t.at, () => {
        const inner = this.ternary();
        const close = this.peek();
        if (!this.op(')')) throw new CalcError(`expected ')' but found ${describe(close)}`, close.at);
        return inner;
      });
    if (t.kind === 'word') {
      const open = this.peek();
      if (open.kind === 'op' && open.value === '(') return this.call(t.value, t.at);
      const lower = t.value.toLowerCase();
      if (lower === 'true' || lower === 'false')
        return { type: 'literal', value: lower === 'true', at: t.at };
      if (lower === 'null') return { type: 'literal', value: null, at: t.at };
      if (KEYWORDS.has(lower)) throw new CalcError(`unexpected ${t.value.toUpperCase()}`, t.at);
      if (Object.prototype.hasOwnProperty.call(CONSTANTS, t.value))
        return { type: 'literal', value: CONSTANTS[t.value] as CalcValue, at: t.at };
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

  private call(fn: string, at: number): CalcNode {
    const spec = Object.prototype.hasOwnProperty.call(FUNCTIONS, fn) ? FUNCTIONS[fn] : undefined;
    if (!spec) throw new CalcError(`unknown function '${fn}'`, at);
    this.next();
    return this.nested(at, () => {
      const args: CalcNode[] = [];
      if (!this.op(')')) {
        for (;;) {
          args.push(this.ternary());
          if (this.op(',')) continue;
          const close = this.peek();
          if (this.op(')')) break;
          throw new CalcError(`expected ',' or ')' but found ${describe(close)}`, close.at);
        }
      }
      const min = fn === 'IN' && this.readings.inTests === 'first' ? 2 : spec.min;
      if (args.length < min || (spec.max !== undefined && args.length > spec.max)) {
        const wanted =
          spec.max === undefined ? `at least ${min}` : spec.max === min ? `${min}` : `${min} to ${spec.max}`;
        throw new CalcError(`${fn} takes ${wanted} arguments, not ${args.length}`, at);
      }
      return this.built({ type: 'call', fn, args, at }, ...args);
    });
  }
}

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end';
  if (t.kind === 'string') return `the string "${t.value}"`;
  return `'${String(t.value)}'`;
}

export function parseCalculation(text: string, readings: CalcReadings = DEFAULT_CALC_READINGS): CalcNode {
  if (text.trim() === '') throw new CalcError('the calculation is empty', 0);
  return new Parser(tokenize(text, readings), readings).parse();
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

function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

function arithmetic(op: BinaryOp, a: CalcValue, b: CalcValue): CalcValue {
  if (a === null || b === null) return null;
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  switch (op) {
    case '+':
      return finite(a + b);
    case '-':
      return finite(a - b);
    case '*':
      return finite(a * b);
    case '/':
      return b === 0 ? null : finite(a / b);
    case '^':
      return finite(a ** b);
    default:
      return b === 0 ? null : finite(a % b);
  }
}

function ordered(op: BinaryOp, a: CalcValue, b: CalcValue): boolean {
  const comparable =
    (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  if (!comparable) return false;
  const [x, y] = [a, b] as [number | string, number | string];
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

/**
 * `x` rounded by `mode` at `scale` decimals (a negative scale rounds to tens, hundreds...), computed on the decimal
 * text so that 1.005 at scale 2 is 1.01, as a decimal engine gives it. `half-up` rounds halves away from zero.
 */
function scaled(mode: 'floor' | 'ceil' | 'half-up', x: number, scale: number): number | null {
  if (!Number.isInteger(scale) || Math.abs(scale) > 100) return null;
  const shift = (v: number, by: number) => {
    const [mantissa, exponent = '0'] = String(v).split('e');
    return Number(`${mantissa}e${Number(exponent) + by}`);
  };
  const up = shift(x, scale);
  const rounded = mode === 'floor' ? Math.floor(up) : mode === 'ceil' ? Math.ceil(up) : halfUp(up);
  return finite(shift(rounded, -scale));
}

/** Half up, away from zero. Not floor(x + 0.5): that sum rounds up in binary (0.49999999999999994 gives 1). */
function halfUp(x: number): number {
  const whole = Math.floor(Math.abs(x));
  // x - floor(x) is exact in binary floating point.
  return Math.sign(x) * (Math.abs(x) - whole >= 0.5 ? whole + 1 : whole);
}

function call(fn: string, args: CalcValue[], readings: CalcReadings): CalcValue {
  if (fn === 'isnull') return args[0] !== null ? (args[0] as CalcValue) : (args[1] as CalcValue);
  if (fn === 'IN') {
    if (readings.inTests === 'any') return args.some((a) => a === true);
    const [subject, ...candidates] = args;
    return candidates.some((c) => equal(subject as CalcValue, c));
  }
  if (!args.every((a): a is number => typeof a === 'number')) return null;
  const [x, y] = args as [number, number | undefined];
  switch (fn) {
    case 'Math.max':
      return Math.max(...args);
    case 'Math.min':
      return Math.min(...args);
    case 'Math.abs':
      return Math.abs(x);
    case 'Math.pow':
      return finite(x ** (y as number));
    case 'Math.floor':
      return scaled('floor', x, y ?? 0);
    case 'Math.ceil':
      return scaled('ceil', x, y ?? 0);
    default:
      return scaled('half-up', x, y ?? 0);
  }
}

export function evaluateCalculation(
  node: CalcNode,
  event: EventFields,
  readings: CalcReadings = DEFAULT_CALC_READINGS,
): CalcValue {
  const ev = (n: CalcNode) => evaluateCalculation(n, event, readings);
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'field':
      return lookup(event[node.scope], node.path);
    case 'not':
      return ev(node.operand) !== true;
    case 'negate': {
      const v = ev(node.operand);
      return typeof v === 'number' ? -v : null;
    }
    case 'plus': {
      const v = ev(node.operand);
      return typeof v === 'number' ? v : null;
    }
    case 'and':
      return ev(node.left) === true && ev(node.right) === true;
    case 'or':
      return ev(node.left) === true || ev(node.right) === true;
    case 'ternary':
      return ev(node.test) === true ? ev(node.then) : ev(node.otherwise);
    case 'call':
      return call(node.fn, node.args.map(ev), readings);
    case 'binary': {
      const a = ev(node.left);
      const b = ev(node.right);
      if (node.op === '==') return equal(a, b);
      if (node.op === '!=') return !equal(a, b);
      if (node.op === '<' || node.op === '<=' || node.op === '>' || node.op === '>=')
        return ordered(node.op, a, b);
      return arithmetic(node.op, a, b);
    }
  }
}

/** Whether a calculation holds for an event: it must evaluate to `true`. */
export function calculationHolds(
  text: string,
  event: EventFields,
  readings: CalcReadings = DEFAULT_CALC_READINGS,
): boolean {
  return evaluateCalculation(parseCalculation(text, readings), event, readings) === true;
}

function* fieldsOf(node: CalcNode): Generator<CalcNode & { type: 'field' }> {
  switch (node.type) {
    case 'field':
      yield node;
      return;
    case 'not':
    case 'negate':
    case 'plus':
      yield* fieldsOf(node.operand);
      return;
    case 'and':
    case 'or':
    case 'binary':
      yield* fieldsOf(node.left);
      yield* fieldsOf(node.right);
      return;
    case 'ternary':
      yield* fieldsOf(node.test);
      yield* fieldsOf(node.then);
      yield* fieldsOf(node.otherwise);
      return;
    case 'call':
      for (const a of node.args) yield* fieldsOf(a);
      return;
    case 'literal':
      return;
  }
}

/** Whether a node is surely not Boolean: a number or string literal, arithmetic, a sign, a Math function. */
function surelyNotBoolean(node: CalcNode): boolean {
  if (node.type === 'literal') return typeof node.value === 'number' || typeof node.value === 'string';
  if (node.type === 'negate' || node.type === 'plus') return true;
  if (node.type === 'binary') return !COMPARISONS.includes(node.op);
  if (node.type === 'call') return node.fn.startsWith('Math.');
  return false;
}

/**
 * Checks a calculation against an event type, as `notifications/evaluate` with an `eventName` does: it parses, it
 * is Boolean at the top, and it names only the side the event has (`*.created` has `new`, `*.deleted` has `old`,
 * per the `events/fields` documentation).
 */
export function checkCalculation(
  text: string,
  eventName: string,
  readings: CalcReadings = DEFAULT_CALC_READINGS,
): void {
  const node = parseCalculation(text, readings);
  if (surelyNotBoolean(node))
    throw new CalcError(
      'the calculation must be a Boolean expression (a comparison, AND, OR, NOT, IN or a ternary)',
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
            if (!isEventType(ctx, eventName))
              return answer(false, `unknown event type '${eventName}' (see GET /events/types)`);
            checkCalculation(calculation, eventName, ctx.options.calcReadings);
            return answer(true);
          }
          const event = events(eventId as string);
          if (!event) throw notFound(`No event ${eventId}`);
          checkCalculation(calculation, event.eventName, ctx.options.calcReadings);
          const holds = calculationHolds(calculation, event, ctx.options.calcReadings);
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
