import { CONFIG_SECTION, specOf } from '../kinds/index.js';
import { KINDS, type Kind } from '../model/kinds.js';
import type { Issue } from '../model/errors.js';
import { redactUrl } from '../model/redact.js';
import { configValidator, type SchemaError } from './validators.js';
import { childPointer, describePointer, fieldOf, parsePointer, valueAt } from './pointer.js';
import { quoteList, upperSnake } from './text.js';
import { closest } from '../model/suggest.js';
import { pushAll } from '../model/array.js';
import { isPlainObject } from '../model/object.js';

/**
 * An issue found by the schema, before it is placed in a file: the loader turns `pointer` and `at` into a line and
 * column. `at: 'key'` places it on the key (unknown keys), `'value'` on the value.
 */
export type SchemaIssue = Omit<Issue, 'file' | 'line' | 'col'> & { at: 'key' | 'value' };

/** Shapes a secret reference may take; shown in every secret hint. */
export const SECRET_REF_SYNTAX = '{ env: NAME }';

/**
 * Validates one file's data against schemas/m3ter-config.schema.json and maps ajv's errors to issues with stable
 * codes. Messages never contain the value of a secret field.
 */
export function validateConfigData(data: unknown): SchemaIssue[] {
  const validate = configValidator();
  if (validate(data)) return [];
  const errors = (validate.errors ?? []) as SchemaError[];

  // A failed secret reference yields one error per anyOf branch plus the anyOf itself; we explain it once, from
  // the value, so the message fits the mistake (literal value, shell syntax, bad name, ...).
  const secretPaths = [
    ...new Set(errors.filter((e) => e.parentSchema?.['x-secret'] === true).map((e) => e.instancePath)),
  ];
  const issues: SchemaIssue[] = [];
  for (const p of secretPaths) pushAll(issues, secretIssues(data, p));
  const insideSecret = (p: string) => secretPaths.some((s) => p === s || p.startsWith(`${s}/`));

  for (const e of errors) {
    if (insideSecret(e.instancePath)) continue;
    // A bad key is reported at the key, from the failing name (ajv also reports the whole mapping, values and all).
    if (e.keyword === 'propertyNames') continue;
    const issue = e.propertyName === undefined ? mapError(data, e) : nameError(e, e.propertyName);
    if (issue) issues.push(issue);
  }
  // One issue per (pointer, code): ajv can report the same fact twice (e.g. minLength and pattern).
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.pointer}\u0000${i.code}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function str(p: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = p?.[key];
  return typeof v === 'string' ? v : undefined;
}

function typeName(v: unknown): string {
  if (v === null) return 'empty (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  return typeof v;
}

function expectedName(t: unknown): string {
  const one = (x: unknown) =>
    x === 'object'
      ? 'a mapping'
      : x === 'array'
        ? 'a list'
        : x === 'string'
          ? 'a string'
          : x === 'boolean'
            ? 'true or false'
            : x === 'integer'
              ? 'a whole number'
              : x === 'null'
                ? 'null'
                : `a ${String(x)}`;
  return Array.isArray(t) ? t.map(one).join(' or ') : one(t);
}

const EMPTY_HINT =
  'write a value with at least one visible character (m3ter rejects empty strings), or remove the key if it is optional';

export { redactUrl };

