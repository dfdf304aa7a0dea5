import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EXPIRED_ERROR } from "../../src/core/message-status.ts";
import { PAIR_RATE_EXCEEDED, THROUGHPUT_EXCEEDED } from "../../src/core/rate-limit.ts";
import { type KnownErrorCode, knownError, WA } from "../../src/core/whatsapp-errors.ts";

describe("the catalogue of WhatsApp error codes", () => {
  it("holds each code once, each with a title", () => {
    const codes = Object.values(WA).map((e) => e.code);
    assert.equal(new Set(codes).size, codes.length, `a code appears twice: ${codes.join(", ")}`);
    for (const [name, e] of Object.entries(WA)) assert.ok(e.title.length > 0, `${name} has no title`);
  });

  it("finds an entry by its code, and nothing for a code it does not know", () => {
    for (const e of Object.values(WA)) assert.equal(knownError(e.code), e);
    assert.equal(knownError(131047)?.title, "Re-engagement message");
    assert.equal(knownError(999_999), undefined);
  });

  it("numbers its entries as Meta does", () => {
    const expected: Record<string, KnownErrorCode> = {
      windowClosed: 131047,
      notWhatsAppUser: 131026,
      unknown: 131000,
      messageExpired: 131049,
      mediaUploadError: 131053,
      throughputReached: 130429,
      pairRateLimited: 131056,
      requiredParameterMissing: 131008,
      parameterValueInvalid: 131009,
      unsupportedMessageType: 131051,
      templateParamCountMismatch: 132000,
      templateNotFound: 132001,
      templateParamFormatMismatch: 132012,
      templatePaused: 132015,
      templateDisabled: 132016,
      invalidParameter: 100,
      accessTokenInvalid: 190,
      permissionDenied: 10,
    };
    for (const [name, code] of Object.entries(expected))
      assert.equal(WA[name as keyof typeof WA].code, code, name);
  });

  it("keeps the wording that reports and 429 answers have always carried", () => {
    assert.deepEqual(WA.windowClosed, {
      code: 131047,
      title: "Re-engagement message",
      details: "More than 24 hours have passed since the recipient last replied to the sender number.",
    });
    assert.deepEqual(WA.notWhatsAppUser, {
      code: 131026,
      title: "Message undeliverable",
      details: "The recipient is not a WhatsApp user.",
    });
    assert.deepEqual(EXPIRED_ERROR, {
      code: 131049,
      title: "Message expired",
      details: "The message was not delivered before its time-to-live elapsed",
    });
    assert.equal(THROUGHPUT_EXCEEDED, WA.throughputReached);
    assert.equal(PAIR_RATE_EXCEEDED, WA.pairRateLimited);
    assert.equal(WA.throughputReached.title, "Rate limit hit");
    assert.equal(WA.pairRateLimited.title, "(Business Account, Consumer Account) pair rate limit hit");
  });
});
