/** Meta's webhook levels as a pure rule: the most specific callback wins, the app's fields filter. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type CallbackLevels, callbackFor } from "../../src/core/callback-levels.ts";

const facts = { sender: "441134960000", wabaId: "100" };
const all: CallbackLevels = {
  app: { url: "http://app", fields: ["messages"] },
  byWaba: { "100": "http://waba" },
  bySender: { "441134960000": "http://phone" },
  fallback: "http://default",
};

describe("callbackFor", () => {
  it("phone number > WABA > app > default, each only when set", () => {
    assert.equal(callbackFor(all, "messages", true, facts), "http://phone");
    assert.equal(callbackFor({ ...all, bySender: {} }, "messages", true, facts), "http://waba");
    assert.equal(callbackFor({ ...all, bySender: {}, byWaba: {} }, "messages", true, facts), "http://app");
    const { app: _, ...noApp } = all;
    assert.equal(
      callbackFor({ ...noApp, bySender: {}, byWaba: {} }, "messages", true, facts),
      "http://default",
    );
    assert.equal(callbackFor({ byWaba: {}, bySender: {} }, "messages", true, facts), undefined);
  });

  it("overrides of another number or WABA do not apply", () => {
    assert.equal(callbackFor(all, "messages", true, { sender: "1", wabaId: "2" }), "http://app");
  });

  it("a field the app does not subscribe to goes nowhere; without an app every field goes to the default", () => {
    assert.equal(callbackFor(all, "message_template_status_update", false, facts), undefined);
    const { app: _, ...noApp } = all;
    assert.equal(callbackFor(noApp, "message_template_status_update", false, facts), "http://default");
  });

  it("a field that cannot be overridden skips the overrides", () => {
    const levels = { ...all, app: { url: "http://app", fields: ["message_template_status_update"] } };
    assert.equal(callbackFor(levels, "message_template_status_update", false, facts), "http://app");
  });
});
