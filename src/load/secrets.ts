import type { SecretRef } from '../model/generated/config-types.js';
import { Secret } from '../model/secret.js';
import { fieldOf } from '../schema/pointer.js';
import { type BuildContext, issueAt } from './context.js';
import { varInSecret } from './environments.js';

/** The longest secret value accepted, in characters: far above any real key, a bound on what is sent and hashed. */
export const MAX_SECRET_LENGTH = 10_000;

/** The variable a (schema-valid) reference names: `{ env: NAME }` or `${env:NAME}`. */
export function envNameOf(ref: SecretRef): string {
  return typeof ref === 'string' ? ref.slice('${env:'.length, -1) : ref.env;
}

/**
 * Resolves a reference from the environment into a Secret. Returns 'error' when it reported an error, undefined when
 * it reported a warning (policy `warning`). Issues name the variable, never a value.
 */
export function resolveSecret(
  ctx: BuildContext,
  pointer: string,
  ref: SecretRef,
): Secret | undefined | 'error' {
  if (ctx.varPointers && (ctx.varPointers.has(pointer) || ctx.varPointers.has(`${pointer}/env`))) {
    const v = varInSecret(pointer);
    issueAt(ctx, 'error', v.code, pointer, v.message, v.hint);
    return 'error';
  }
  const name = envNameOf(ref);
  const value = ctx.env[name];
  const field = fieldOf(pointer);
  if (value === undefined || value === '') {
    const unset = value === undefined;
    issueAt(
      ctx,
      ctx.policy,
      unset ? 'missing_env' : 'empty_env',
      pointer,
      unset
        ? `environment variable ${name} (for ${field}) is not set`
        : `environment variable ${name} (for ${field}) is set but empty`,
      `set ${name} in the environment or in an env file passed with --dotenv`,
    );
    return ctx.policy === 'error' ? 'error' : undefined;
  }
  if (value.length > MAX_SECRET_LENGTH) {
    issueAt(
      ctx,
      'error',
      'too_long',
      pointer,
      `environment variable ${name} (for ${field}) is ${value.length.toLocaleString('en-US')} characters long; the limit is ${MAX_SECRET_LENGTH.toLocaleString('en-US')}`,
      `check that ${name} holds the secret itself (see "Limits" in README.md)`,
    );
    return 'error';
  }
  return new Secret(name, value);
}
