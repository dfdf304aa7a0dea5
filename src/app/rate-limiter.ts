/**
 * The sending limits a node checks at accept (core/rate-limit.ts), kept in memory: a sender
 * number's throughput tier, for dialects whose provider refuses a send over it (Cloud API's
 * 130429; the others queue it for the dispatcher's pacing), and the pair rate per (sender,
 * recipient). A request is checked whole — all of its messages pass or none is counted. Limits
 * are per process; several nodes each allow the configured rate.
 */

import {
  type Bucket,
  isFull,
  PAIR_RATE_EXCEEDED,
  type RatePolicy,
  THROUGHPUT_EXCEEDED,
  take,
} from "../core/rate-limit.ts";
import type { KnownError } from "../core/whatsapp-errors.ts";

export type LimitCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: KnownError; readonly retryAfterMs: number };

const PRUNE_AT = 100_000;
const OK: LimitCheck = { ok: true };

export class RateLimiter {
  readonly #senders = new Map<string, Bucket>();
  readonly #pairs = new Map<string, Bucket>();

  /** An undefined pair policy is off. */
  constructor(private readonly pair: RatePolicy | undefined) {}

  /**
   * `tiers`: each sender's throughput tier (messages/s) to refuse over, a second's worth bursting;
   * none (or 0 for a sender): that limit is not checked here.
   */
  check(
    messages: readonly { readonly from: string; readonly to: string }[],
    now: number,
    tiers?: ReadonlyMap<string, number>,
  ): LimitCheck {
    if (!tiers && !this.pair) return OK;
    const senders = new Map<string, number>();
    const pairs = new Map<string, number>();
    for (const m of messages) {
      senders.set(m.from, (senders.get(m.from) ?? 0) + 1);
      const key = `${m.from}\u0000${m.to}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
    const next: [Map<string, Bucket>, string, Bucket][] = [];
    if (tiers) {
      for (const [key, n] of senders) {
        const mps = tiers.get(key) ?? 0;
        if (mps <= 0) continue;
        const t = take(this.#senders.get(key), { perSecond: mps, burst: mps }, now, n);
        if (!t.ok) return { ok: false, error: THROUGHPUT_EXCEEDED, retryAfterMs: t.retryAfterMs };
        next.push([this.#senders, key, t.bucket]);
      }
    }
    if (this.pair) {
      for (const [key, n] of pairs) {
        const t = take(this.#pairs.get(key), this.pair, now, n);
        if (!t.ok) return { ok: false, error: PAIR_RATE_EXCEEDED, retryAfterMs: t.retryAfterMs };
        next.push([this.#pairs, key, t.bucket]);
      }
    }
    for (const [map, key, bucket] of next) map.set(key, bucket);
    if (this.#pairs.size > PRUNE_AT && this.pair) this.#prune(this.#pairs, this.pair, now);
    return OK;
  }

  #prune(map: Map<string, Bucket>, policy: RatePolicy, now: number): void {
    for (const [key, bucket] of map) if (isFull(bucket, policy, now)) map.delete(key);
  }
}
