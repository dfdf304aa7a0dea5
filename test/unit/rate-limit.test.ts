import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  isFull,
  PAIR_RATE_EXCEEDED,
  type RatePolicy,
  THROUGHPUT_EXCEEDED,
  take,
} from "../../src/core/rate-limit.ts";

const T0 = 1_700_000_000_000;
const POLICY: RatePolicy = { perSecond: 2, burst: 3 };

describe("token-bucket rate limits", () => {
  it("starts full: a burst passes, the next take is refused", () => {
    const a = take(undefined, POLICY, T0);
    assert.deepEqual(a, { ok: true, bucket: { tokens: 2, at: T0 } });
    const b = take(a.ok ? a.bucket : undefined, POLICY, T0);
    assert.deepEqual(b, { ok: true, bucket: { tokens: 1, at: T0 } });
    const c = take(b.ok ? b.bucket : undefined, POLICY, T0);
    assert.deepEqual(c, { ok: true, bucket: { tokens: 0, at: T0 } });
    // Empty: one token comes back in 1/perSecond seconds.
    assert.deepEqual(take({ tokens: 0, at: T0 }, POLICY, T0), { ok: false, retryAfterMs: 500 });
  });

  it("refills at perSecond, and says exactly when enough will be back", () => {
    const empty = { tokens: 0, at: T0 };
    assert.deepEqual(take(empty, POLICY, T0 + 375), { ok: false, retryAfterMs: 125 });
    assert.deepEqual(take(empty, POLICY, T0 + 500), { ok: true, bucket: { tokens: 0, at: T0 + 500 } });
    assert.deepEqual(take(empty, POLICY, T0 + 750), { ok: true, bucket: { tokens: 0.5, at: T0 + 750 } });
    assert.deepEqual(take(empty, POLICY, T0 + 250), { ok: false, retryAfterMs: 250 });
  });

  it("never holds more than the burst, however long it rested", () => {
    assert.deepEqual(take({ tokens: 0, at: T0 }, POLICY, T0 + 3_600_000), {
      ok: true,
      bucket: { tokens: 2, at: T0 + 3_600_000 },
    });
    assert.deepEqual(take(undefined, POLICY, T0, 3), { ok: true, bucket: { tokens: 0, at: T0 } });
    assert.deepEqual(take(undefined, POLICY, T0, 4), { ok: false, retryAfterMs: 500 });
  });

  it("takes n tokens at once, or none", () => {
    assert.deepEqual(take({ tokens: 1, at: T0 }, POLICY, T0, 2), { ok: false, retryAfterMs: 500 });
    assert.deepEqual(take({ tokens: 1, at: T0 }, POLICY, T0, 1), { ok: true, bucket: { tokens: 0, at: T0 } });
    assert.deepEqual(take({ tokens: 0, at: T0 }, POLICY, T0, 3), { ok: false, retryAfterMs: 1_500 });
  });

  it("rounds the wait up to a whole millisecond", () => {
    const slow: RatePolicy = { perSecond: 3, burst: 1 };
    assert.deepEqual(take({ tokens: 0, at: T0 }, slow, T0), { ok: false, retryAfterMs: 334 });
  });

  it("ignores a clock that went back rather than taking tokens away", () => {
    assert.deepEqual(take({ tokens: 1, at: T0 }, POLICY, T0 - 10_000), {
      ok: true,
      bucket: { tokens: 0, at: T0 - 10_000 },
    });
  });

  it("the pair rate: about one message every 6 seconds to one user", () => {
    const pair: RatePolicy = { perSecond: 1 / 6, burst: 1 };
    const first = take(undefined, pair, T0);
    assert.ok(first.ok);
    assert.equal(take(first.bucket, pair, T0 + 5_999).ok, false);
    assert.equal(take(first.bucket, pair, T0 + 6_000).ok, true);
    // The wait it tells is enough, and not more than a rounding millisecond too long.
    const refused = take(first.bucket, pair, T0 + 1_000);
    assert.ok(!refused.ok);
    assert.ok(
      refused.retryAfterMs >= 5_000 && refused.retryAfterMs <= 5_001,
      `waits ${refused.retryAfterMs} ms`,
    );
    assert.equal(take(first.bucket, pair, T0 + 1_000 + refused.retryAfterMs).ok, true);
  });

  it("a bucket is full (forgettable) once it has refilled to the burst, not before", () => {
    assert.equal(isFull({ tokens: 3, at: T0 }, POLICY, T0), true);
    assert.equal(isFull({ tokens: 0, at: T0 }, POLICY, T0 + 1_499), false);
    assert.equal(isFull({ tokens: 0, at: T0 }, POLICY, T0 + 1_500), true);
    assert.equal(isFull({ tokens: 2, at: T0 }, POLICY, T0 + 499), false);
    assert.equal(isFull({ tokens: 2, at: T0 }, POLICY, T0 + 500), true);
  });

  it("reports WhatsApp's own errors", () => {
    assert.equal(THROUGHPUT_EXCEEDED.code, 130429);
    assert.equal(THROUGHPUT_EXCEEDED.title, "Rate limit hit");
    assert.equal(PAIR_RATE_EXCEEDED.code, 131056);
    assert.equal(PAIR_RATE_EXCEEDED.title, "(Business Account, Consumer Account) pair rate limit hit");
  });
});
