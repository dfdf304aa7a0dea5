import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ContentAndFailover, TemplateContent } from "../../src/core/message.ts";
import {
  applyEvent,
  EXPIRED_ERROR,
  isFailure,
  type MessageState,
  messageState,
} from "../../src/core/message-status.ts";
import { WA } from "../../src/core/whatsapp-errors.ts";

describe("a message's state", () => {
  it("carries the error of a failure, and none otherwise", () => {
    assert.deepEqual(messageState("failed", WA.notWhatsAppUser), {
      status: "failed",
      error: WA.notWhatsAppUser,
    });
    assert.deepEqual(messageState("expired", EXPIRED_ERROR), { status: "expired", error: EXPIRED_ERROR });
    assert.deepEqual(messageState("sent", undefined), { status: "sent" });
    assert.deepEqual(messageState("delivered", WA.windowClosed), { status: "delivered" });
  });

  it("reads a failure stored without its error as WhatsApp's generic one", () => {
    assert.deepEqual(messageState("failed", undefined), { status: "failed", error: WA.unknown });
    assert.deepEqual(messageState("expired", undefined), { status: "expired", error: WA.unknown });
  });

  it("tells failures (failed, expired) from the rest", () => {
    assert.equal(isFailure(messageState("failed", WA.unknown)), true);
    assert.equal(isFailure(messageState("expired", EXPIRED_ERROR)), true);
    for (const status of ["accepted", "sent", "delivered", "seen"] as const)
      assert.equal(isFailure(messageState(status, undefined)), false);
  });

  it("gets its error from the status machine's failing moves", () => {
    const failed = applyEvent("sent", { kind: "failed", at: 5, error: WA.windowClosed });
    assert.ok(failed && isFailure(failed));
    assert.equal(failed.error, WA.windowClosed);
    const expired = applyEvent("accepted", { kind: "expired", at: 5 });
    assert.ok(expired && isFailure(expired));
    assert.equal(expired.error, EXPIRED_ERROR);
    const delivered = applyEvent("sent", { kind: "delivered", at: 5 });
    assert.equal(delivered?.error, undefined);
  });

  it("refuses a failure without its error and a success with one (type level)", () => {
    // @ts-expect-error a failed message says why
    const silent: MessageState = { status: "failed" };
    // @ts-expect-error only a failure carries an error
    const odd: MessageState = { status: "delivered", error: WA.unknown };
    assert.ok(silent && odd);
  });
});

describe("content and its SMS failover", () => {
  const template: TemplateContent = {
    type: "template",
    templateName: "t",
    language: "en",
    bodyPlaceholders: [],
    buttons: [],
  };
  const failover = { from: "InfoSMS", text: "hello" };

  it("lets a template carry a failover, and no other content (type level)", () => {
    const ok: ContentAndFailover = { content: template, smsFailover: failover };
    const plain: ContentAndFailover = { content: { type: "text", text: "hi", previewUrl: false } };
    const wrong: ContentAndFailover = {
      // @ts-expect-error a text message has no SMS failover
      content: { type: "text", text: "hi", previewUrl: false },
      smsFailover: failover,
    };
    assert.ok(ok && plain && wrong);
  });
});
