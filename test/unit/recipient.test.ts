import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseRecipient, type Recipient } from "../../src/core/phone-number.ts";

const read = (input: string, nationalTo?: string) => {
  const r = normaliseRecipient(input, nationalTo);
  return r.ok ? r.waId : `error: ${r.reason}`;
};

describe("a recipient, read by one function for every face", () => {
  it("keeps the digits of an international number, `+` and decoration dropped (Infobip, Sinch)", () => {
    assert.equal(read("447700900001"), "447700900001");
    assert.equal(read("+447700900001"), "447700900001");
    assert.equal(read(" +44 (7700) 900-001 "), "447700900001");
    assert.equal(read("1.555.000.1234"), "15550001234");
  });

  it("reads a number without `+` as national to the business number when the dialect says so (Meta)", () => {
    assert.equal(read("07700 900001", "447700900000"), "447700900001");
    assert.equal(read("447700900001", "447700900000"), "447700900001");
    assert.equal(read("+1 555 000 1234", "447700900000"), "15550001234");
    assert.equal(read("5550001234", "15550000000"), "15550001234");
  });

  it("refuses what is no phone number", () => {
    assert.equal(read("abc"), "error: must be a phone number");
    assert.equal(read("+44 77x"), "error: must be a phone number");
    assert.equal(read(" - "), "error: must be a phone number");
    assert.equal(read("abc", "447700900000"), "error: must be a phone number");
  });

  it("leaves an impossible length to delivery internationally, and refuses it at once in Meta's reading", () => {
    assert.equal(read("12345"), "12345");
    assert.equal(read("4".repeat(150)), "4".repeat(150));
    assert.equal(read("+12345", "447700900000"), "error: must have 7 to 15 digits with its country code");
    assert.equal(
      read("+1234567890123456", "447700900000"),
      "error: must have 7 to 15 digits with its country code",
    );
    assert.equal(read("+1234567", "447700900000"), "1234567");
  });

  it("reads its own result back unchanged, whatever the dialect", () => {
    const once = read("+44 7700 900001") as Recipient;
    assert.equal(read(once), once);
    assert.equal(read(once, "447700900000"), once);
  });

  it("is the only way to a Recipient (type level)", () => {
    // @ts-expect-error a plain string is not a Recipient
    const unread: Recipient = "447700900001";
    assert.equal(typeof unread, "string");
  });
});
