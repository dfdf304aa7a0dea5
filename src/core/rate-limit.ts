/**
 * WhatsApp's sending limits as token buckets: a sender number's throughput (Meta: 80 messages/s
 * by default, 1,000 after upgrade; over it → 130429) and the pair rate to one user (about one
 * message every 6 s, short bursts tolerated; over it → 131056). Pure: buckets in, buckets out.
 */
import type { WhatsAppError } from "./message-status.ts";

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

export const THROUGHPUT_EXCEEDED: WhatsAppError = {
  code: 130429,
  title: "Rate limit hit",
  details: "Cloud API message throughput has been reached: the sender number sent more messages per second than its throughput level allows.",
};

export const PAIR_RATE_EXCEEDED: WhatsAppError = {
  code: 131056,
  title: "(Business Account, Consumer Account) pair rate limit hit",
  details: "Too many messages were sent from this sender number to the same recipient in a short period. Wait and retry; other recipients are not affected.",
};
