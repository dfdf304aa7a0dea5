/**
 * The length limits count characters as a person sees them (code points): an emoji is one, not
 * two UTF-16 units. The faces' JSON schemas (Ajv) count the same way, so both agree on every limit.
 */
export function textLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}
