import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DAY_MS, HOUR_MS } from "../../src/core/clock.ts";
import { isWindowOpen, WINDOW_MS } from "../../src/core/conversation-window.ts";
import { AUTHENTICATION_TTL_MS, DEFAULT_TTL_MS, ttlFor } from "../../src/core/ttl.ts";

const INBOUND = 1_700_000_000_000;

describe("the 24-hour customer-service window", () => {
  it("lasts exactly 24 hours", () => {
    assert.equal(HOUR_MS, 3_600_000);
    assert.equal(DAY_MS, 86_400_000);
    assert.equal(WINDOW_MS, 86_400_000);
  });

  it("is closed for a user who never wrote", () => {
    assert.equal(isWindowOpen(undefined, INBOUND), false);
  });

  it("is open from the user's message up to the last millisecond before 24 hours, closed at 24 hours", () => {
    assert.equal(isWindowOpen(INBOUND, INBOUND), true);
    assert.equal(isWindowOpen(INBOUND, INBOUND + 1), true);
    assert.equal(isWindowOpen(INBOUND, INBOUND + DAY_MS - 1), true);
    assert.equal(isWindowOpen(INBOUND, INBOUND + DAY_MS), false);
    assert.equal(isWindowOpen(INBOUND, INBOUND + DAY_MS + 1), false);
  });

  it("counts from the user's last message (0 ms is a time, not an absence)", () => {
    assert.equal(isWindowOpen(0, DAY_MS - 1), true);
    assert.equal(isWindowOpen(0, DAY_MS), false);
  });
});

describe("time-to-live", () => {
  it("is 10 minutes for authentication templates", () => {
    assert.equal(AUTHENTICATION_TTL_MS, 600_000);
    assert.equal(ttlFor("AUTHENTICATION"), 600_000);
  });

  it("is 30 days for every other template and for free-form messages", () => {
    assert.equal(DEFAULT_TTL_MS, 2_592_000_000);
    assert.equal(ttlFor("MARKETING"), 2_592_000_000);
    assert.equal(ttlFor("UTILITY"), 2_592_000_000);
    assert.equal(ttlFor(undefined), 2_592_000_000);
  });
});
