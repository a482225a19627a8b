import { CALC_CONSTANTS, CALC_FUNCTIONS } from './readings.js';

/**
 * A parser of m3ter's Calculation Engine language as documented for notification rules: arithmetic `+ - * / % ^`
 * (`^` is power, right-associative, binding tighter than unary minus), unary `+ -`, comparisons
 * `== != < > <= >=` (not chained), `AND`, `OR`, the ternary `? :`, parentheses, numbers, double-quoted strings,
 * `null`, `true`, `false`, `Math.PI`, `DateTime.TS_FMT`, the functions of CALC_FUNCTIONS, and event fields
 * `new.<field>` / `old.<field>`. The forms the docs leave open (readings.ts) parse with a warning.
 */

export type CalcNode =
  | { type: 'number'; at: number }
  | { type: 'string'; at: number }
  | { type: 'boolean' | 'null'; at: number }
  | { type: 'constant'; name: string; at: number }
  | { type: 'field'; scope: 'new' | 'old'; path: string[]; at: number }
  | { type: 'call'; name: string; args: CalcNode[]; at: number }
  | { type: 'unary'; op: '+' | '-' | 'not'; operand: CalcNode; at: number }
  | { type: 'binary'; op: string; left: CalcNode; right: CalcNode; at: number }
  | { type: 'ternary'; test: CalcNode; then: CalcNode; else: CalcNode; at: number };

/** A problem inside a calculation; `at` and `end` are 0-based character offsets in its text. */
export interface CalcDiagnostic {
  severity: 'error' | 'warning';
  /** `invalid_calculation` (m3ter would refuse it) or `calculation_reading` (a form the docs leave open). */
  code: 'invalid_calculation' | 'calculation_reading';
  at: number;
  message: string;
  hint?: string;
}

/** Deeper nesting is refused: parsing recurses, and real rules nest a handful of levels. */
export const MAX_CALC_DEPTH = 100;

class Stop {
  constructor(readonly diagnostic: CalcDiagnostic) {}
}

type Token =
  | { kind: 'number' | 'string' | 'word' | 'op'; text: string; at: number }
  | { kind: 'end'; text: ''; at: number }
  /** Text that is no token: the parser refuses it when it gets there, so the warnings before it still show. */
  | { kind: 'bad'; text: string; at: number; message: string; hint?: string };

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
const COMPARISONS = ['==', '!=', '<', '<=', '>', '>='];

function fail(at: number, message: string, hint?: string): never {
  throw new Stop({ severity: 'error', code: 'invalid_calculation', at, message, ...(hint ? { hint } : {}) });
}

const NUMBER = /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;