/** Shown for values of plain (non-secret) fields only. */
function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function mapError(data: unknown, e: SchemaError): SchemaIssue | undefined {
  const pointer = e.instancePath;
  const value = valueAt(data, pointer);
  const ps = e.parentSchema;
  const field = fieldOf(pointer);
  const where = describePointer(pointer);
  const xHint = str(ps, 'x-hint');
  const withHint = (i: Omit<SchemaIssue, 'severity'>, hint?: string): SchemaIssue => {
    const h = hint ?? xHint;
    return h === undefined ? { severity: 'error', ...i } : { severity: 'error', ...i, hint: h };
  };

  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((ps?.['properties'] as Record<string, unknown> | undefined) ?? {}).filter(
        (k) => k !== '$schema',
      );
      const guess = closest(key, allowed);
      return withHint(
        {
          code: 'unknown_key',
          pointer: childPointer(pointer, key),
          at: 'key',
          message: `unknown key "${key}" in ${where}`,
        },
        `${guess ? `did you mean "${guess}"? ` : ''}allowed keys: ${quoteList(allowed)}`,
      );
    }
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      return withHint(
        {
          code: 'required',
          pointer,
          at: 'value',
          message: `${where} is missing the required key "${missing}"`,
        },
        requiredHint(data, pointer, missing),
      );
    }
    case 'type': {
      const expected = expectedName(e.schema);
      // A fraction where a whole number is wanted is shown itself: "not a number" would read as a contradiction.
      const found = e.schema === 'integer' && typeof value === 'number' ? String(value) : typeName(value);
      return withHint(
        {
          code: 'wrong_type',
          pointer,
          at: 'value',
          message: `${field} must be ${expected}, not ${found}`,
        },
        typeHint(e.schema, value) ?? xHint,
      );
    }
    case 'minLength':
      return withHint(
        { code: 'empty_string', pointer, at: 'value', message: `${field} must not be empty` },
        EMPTY_HINT,
      );
    case 'maxLength': {
      const limit = Number((e.params as { limit?: unknown }).limit);
      const length = typeof value === 'string' ? [...value].length : 0;
      // The value itself is never shown: it is long by definition, and may be anything.
      return withHint(
        {
          code: 'too_long',
          pointer,
          at: 'value',
          message: `${field} is ${length.toLocaleString('en-US')} characters long; the limit is ${limit.toLocaleString('en-US')}`,
        },
        `shorten it to at most ${limit.toLocaleString('en-US')} characters (see "Limits" in README.md)`,
      );
    }
    case 'pattern': {
      if (typeof value === 'string' && value.trim() === '') {
        return withHint(
          { code: 'empty_string', pointer, at: 'value', message: `${field} must not be empty or blank` },
          EMPTY_HINT,
        );
      }
      const code = str(ps, 'x-issue') ?? 'bad_format';
      return withHint({ code, pointer, at: 'value', message: patternMessage(code, field, value, e) });
    }
    case 'enum':
    case 'const': {
      const allowed = (e.keyword === 'enum' ? (e.schema as unknown[]) : [e.schema]).map(String);
      const code = str(ps, 'x-issue') ?? 'bad_value';
      const guess = typeof value === 'string' ? closest(value, allowed) : undefined;
      return withHint(
        { code, pointer, at: 'value', message: `${field} ${show(value)} is not known` },
        `${guess ? `did you mean "${guess}"? ` : ''}use one of: ${quoteList(allowed)}`,
      );
    }
    case 'not':
      // A value the schema rules out by name (an integration's `entityType: Notification` is a link): its x-hint says
      // where it belongs.
      return withHint({
        code: str(ps, 'x-issue') ?? 'schema_violation',
        pointer,
        at: 'value',
        message: `${field} ${show(value)} is not allowed here`,
      });
    default:
      return withHint({
        code: 'schema_violation',
        pointer,
        at: 'value',
        message: `${field} ${e.message ?? 'is invalid'}`,
      });
  }
}

/** A key its mapping's `propertyNames` refuses: the name (clipped) is shown, never the mapping's values. */
function nameError(e: SchemaError, name: string): SchemaIssue {
  const code = str(e.parentSchema, 'x-issue') ?? 'bad_key';
  const what =
    code === 'bad_environment_name' ? 'environment name' : code === 'bad_var_name' ? 'var name' : 'key';
  const hint = str(e.parentSchema, 'x-hint');
  return {
    severity: 'error',
    code,
    pointer: childPointer(e.instancePath, name),
    at: 'key',
    message: `${what} ${show(name)} is not allowed`,
    ...(hint === undefined ? {} : { hint }),
  };
}

function patternMessage(code: string, field: string, value: unknown, e: SchemaError): string {
  switch (code) {
    case 'bad_code':
      return `${show(value)} is not a valid code`;
    case 'bad_event_name':
      return `${show(value)} is not an m3ter event name (expected <category>.<entity>.<event>, lower-case and dotted)`;
    case 'bad_scheduled_event_name':
      return `${show(value)} is not a scheduled event name (expected scheduled.<entity>.<custom name>)`;
    case 'bad_url':
      return `${show(typeof value === 'string' ? redactUrl(value) : value)} is not an absolute http or https URL`;
    case 'bad_ignore_pattern':
      return `${show(value)} is not a link key (expected rule->webhook)`;
    default:
      return `${field} ${show(value)} does not match ${String(e.schema)}`;
  }
}

function typeHint(expected: unknown, value: unknown): string | undefined {
  if (expected === 'boolean' && typeof value === 'string') return 'write true or false, without quotes';
  if (
    (expected === 'integer' || expected === 'number') &&
    typeof value === 'string' &&
    /^-?\d+(\.\d+)?$/.test(value.trim())
  ) {
    return `write the number without quotes: ${value.trim()}`;
  }
  if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    return `put the value in quotes: "${String(value)}"`;
  }
  return undefined;
}

