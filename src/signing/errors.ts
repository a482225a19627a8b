/**
 * A mistake in how the library is called (no secret, an empty one, a tolerance that is not a positive number...):
 * thrown at the call, so a receiver that is set up wrong fails at once rather than accepting or refusing every
 * request. A request that cannot be verified is never thrown: it is a `{ ok: false }` result.
 */
export class SigningConfigError extends TypeError {
  override name = 'SigningConfigError';
}