function tokenize(text: string, warn: (at: number, message: string, hint: string) => void): Token[] {
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
      tokens.push({ kind: 'number', text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) fail(i, 'this string is not closed', `end it with ${c}`);
      if (c === "'")
        warn(
          i,
          'single-quoted strings are not documented (the docs use double quotes); read as a string',
          'write "..." instead',
        );
      tokens.push({ kind: 'string', text: text.slice(i, j + 1), at: i });
      i = j + 1;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(text);
    if (word) {
      tokens.push({ kind: 'word', text: word[0], at: i });
      i += word[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    const bad = (message: string, hint?: string) => {
      tokens.push({ kind: 'bad', text: c, at: i, message, ...(hint ? { hint } : {}) });
      i = text.length;
    };
    if (op === '<>') bad("'<>' is not an operator", 'write !=');
    else if (op) {
      tokens.push({ kind: 'op', text: op, at: i });
      i += op.length;
    } else if (c === '=') bad("'=' is not a comparison", 'write == to compare');
    else if (c === '&' || c === '|') bad(`'${c}' is not an operator`, 'join conditions with AND or OR');
    else bad(`unexpected character ${JSON.stringify(c)}`);
  }
  tokens.push({ kind: 'end', text: '', at: text.length });
  return tokens;
}

/** A chain of one operator is refused past MAX_CALC_DEPTH: it nests nothing, so the message says what it is. */
function tooLong(t: Token): never {
  fail(
    t.at,
    `more than ${MAX_CALC_DEPTH} '${t.text}' operators in a row`,
    'split the condition, or group its parts in parentheses',
  );
}

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end of the calculation';
  return t.kind === 'string' ? `the string ${t.text}` : `'${t.text}'`;
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly warn: (at: number, message: string, hint: string) => void,
  ) {}

  parse(): CalcNode {
    const node = this.expression();
    const t = this.peek();
    if (t.kind !== 'end') {
      if (t.text === ')') fail(t.at, "this ')' closes no '('", "remove it, or add the '(' it closes");
      fail(t.at, `unexpected ${describe(t)}`, 'join conditions with AND or OR');
    }
    return node;
  }

  private peek(): Token {
    const t = this.tokens[this.i] as Token;
    if (t.kind === 'bad') fail(t.at, t.message, t.hint);
    return t;
  }

  private next(): Token {
    const t = this.peek();
    this.i++;
    return t;
  }

  private op(...names: string[]): Token | undefined {
    const t = this.peek();
    return t.kind === 'op' && names.includes(t.text) ? this.next() : undefined;
  }

  /** A keyword (AND, OR, NOT), in any case; lower or mixed case is a reading, so it warns. */
  private keyword(name: 'AND' | 'OR' | 'NOT'): Token | undefined {
    const t = this.peek();
    if (t.kind !== 'word' || t.text.toUpperCase() !== name) return undefined;
    if (t.text !== name)
      this.warn(
        t.at,
        `'${t.text}' in lower or mixed case is not documented; read as ${name}`,
        `write ${name} in upper case`,
      );
    return this.next();
  }

  private nest<T>(at: number, inner: () => T): T {
    if (++this.depth > MAX_CALC_DEPTH)
      fail(at, `the calculation is nested too deeply (more than ${MAX_CALC_DEPTH} levels)`);
    try {
      return inner();
    } finally {
      this.depth--;
    }
  }

  private expression(): CalcNode {
    const test = this.or();
    const q = this.op('?');
    if (!q) return test;
    return this.nest(q.at, () => {
      const then = this.expression();
      const colon = this.peek();
      if (!this.op(':'))
        fail(colon.at, `expected ':' of the '?' at character ${q.at + 1} but found ${describe(colon)}`);
      const otherwise = this.expression();
      return { type: 'ternary', test, then, else: otherwise, at: q.at } as const;
    });
  }

  private chain(next: () => CalcNode, word: 'AND' | 'OR', symbol: '&&' | '||'): CalcNode {
    let left = next();
    let count = 0;
    for (;;) {
      const t = this.keyword(word) ?? this.op(symbol);
      if (!t) return left;
      if (t.text === symbol)
        this.warn(t.at, `'${symbol}' is not documented; read as ${word}`, `write ${word}`);
      if (++count > MAX_CALC_DEPTH) tooLong(t);
      const right = next();
      left = { type: 'binary', op: word, left, right, at: t.at };
    }
  }

  private or(): CalcNode {
    return this.chain(() => this.and(), 'OR', '||');
  }

  private and(): CalcNode {
    return this.chain(() => this.not(), 'AND', '&&');
  }

  private not(): CalcNode {
    const t = this.keyword('NOT') ?? this.op('!');
    if (!t) return this.comparison();
    this.warn(
      t.at,
      t.text === '!'
        ? "'!' is not documented; read as NOT, negating the comparison after it"
        : 'NOT is not among the documented operators; read as logical negation',
      'write the opposite comparison instead (!= for ==, < for >=, ...)',
    );
    return this.nest(t.at, () => ({ type: 'unary', op: 'not', operand: this.not(), at: t.at }) as const);
  }

  private comparison(): CalcNode {
    const left = this.additive();
    const t = this.op(...COMPARISONS);
    if (!t) return left;
    const right = this.additive();
    const again = this.peek();
    if (again.kind === 'op' && COMPARISONS.includes(again.text))
      fail(again.at, 'comparisons do not chain', 'join the two comparisons with AND');
    return { type: 'binary', op: t.text, left, right, at: t.at };
  }

  private arithmetic(next: () => CalcNode, ops: string[]): CalcNode {
    let left = next();
    let count = 0;
    for (let t = this.op(...ops); t; t = this.op(...ops)) {
      if (++count > MAX_CALC_DEPTH) tooLong(t);
      left = { type: 'binary', op: t.text, left, right: next(), at: t.at };
    }
    return left;
  }

  private additive(): CalcNode {
    return this.arithmetic(() => this.multiplicative(), ['+', '-']);
  }

  private multiplicative(): CalcNode {
    return this.arithmetic(() => this.unary(), ['*', '/', '%']);
  }

  private unary(): CalcNode {
    const t = this.op('+', '-');
    if (!t) return this.power();
    const op = t.text as '+' | '-';
    return this.nest(t.at, () => ({ type: 'unary', op, operand: this.unary(), at: t.at }) as const);
  }

  private power(): CalcNode {
    const base = this.primary();
    const t = this.op('^');
    if (!t) return base;
    // Right-associative, and the exponent may carry a sign: 2^-1, 2^3^2 = 2^9.
    return this.nest(t.at, () => ({ type: 'binary', op: '^', left: base, right: this.unary(), at: t.at }));
  }

  private primary(): CalcNode {
    const t = this.next();
    if (t.kind === 'number') return { type: 'number', at: t.at };
    if (t.kind === 'string') return { type: 'string', at: t.at };
    if (t.kind === 'op' && t.text === '(')
      return this.nest(t.at, () => {
        const inner = this.expression();
        const close = this.peek();
        if (!this.op(')'))
          fail(
            close.at,
            `expected ')' to close the '(' at character ${t.at + 1}, but found ${describe(close)}`,
          );
        return inner;
      });
    if (t.kind === 'word') return this.word(t);
    if (t.kind === 'end') fail(t.at, 'the calculation ends where a value is expected');
    fail(t.at, `expected a value but found ${describe(t)}`);
  }

  private word(t: Token): CalcNode {
    const name = t.text;
    const open = this.peek();
    if (open.kind === 'op' && open.text === '(') return this.call(t);
    const lower = name.toLowerCase();
    if (lower === 'true' || lower === 'false') return { type: 'boolean', at: t.at };
    if (lower === 'null') return { type: 'null', at: t.at };
    if (['and', 'or', 'not'].includes(lower)) fail(t.at, `expected a value but found ${name.toUpperCase()}`);
    if (CALC_CONSTANTS.includes(name)) return { type: 'constant', name, at: t.at };
    const constant = CALC_CONSTANTS.find((c) => c.toLowerCase() === lower);
    if (constant) fail(t.at, `unknown name '${name}'`, `write ${constant}`);
    const [scope, ...path] = name.split('.');
    if (scope === 'new' || scope === 'old') {
      if (path.length > 0) return { type: 'field', scope, path, at: t.at };
      fail(t.at, `'${name}' names no field`, `write ${name}.<field>, e.g. ${name}.amount`);
    }
    if (scope?.toLowerCase() === 'new' || scope?.toLowerCase() === 'old')
      fail(
        t.at,
        `unknown name '${name}'`,
        `event fields are written in lower case: ${scope.toLowerCase()}.${path.join('.')}`,
      );
    fail(
      t.at,
      `unknown name '${name}'`,
      'event fields are new.<field> and old.<field>; strings are written in double quotes',
    );
  }

  private call(t: Token): CalcNode {
    const open = this.next();
    let name = t.text;
    // Own names only: `toString`, `constructor`, `__proto__` are on every object, and are no function of m3ter's.
    if (!Object.hasOwn(CALC_FUNCTIONS, name)) {
      const known = Object.keys(CALC_FUNCTIONS).find((f) => f.toLowerCase() === name.toLowerCase());
      if (!known)
        fail(
          t.at,
          `unknown function '${name}'`,
          `the documented functions are ${Object.keys(CALC_FUNCTIONS).join(', ')}`,
        );
      this.warn(
        t.at,
        `'${name}' is written in another case than the documented ${known}; read as ${known}`,
        `write ${known}`,
      );
      name = known;
    }
    return this.nest(open.at, () => {
      const args: CalcNode[] = [];
      if (!this.op(')')) {
        for (;;) {
          args.push(this.expression());
          if (this.op(',')) continue;
          const close = this.peek();
          if (this.op(')')) break;
          fail(close.at, `expected ',' or ')' in the arguments of ${name}, but found ${describe(close)}`);
        }
      }
      const spec = CALC_FUNCTIONS[name] as { min: number; max?: number; doc: string };
      if (args.length < spec.min || (spec.max !== undefined && args.length > spec.max))
        fail(t.at, `${name} takes ${spec.doc}, not ${args.length}`, `give ${name} ${spec.doc}`);
      if (name === 'IN')
        this.warn(
          t.at,
          "which argument IN() tests is not documented; read as SQL's x IN (a, b, ...): the first argument is tested against the others",
          'write the comparisons out with OR (new.x == "a" OR new.x == "b") to be sure',
        );
      return { type: 'call', name, args, at: t.at } as const;
    });
  }
}

