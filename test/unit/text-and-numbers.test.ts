import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { callingCode, normaliseRecipient } from "../../src/core/phone-number.ts";
import { smsSegments } from "../../src/core/sms-segments.ts";
import { textLength } from "../../src/core/text-length.ts";

describe("text length", () => {
  it("counts code points: an emoji or a character outside the BMP is one", () => {
    assert.equal(textLength(""), 0);
    assert.equal(textLength("abc"), 3);
    assert.equal(textLength("😀"), 1);
    assert.equal("😀".length, 2, "two UTF-16 units");
    assert.equal(textLength("a😀b"), 3);
    assert.equal(textLength("𝄞".repeat(1024)), 1024);
    assert.equal(textLength("é"), 1);
    assert.equal(textLength("e\u0301"), 2, "a combining accent is a code point of its own");
  });
});

describe("recipient numbers", () => {
  const UK = "441134960000";
  const US = "15550001234";

  it("strips decoration from an international number", () => {
    assert.deepEqual(normaliseRecipient("+44 7700 900123", UK), { ok: true, waId: "447700900123" });
    assert.deepEqual(normaliseRecipient("+44 (7700) 900-123", UK), { ok: true, waId: "447700900123" });
    assert.deepEqual(normaliseRecipient("+1.555.000.9999", UK), { ok: true, waId: "15550009999" });
    assert.deepEqual(normaliseRecipient("  +447700900123  ", UK), { ok: true, waId: "447700900123" });
  });

  it("takes a number without + as national: the business number's calling code replaces its leading zeros", () => {
    assert.deepEqual(normaliseRecipient("07700 900123", UK), { ok: true, waId: "447700900123" });
    assert.deepEqual(normaliseRecipient("7700900123", UK), { ok: true, waId: "447700900123" });
    assert.deepEqual(normaliseRecipient("(555) 000-9999", US), { ok: true, waId: "15550009999" });
  });

  it("keeps a number without + that already starts with the calling code", () => {
    assert.deepEqual(normaliseRecipient("447700900123", UK), { ok: true, waId: "447700900123" });
    assert.deepEqual(normaliseRecipient("15550009999", US), { ok: true, waId: "15550009999" });
  });

  it("takes 7 to 15 digits with the country code, and refuses either side", () => {
    assert.deepEqual(normaliseRecipient("+1234567", UK), { ok: true, waId: "1234567" });
    assert.deepEqual(normaliseRecipient("+123456", UK), {
      ok: false,
      reason: "must have 7 to 15 digits with its country code",
    });
    assert.deepEqual(normaliseRecipient("+123456789012345", UK), { ok: true, waId: "123456789012345" });
    assert.deepEqual(normaliseRecipient("+1234567890123456", UK), {
      ok: false,
      reason: "must have 7 to 15 digits with its country code",
    });
  });

  it("refuses what is not a phone number", () => {
    for (const input of [
      "",
      "   ",
      "abc",
      "+44 7700 90012x",
      "44+7700900123",
      "++447700900123",
      "447700900123#",
    ]) {
      assert.deepEqual(
        normaliseRecipient(input, UK),
        { ok: false, reason: "must be a phone number" },
        JSON.stringify(input),
      );
    }
  });

  it("reads the calling code: one, two or three digits", () => {
    assert.equal(callingCode("15550001234"), "1");
    assert.equal(callingCode("79001234567"), "7");
    assert.equal(callingCode("441134960000"), "44");
    assert.equal(callingCode("5511987654321"), "55");
    assert.equal(callingCode("919876543210"), "91");
    assert.equal(callingCode("351912345678"), "351");
    assert.equal(callingCode("971501234567"), "971");
    assert.equal(callingCode("2348012345678"), "234");
  });
});

describe("SMS parts", () => {
  it("GSM 03.38: 160 characters in one part, 153 per part after", () => {
    assert.equal(smsSegments(""), 1);
    assert.equal(smsSegments("a".repeat(160)), 1);
    assert.equal(smsSegments("a".repeat(161)), 2);
    assert.equal(smsSegments("a".repeat(306)), 2);
    assert.equal(smsSegments("a".repeat(307)), 3);
    assert.equal(smsSegments("£".repeat(160)), 1, "£ is in the basic table");
  });

  it("escape-table characters count twice", () => {
    assert.equal(smsSegments("€".repeat(80)), 1);
    assert.equal(smsSegments("€".repeat(81)), 2);
    assert.equal(smsSegments(`${"a".repeat(159)}{`), 2);
    assert.equal(smsSegments(`${"a".repeat(158)}{`), 1);
  });

  it("anything else goes as UCS-2: 70 in one part, 67 per part after, counting UTF-16 units", () => {
    assert.equal(smsSegments("ж".repeat(70)), 1);
    assert.equal(smsSegments("ж".repeat(71)), 2);
    assert.equal(smsSegments("ж".repeat(134)), 2);
    assert.equal(smsSegments("ж".repeat(135)), 3);
    assert.equal(smsSegments("😀".repeat(35)), 1, "35 emoji are 70 units");
    assert.equal(smsSegments("😀".repeat(36)), 2);
    assert.equal(smsSegments(`${"a".repeat(159)}ж`), 3, "one non-GSM character makes all of it UCS-2");
  });
});
