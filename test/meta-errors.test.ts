/**
 * Meta's error codes on the Cloud API face, each produced by the case that causes it: synchronous
 * ones as 4xx with Meta's error object, asynchronous ones (window closed, not a WhatsApp user) in
 * a `failed` status webhook, as Meta does.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { checkContract, META_WEBHOOK } from "./support/contracts.ts";
import { eventually, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { APP_SECRET, metaCall, metaStatuses, PHONE_ID, WABA_ID } from "./support/meta.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

describe("Meta error codes", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const user = "447700909001";
  const send = (body: Record<string, unknown>) =>
    metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/messages`, {
      messaging_product: "whatsapp",
      to: user,
      ...body,
    });
  const template = (name: string, parameters: unknown[], extra: unknown[] = []) => ({
    type: "template",
    template: { name, language: { code: "en" }, components: [{ type: "body", parameters }, ...extra] },
  });

  before(async () => {
    await hooks.start();
    server = await startServer({
      OPENBSP_META_WEBHOOK_URL: `${hooks.url}/meta`,
      OPENBSP_META_APP_SECRET: APP_SECRET,
      OPENBSP_BUSINESS_VERIFIED: "true",
    });
    await server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "hi" });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  const cases: [string, number, number, () => Record<string, unknown>, RegExp][] = [
    ["a missing type object", 131008, 400, () => ({ type: "text" }), /text/],
    [
      "a missing required field",
      131008,
      400,
      () => ({ type: "image", image: { caption: "x" } }),
      /image\.link/,
    ],
    [
      "a text over 4096 characters",
      131009,
      400,
      () => ({ type: "text", text: { body: "x".repeat(4097) } }),
      /text\.body/,
    ],
    ["an unknown message type", 131051, 400, () => ({ type: "hologram" }), /hologram/],
    ["an unknown template", 132001, 400, () => template("no_such_template", []), /no_such_template/],
    [
      "a template in a language it is not registered in",
      132001,
      400,
      () => ({ type: "template", template: { name: "welcome", language: { code: "fr" } } }),
      /fr/,
    ],
    ["too few template parameters", 132000, 400, () => template("welcome", []), /expects 1/],
    [
      "a header value for a template without one",
      132000,
      400,
      () =>
        template(
          "welcome",
          [{ type: "text", text: "A" }],
          [{ type: "header", parameters: [{ type: "text", text: "H" }] }],
        ),
      /header/,
    ],
    [
      "four reply buttons",
      131009,
      400,
      () => ({
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "b" },
          action: {
            buttons: Array.from({ length: 4 }, (_, i) => ({
              type: "reply",
              reply: { id: `b${i}`, title: `B${i}` },
            })),
          },
        },
      }),
      /buttons/,
    ],
  ];
  for (const [what, code, status, body, details] of cases) {
    it(`${what} → ${code}`, async () => {
      const res = await send(body());
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error.code, code, JSON.stringify(res.body));
      assert.equal(res.body.error.type, "OAuthException");
      assert.match(res.body.error.message, new RegExp(`^\\(#${code}\\) `));
      assert.match(res.body.error.error_data.details, details);
      assert.equal(typeof res.body.error.fbtrace_id, "string");
    });
  }

  it("a wrong token → 190 (401); another account's phone number id → 100 (400)", async () => {
    const bad = await metaCall(
      server.url,
      "POST",
      `/v23.0/${PHONE_ID}/messages`,
      { messaging_product: "whatsapp" },
      "wrong-token",
    );
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error.code, 190);
    const unknown = await metaCall(server.url, "POST", "/v23.0/999999999999/messages", {
      messaging_product: "whatsapp",
      to: user,
      type: "text",
      text: { body: "x" },
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 100);
    assert.equal(unknown.body.error.error_subcode, 33);
  });

  it("a paused template → 132015, a disabled one → 132016, reinstated → sends; each change is a status webhook", async () => {
    const created = await metaCall(server.url, "POST", `/v23.0/${WABA_ID}/message_templates`, {
      name: "quality_probe",
      language: "en",
      category: "UTILITY",
      components: [{ type: "BODY", text: "Your code is ready." }],
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const id = created.body.id;
    const probe = () =>
      send({ type: "template", template: { name: "quality_probe", language: { code: "en" } } });
    assert.equal((await probe()).status, 200);
    await server.call("POST", `/sandbox/templates/${id}/status`, { status: "PAUSED" });
    assert.equal((await probe()).body.error.code, 132015);
    await server.call("POST", `/sandbox/templates/${id}/status`, { status: "DISABLED" });
    assert.equal((await probe()).body.error.code, 132016);
    await server.call("POST", `/sandbox/templates/${id}/status`, { status: "APPROVED" });
    assert.equal((await probe()).status, 200);
    const events = await eventually(() => {
      const e = hooks
        .on("/meta")
        .flatMap((r) => r.body.entry[0].changes)
        .filter(
          (c: { field: string; value: { message_template_id: number } }) =>
            c.field === "message_template_status_update" && String(c.value.message_template_id) === id,
        )
        .map((c: { value: { event: string } }) => c.value.event);
      return e.length >= 4 && e;
    });
    assert.deepEqual(events, ["APPROVED", "PAUSED", "DISABLED", "APPROVED"]);
  });

  it("a free-form message outside the window fails later with 131047 in a failed status", async (t) => {
    const res = await metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/messages`, {
      messaging_product: "whatsapp",
      to: "447700909002",
      type: "text",
      text: { body: "unprompted" },
    });
    assert.equal(res.status, 200);
    const failed = await eventually(() =>
      metaStatuses(hooks, "/meta").find((s) => s.id === res.body.messages[0].id && s.status === "failed"),
    );
    assert.equal(failed.errors[0].code, 131047);
    assert.ok(!("pricing" in failed));
    await checkContract(t, "meta", (c) => {
      const post = hooks
        .on("/meta")
        .find((r) => r.raw.includes(res.body.messages[0].id) && r.raw.includes('"failed"'));
      assert.deepEqual(c.webhook(META_WEBHOOK, post?.body), []);
    });
  });

  it("a template to a number that is not on WhatsApp fails later with 131026", async () => {
    await server.call("POST", "/sandbox/rules", { pattern: "447700909099", behaviour: "not_whatsapp" });
    const res = await metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/messages`, {
      messaging_product: "whatsapp",
      to: "+447700909099",
      type: "template",
      template: {
        name: "welcome",
        language: { code: "en" },
        components: [{ type: "body", parameters: [{ type: "text", text: "Z" }] }],
      },
    });
    assert.equal(res.status, 200);
    const failed = await eventually(() =>
      metaStatuses(hooks, "/meta").find((s) => s.id === res.body.messages[0].id && s.status === "failed"),
    );
    assert.equal(failed.errors[0].code, 131026);
    assert.equal(failed.recipient_id, "447700909099");
  });
});
