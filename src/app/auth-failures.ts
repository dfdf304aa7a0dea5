/**
 * Failed authentications per client address (core/rate-limit.ts buckets, in memory): an address
 * that keeps presenting unknown keys is refused for a while before any key of it is looked up,
 * so keys cannot be guessed at speed. Only uncached keys pass here: a known key's request costs
 * nothing. Per process, like the sending limits.
 */
import { type Bucket, isFull, type RatePolicy, take } from "../core/rate-limit.ts";

const PRUNE_AT = 10_000;

export class AuthFailures {
  readonly #buckets = new Map<string, Bucket>();
  readonly #policy: RatePolicy | undefined;

  /** `perMinute` failures an address may make (as a burst, regained evenly); 0: no limit. */
  constructor(perMinute: number) {
    this.#policy = perMinute > 0 ? { perSecond: perMinute / 60, burst: perMinute } : undefined;
  }

  /** How long the address must wait before its next attempt is heard, if it must. */
  blockedFor(address: string, now: number): number | undefined {
    const bucket = this.#policy && this.#buckets.get(address);
    if (!bucket || !this.#policy) return undefined;
    const t = take(bucket, this.#policy, now);
    return t.ok ? undefined : t.retryAfterMs;
  }

  failed(address: string, now: number): void {
    const policy = this.#policy;
    if (!policy) return;
    const t = take(this.#buckets.get(address), policy, now);
    this.#buckets.set(address, t.ok ? t.bucket : { tokens: 0, at: now });
    if (this.#buckets.size > PRUNE_AT)
      for (const [k, b] of this.#buckets) if (isFull(b, policy, now)) this.#buckets.delete(k);
  }
}
