import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  classifyResponse,
  DEFAULT_RETRY_SCHEDULE_MS,
  nextRetryDelay,
  parseRetryAfter,
} from "../../src/core/retry-schedule.ts";

const SCHEDULE = [1_000, 5_000, 30_000];

describe("the webhook retry schedule", () => {
  it("waits each step's time, jittered between 80 % and 120 % by the injected random number", () => {
    assert.equal(nextRetryDelay(SCHEDULE, 1, 0), 800);
    assert.equal(nextRetryDelay(SCHEDULE, 1, 0.5), 1_000);
    assert.equal(nextRetryDelay(SCHEDULE, 1, 0.25), 900);
    assert.equal(nextRetryDelay(SCHEDULE, 1, 0.999999), 1_200);
    assert.equal(nextRetryDelay(SCHEDULE, 2, 0), 4_000);
    assert.equal(nextRetryDelay(SCHEDULE, 2, 0.5), 5_000);
    assert.equal(nextRetryDelay(SCHEDULE, 3, 0.75), 33_000);
  });

  it("rounds to whole milliseconds", () => {
    assert.equal(nextRetryDelay([333], 1, 0.5), 333);
    assert.equal(nextRetryDelay([333], 1, 0.1), 280); // 333 × 0.84 = 279.72
  });

  it("gives up after the last step, and has no step 0", () => {
    assert.equal(nextRetryDelay(SCHEDULE, 3, 0.5), 30_000);
    assert.equal(nextRetryDelay(SCHEDULE, 4, 0.5), undefined);
    assert.equal(nextRetryDelay(SCHEDULE, 0, 0.5), undefined);
    assert.equal(nextRetryDelay([], 1, 0.5), undefined);
  });

  it("honours Retry-After, but never sooner than the jittered plan nor later than twice the step", () => {
    assert.equal(nextRetryDelay(SCHEDULE, 1, 0.5, 1_500), 1_500);
    assert.equal(nextRetryDelay(SCHEDULE, 1, 0.5, 100), 1_000, "not sooner than planned");
    assert.equal(nextRetryDelay(SCHEDULE, 1, 0, 100), 800, "the jittered plan is the floor");
    assert.equal(nextRetryDelay(SCHEDULE, 1, 0.5, 2_000), 2_000, "twice the step is allowed");
    assert.equal(nextRetryDelay(SCHEDULE, 1, 0.5, 2_001), 2_000, "capped at twice the step");
    assert.equal(nextRetryDelay(SCHEDULE, 1, 0.5, 3_600_000), 2_000);
    assert.equal(nextRetryDelay(SCHEDULE, 1, 0.5, 0), 1_000);
    assert.equal(
      nextRetryDelay(SCHEDULE, 4, 0.5, 1_000),
      undefined,
      "Retry-After does not extend the schedule",
    );
  });

  it("defaults to eleven steps, from a second to twelve hours, about 27 hours in all", () => {
    assert.equal(DEFAULT_RETRY_SCHEDULE_MS.length, 11);
    assert.equal(DEFAULT_RETRY_SCHEDULE_MS[0], 1_000);
    assert.equal(DEFAULT_RETRY_SCHEDULE_MS[10], 43_200_000);
    const total = DEFAULT_RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0);
    assert.equal(total, 99_756_000); // 27.7 hours
    for (let i = 1; i < DEFAULT_RETRY_SCHEDULE_MS.length; i++) {
      assert.ok(
        (DEFAULT_RETRY_SCHEDULE_MS[i] as number) > (DEFAULT_RETRY_SCHEDULE_MS[i - 1] as number),
        `step ${i} waits longer`,
      );
    }
  });
});

describe("classifying a receiver's answer", () => {
  it("2xx is delivered, on both edges", () => {
    for (const status of [200, 201, 204, 299])
      assert.deepEqual(classifyResponse(status), { kind: "delivered" }, String(status));
  });

  it("408, 429 and 5xx are retried, keeping Retry-After", () => {
    for (const status of [408, 429, 500, 503, 599]) {
      assert.deepEqual(classifyResponse(status), { kind: "retry", reason: `HTTP ${status}` }, String(status));
    }
    assert.deepEqual(classifyResponse(429, 2_000), {
      kind: "retry",
      reason: "HTTP 429",
      retryAfterMs: 2_000,
    });
    assert.deepEqual(classifyResponse(503, 0), { kind: "retry", reason: "HTTP 503", retryAfterMs: 0 });
  });

  it("every other status gives up: it will not get better", () => {
    for (const status of [199, 300, 301, 400, 401, 404, 407, 409, 428, 430, 499]) {
      assert.deepEqual(
        classifyResponse(status),
        { kind: "give-up", reason: `HTTP ${status}` },
        String(status),
      );
    }
  });
});

describe("parsing Retry-After", () => {
  const NOW = Date.parse("2026-01-01T10:00:00Z");

  it("reads seconds", () => {
    assert.equal(parseRetryAfter("0", NOW), 0);
    assert.equal(parseRetryAfter("1", NOW), 1_000);
    assert.equal(parseRetryAfter("120", NOW), 120_000);
    assert.equal(parseRetryAfter(" 5 ", NOW), 5_000);
  });

  it("reads an HTTP date as the time from now, never negative", () => {
    assert.equal(parseRetryAfter("Thu, 01 Jan 2026 10:00:30 GMT", NOW), 30_000);
    assert.equal(parseRetryAfter("Thu, 01 Jan 2026 09:59:00 GMT", NOW), 0);
  });

  it("ignores what it cannot read", () => {
    assert.equal(parseRetryAfter(undefined, NOW), undefined);
    assert.equal(parseRetryAfter("", NOW), undefined);
    assert.equal(parseRetryAfter("soon", NOW), undefined);
  });
});
