/** Meta's Graph wire, shared by the Meta face and a Meta carrier: envelope, bytes and signature. */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { metaJson, webhookEnvelope } from "../src/meta-graph/webhook-envelope.ts";
import { hasValidSignature, signature } from "../src/meta-graph/webhook-signature.ts";

describe("Meta's Graph wire", () => {
  it("wraps a change in the whatsapp_business_account envelope", () => {
    assert.deepEqual(webhookEnvelope("1001", "messages", { statuses: [] }), {
      object: "whatsapp_business_account",
      entry: [{ id: "1001", changes: [{ field: "messages", value: { statuses: [] } }] }],
    });
  });

  it("writes non-ASCII as \\uXXXX, as Meta does", () => {
    assert.equal(metaJson({ name: "Zoë 👋" }), '{"name":"Zo\\u00eb \\ud83d\\udc4b"}');
    assert.deepEqual(JSON.parse(metaJson({ name: "Zoë 👋" })), { name: "Zoë 👋" });
  });

  it("signs the exact bytes with HMAC-SHA256 under the app secret, and checks a signature", () => {
    const body = metaJson({ a: "é" });
    const expected = `sha256=${createHmac("sha256", "s3cret").update(body).digest("hex")}`;
    assert.equal(signature("s3cret", body), expected);
    assert.equal(hasValidSignature("s3cret", body, expected), true);
    assert.equal(hasValidSignature("other", body, expected), false);
    assert.equal(hasValidSignature("s3cret", `${body} `, expected), false);
    assert.equal(hasValidSignature("s3cret", body, "sha256=00"), false);
    assert.equal(hasValidSignature("s3cret", body, undefined), false);
  });
});
