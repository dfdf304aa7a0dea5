/** `2020-05-02T18:40:42Z`, as Sinch writes times. */
export function sinchTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
