import { timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';

const REDACTED = '(sensitive)';

/**
 * A secret value resolved from an environment variable. The value lives in a private field:
 * JSON.stringify, util.inspect, String() and template literals all print `(sensitive)` and the variable's name,
 * never the value. Only `reveal()` returns it, and only the live client's request builders call it.
 */
export class Secret {
  readonly #value: string;
  /** The environment variable the value came from. */
  readonly env: string;

  constructor(env: string, value: string) {
    this.env = env;
    this.#value = value;
  }

  /** The clear value. Call only where it is sent to the API or fingerprinted. */
  reveal(): string {
    return this.#value;
  }

  /** Same value, compared in constant time. */
  equals(other: Secret): boolean {
    const a = Buffer.from(this.#value);
    const b = Buffer.from(other.#value);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  toJSON(): { sensitive: true; env: string } {
    return { sensitive: true, env: this.env };
  }

  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${this.env}, ${REDACTED})`;
  }
}

export const SENSITIVE = REDACTED;