/** What an expression evaluates to, as far as can be told without an event. */
function typeOf(node: CalcNode): 'boolean' | 'number' | 'string' | 'unknown' {
  switch (node.type) {
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'constant':
      return node.name === 'Math.PI' ? 'number' : 'string';
    case 'call':
      return node.name === 'IN' ? 'boolean' : node.name === 'isnull' ? 'unknown' : 'number';
    case 'unary':
      return node.op === 'not' ? 'boolean' : 'number';
    case 'binary':
      return ['AND', 'OR', ...COMPARISONS].includes(node.op) ? 'boolean' : 'number';
    default:
      return 'unknown';
  }
}

/**
 * The fields a calculation reads, in the order they are written. Walked with a stack, not recursion: the parser
 * bounds nesting and each operator chain, but chains inside chains still make a tree thousands of levels deep.
 */
function* fieldsOf(root: CalcNode): Generator<CalcNode & { type: 'field' }> {
  const stack: CalcNode[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    switch (node.type) {
      case 'field':
        yield node;
        break;
      case 'call':
        for (let i = node.args.length - 1; i >= 0; i--) stack.push(node.args[i] as CalcNode);
        break;
      case 'unary':
        stack.push(node.operand);
        break;
      case 'binary':
        stack.push(node.right, node.left);
        break;
      case 'ternary':
        stack.push(node.else, node.then, node.test);
        break;
      default:
        break;
    }
  }
}

