/**
 * The sending limits of one node (core/rate-limit.ts), kept in memory: per sender number and per
 * (sender, recipient) pair. A request is checked whole — all of its messages pass or none is
 * counted. Limits are per process; several nodes each allow the configured rate.
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

  /** Undefined policies are off. */
  constructor(
    private readonly throughput: RatePolicy | undefined,
    private readonly pair: RatePolicy | undefined,
  ) {}

  check(messages: readonly { readonly from: string; readonly to: string }[], now: number): LimitCheck {
    if (!this.throughput && !this.pair) return OK;
    const senders = new Map<string, number>();
    const pairs = new Map<string, number>();
    for (const m of messages) {
      senders.set(m.from, (senders.get(m.from) ?? 0) + 1);
      const key = `${m.from}\u0000${m.to}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
    const next: [Map<string, Bucket>, string, Bucket][] = [];
    for (const [map, counts, policy, error] of [
      [this.#senders, senders, this.throughput, THROUGHPUT_EXCEEDED],
      [this.#pairs, pairs, this.pair, PAIR_RATE_EXCEEDED],
    ] as const) {
      if (!policy) continue;
      for (const [key, n] of counts) {
        const t = take(map.get(key), policy, now, n);
        if (!t.ok) return { ok: false, error, retryAfterMs: t.retryAfterMs };
        next.push([map, key, t.bucket]);
      }
    }
    for (const [map, key, bucket] of next) map.set(key, bucket);
    if (this.#pairs.size > PRUNE_AT && this.pair) this.#prune(this.#pairs, this.pair, now);
    return { ok: true };
  }

  #prune(map: Map<string, Bucket>, policy: RatePolicy, now: number): void {
    for (const [key, bucket] of map) if (isFull(bucket, policy, now)) map.delete(key);
  }
}
