/** Row helpers of the simulator's SQLite tables: nulls become absent fields. */
export type Row = Record<string, unknown>;

/** Copy only the defined values, so optional fields stay absent rather than undefined or null. */
export function defined<T extends object>(fields: { [K in keyof T]: T[K] | null | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== null && v !== undefined) out[k] = v;
  return out as T;
}

export const str = (v: unknown): string | undefined =>
  v === null || v === undefined ? undefined : String(v);
export const num = (v: unknown): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);