function requiredHint(data: unknown, pointer: string, missing: string): string {
  const kind = kindOfSection(parsePointer(pointer)[0]);
  const entry = valueAt(data, pointer);
  const fromKind = kind && isPlainObject(entry) ? specOf(kind).requiredHint?.(missing, entry) : undefined;
  if (fromKind !== undefined) return fromKind;
  if (missing === 'apiKey' || missing === 'secret') return `add \`${missing}: ${SECRET_REF_SYNTAX}\``;
  return `add \`${missing}: ...\``;
}

/** The kind a section of the files declares, if it is one. */
function kindOfSection(section: string | undefined): Kind | undefined {
  return KINDS.find((k) => CONFIG_SECTION[k] === section);
}

/** A variable name to suggest for a secret field, e.g. `ORDERS_WEBHOOK_SECRET`, `CHARGEBEE_PROD_API_KEY`. */
export function suggestEnvName(data: unknown, pointer: string): string {
  const parts = parsePointer(pointer);
  const field = parts[parts.length - 1] ?? 'secret';
  const section = parts[0];
  const item = valueAt(data, `/${parts.slice(0, 2).join('/')}`) as Record<string, unknown> | undefined;
  const ident = item && typeof item === 'object' ? (item['code'] ?? item['name']) : undefined;
  const prefix = typeof ident === 'string' && ident.trim() !== '' ? upperSnake(ident) : '';
  const of = kindOfSection(section);
  const kind = of && !specOf(of).envNameWithoutKind ? upperSnake(of) : '';
  return [prefix, kind, upperSnake(field)].filter((s) => s !== '').join('_') || 'MY_SECRET';
}

/** Explains a secret field that is not a valid env reference. Never includes the field's value. */
function secretIssues(data: unknown, pointer: string): SchemaIssue[] {
  const value = valueAt(data, pointer);
  const field = fieldOf(pointer);
  const name = suggestEnvName(data, pointer);
  const fieldKey = parsePointer(pointer).at(-1) ?? 'secret';
  const syntax = `\`${fieldKey}: { env: ${name} }\``;
  const err = (
    code: string,
    ptr: string,
    at: 'key' | 'value',
    message: string,
    hint: string,
  ): SchemaIssue => ({
    severity: 'error',
    code,
    pointer: ptr,
    at,
    message,
    hint,
  });

  if (typeof value === 'string') {
    if (/^\$\{env:.*\}$/s.test(value)) {
      return [
        err(
          'bad_env_name',
          pointer,
          'value',
          `${field} names an invalid environment variable`,
          `variable names use letters, digits and _, and do not start with a digit: ${syntax}`,
        ),
      ];
    }
    if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(value)) {
      return [
        err(
          'bad_secret_ref',
          pointer,
          'value',
          `${field} uses shell variable syntax, which m3ter-config does not expand`,
          `write ${syntax} (or the string \`\${env:${name}}\`)`,
        ),
      ];
    }
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return [
      err(
        'literal_secret',
        pointer,
        'value',
        `${field} holds a literal secret; secrets must come from environment variables, never from the files`,
        `put the value in an environment variable (e.g. ${name}) and write ${syntax}`,
      ),
    ];
  }
  if (value === null || Array.isArray(value) || typeof value !== 'object') {
    return [
      err(
        'wrong_type',
        pointer,
        'value',
        `${field} must be a reference to an environment variable, not ${typeName(value)}`,
        `write ${syntax}`,
      ),
    ];
  }
  const obj = value as Record<string, unknown>;
  const out: SchemaIssue[] = [];
  for (const k of Object.keys(obj)) {
    if (k === 'env') continue;
    out.push(
      err(
        'unknown_key',
        childPointer(pointer, k),
        'key',
        `unknown key "${k}" in the secret reference ${field}`,
        `a secret reference has only \`env\` (no default or value): ${syntax}`,
      ),
    );
  }
  if (!('env' in obj)) {
    out.push(
      err(
        'required',
        pointer,
        'value',
        `the secret reference ${field} is missing the key "env"`,
        `write ${syntax}`,
      ),
    );
  } else if (typeof obj['env'] !== 'string') {
    out.push(
      err(
        'wrong_type',
        childPointer(pointer, 'env'),
        'value',
        `env must be a variable name (a string), not ${typeName(obj['env'])}`,
        `write ${syntax}`,
      ),
    );
  } else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(obj['env'])) {
    out.push(
      err(
        'bad_env_name',
        childPointer(pointer, 'env'),
        'value',
        `${field} names an invalid environment variable`,
        `variable names use letters, digits and _, and do not start with a digit: ${syntax}`,
      ),
    );
  }
  return out;
}
