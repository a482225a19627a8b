/** A JSON object: not null and not an array. What a parsed answer or a mapping is checked to be before its keys are read. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
