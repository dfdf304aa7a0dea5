/**
 * WhatsApp's sending limits as token buckets: a sender number's throughput (Meta: 80 messages/s
 * by default, 1,000 after upgrade; over it → 130429) and the pair rate to one user (about one
 * message every 6 s, short bursts tolerated; over it → 131056). Pure: buckets in, buckets out.
 */
import { type KnownError, WA } from "./whatsapp-errors.ts";

export interface RatePolicy {
  /** Tokens regained per second. */
  readonly perSecond: number;
  /** The most tokens a bucket holds: how big a burst passes. */
  readonly burst: number;
}

export interface Bucket {
  readonly tokens: number;
  readonly at: number;
}

export type Take =
  | { readonly ok: true; readonly bucket: Bucket }
  | { readonly ok: false; readonly retryAfterMs: number };

/** Takes `n` tokens from `bucket` (full when new) at `now`. */
export function take(bucket: Bucket | undefined, policy: RatePolicy, now: number, n = 1): Take {
  const elapsed = bucket ? Math.max(0, now - bucket.at) / 1000 : 0;
  const tokens = Math.min(policy.burst, (bucket?.tokens ?? policy.burst) + elapsed * policy.perSecond);
  if (tokens >= n) return { ok: true, bucket: { tokens: tokens - n, at: now } };
  return { ok: false, retryAfterMs: Math.ceil(((n - tokens) / policy.perSecond) * 1000) };
}

/** A bucket that has refilled completely carries no information and can be forgotten. */
export function isFull(bucket: Bucket, policy: RatePolicy, now: number): boolean {
  return bucket.tokens + ((now - bucket.at) / 1000) * policy.perSecond >= policy.burst;
}

export const THROUGHPUT_EXCEEDED: KnownError = WA.throughputReached;

export const PAIR_RATE_EXCEEDED: KnownError = WA.pairRateLimited;