/**
 * Checks a notification rule's calculation for its event type, offline: syntax, the arity of the documented
 * functions, a Boolean result, and that it reads only the side the event has (`*.created` events have `new.*`
 * fields only, `*.deleted` events `old.*` only). At most one error (the first); warnings for every form read by a
 * choice of readings.ts.
 */
export function checkCalculation(text: string, eventName: string | undefined): CalcDiagnostic[] {
  const warnings: CalcDiagnostic[] = [];
  const warn = (at: number, message: string, hint: string) =>
    warnings.push({ severity: 'warning', code: 'calculation_reading', at, message, hint });
  try {
    if (text.trim() === '')
      fail(0, 'the calculation is empty', 'write a condition, or leave calculation out');
    const node = new Parser(tokenize(text, warn), warn).parse();
    const type = typeOf(node);
    if (type === 'number' || type === 'string')
      fail(
        node.at,
        `the calculation must be true or false, but this is a ${type}`,
        'compare it, e.g. new.amount >= 1000',
      );
    const missing = eventName?.endsWith('.created')
      ? 'old'
      : eventName?.endsWith('.deleted')
        ? 'new'
        : undefined;
    for (const f of fieldsOf(node))
      if (f.scope === missing)
        fail(
          f.at,
          `${eventName} events have no ${missing}.* fields (${missing}.${f.path.join('.')})`,
          missing === 'old'
            ? 'a created event has only new.<field>'
            : 'a deleted event has only old.<field>, its values at the point of deletion',
        );
    return warnings;
  } catch (e) {
    if (e instanceof Stop) return [...warnings.filter((w) => w.at < e.diagnostic.at), e.diagnostic];
    throw e;
  }
}

/**
 * The event fields a calculation reads (`new.amount`, with the offset of its first character), each once, in order;
 * none when it does not parse (the check above reports that).
 */
export function calculationFields(text: string): { name: string; at: number }[] {
  let node: CalcNode;
  try {
    node = new Parser(
      tokenize(text, () => undefined),
      () => undefined,
    ).parse();
  } catch {
    return [];
  }
  const seen = new Set<string>();
  const out: { name: string; at: number }[] = [];
  for (const f of fieldsOf(node)) {
    const name = `${f.scope}.${f.path.join('.')}`;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ name, at: f.at });
  }
  return out;
}
