/** The pure parts of pacing and template TTLs: send slots, TTL bounds per category, a send's TTL. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_THROUGHPUT_MPS, takeSlot, throughputOf } from "../../src/core/pacing.ts";
import { AUTHENTICATION_TTL_MS, checkTemplateTtl, DEFAULT_TTL_MS, ttlFor } from "../../src/core/ttl.ts";

describe("send slots", () => {
  it("a sender without a tier goes at WhatsApp's default of 80 a second; 0 stays 0", () => {
    assert.equal(throughputOf({}), DEFAULT_THROUGHPUT_MPS);
    assert.equal(DEFAULT_THROUGHPUT_MPS, 80);
    assert.equal(throughputOf({ throughputMps: 0 }), 0);
  });

  it("slots are 1000 / tier ms apart, never earlier than now, and an idle sender earns no burst", () => {
    assert.deepEqual(takeSlot(undefined, 80, 1000), { slotAt: 1000, nextSlotAt: 1012.5 });
    assert.deepEqual(takeSlot(1012.5, 80, 1000), { slotAt: 1012.5, nextSlotAt: 1025 });
    assert.deepEqual(takeSlot(1025, 1000, 5000), { slotAt: 5000, nextSlotAt: 5001 });
  });
});

describe("template time-to-live", () => {
  it("accepts Meta's bounds per category and refuses outside them, naming ttlSeconds", () => {
    assert.deepEqual(checkTemplateTtl("AUTHENTICATION", 30), []);
    assert.deepEqual(checkTemplateTtl("AUTHENTICATION", 900), []);
    assert.deepEqual(checkTemplateTtl("UTILITY", 43_200), []);
    assert.deepEqual(checkTemplateTtl("MARKETING", undefined), []);
    for (const [category, ttl] of [
      ["AUTHENTICATION", 29],
      ["AUTHENTICATION", 901],
      ["UTILITY", 43_201],
      ["UTILITY", 60.5],
      ["MARKETING", 43_200],
    ] as const) {
      const [e] = checkTemplateTtl(category, ttl);
      assert.equal(e?.field, "ttlSeconds", `${category} ${ttl}`);
    }
  });

  it("a send lives its template's TTL, else WhatsApp's default for the category", () => {
    assert.equal(ttlFor("UTILITY", 60), 60_000);
    assert.equal(ttlFor("AUTHENTICATION", 300), 300_000);
    assert.equal(ttlFor("AUTHENTICATION"), AUTHENTICATION_TTL_MS);
    assert.equal(ttlFor(undefined), DEFAULT_TTL_MS);
  });
});
