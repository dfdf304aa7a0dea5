/**
 * When to try a failed webhook again: a schedule of waits (data, not code), with jitter so that
 * a receiver coming back is not hit by every retry at once, and Retry-After honoured within limits.
 */
export type DeliveryOutcome =
  | { readonly kind: "delivered" }
  | { readonly kind: "retry"; readonly retryAfterMs?: number; readonly reason: string }
  | { readonly kind: "give-up"; readonly reason: string };

/** Default waits between attempts: about 27 hours in all, like the providers' own retries. */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  1_000, 5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 43_200_000,
];

/**
 * The wait before attempt `attempt + 1`, or undefined when the schedule is exhausted.
 * `random` is a number in [0, 1) so tests can pin the jitter.
 */
export function nextRetryDelay(
  schedule: readonly number[],
  attempt: number,
  random: number,
  retryAfterMs?: number,
): number | undefined {
  const base = schedule[attempt - 1];
  if (base === undefined) return undefined;
  const jittered = Math.round(base * (0.8 + 0.4 * random));
  if (retryAfterMs === undefined) return jittered;
  // Honour the receiver's Retry-After, but never hammer it sooner than planned nor wait past twice the plan.
  return Math.min(Math.max(retryAfterMs, jittered), base * 2);
}

/** Classify an HTTP answer: 2xx done; 429 and 5xx retry; other 4xx will not get better. */
export function classifyResponse(status: number, retryAfterMs?: number): DeliveryOutcome {
  if (status >= 200 && status < 300) return { kind: "delivered" };
  if (status === 429 || status >= 500 || status === 408) {
    return {
      kind: "retry",
      reason: `HTTP ${status}`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  return { kind: "give-up", reason: `HTTP ${status}` };
}

/** Parse a Retry-After header (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
