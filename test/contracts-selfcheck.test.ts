/**
 * Proves test/support/contracts.ts can both pass and fail: the documents' own
 * examples validate, deliberately broken bodies do not, and unknown operations throw.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadInfobipContract, loadMetaContract, META_WEBHOOK, referenceSkip } from "./support/contracts.ts";

/** Skipped without the reference documents, and failing without them in CI. */
const skip = referenceSkip();

const TEMPLATE = "/whatsapp/1/message/template";
const META_MESSAGES = "/{Version}/{Phone-Number-ID}/messages";

/** Asserts every named example validates, and that there is at least one. */
function assertAllValid(examples: Record<string, unknown>, check: (body: unknown) => string[]): void {
  const names = Object.keys(examples);
  assert.ok(names.length > 0, "the document should carry examples here");
  for (const name of names) {
    assert.deepEqual(check(examples[name]), [], `example "${name}" should validate`);
  }
}

/** Asserts the body is rejected and that some error mentions `fragment`. */
function assertRejected(errors: string[], fragment: string): void {
  assert.ok(errors.length > 0, "expected validation errors");
  assert.ok(
    errors.some((e) => e.includes(fragment)),
    `expected an error mentioning ${JSON.stringify(fragment)}, got:\n  ${errors.join("\n  ")}`,
  );
}

describe("contracts self-check: Infobip", { skip }, () => {
  test("POST /whatsapp/1/message/template: the spec's request examples validate", () => {
    const infobip = loadInfobipContract();
    assertAllValid(infobip.requestExamples("post", TEMPLATE), (b) => infobip.request("post", TEMPLATE, b));
  });

  test("POST /whatsapp/1/message/template: the spec's 200 and 400 response examples validate", () => {
    const infobip = loadInfobipContract();
    assertAllValid(infobip.responseExamples("post", TEMPLATE, 200), (b) =>
      infobip.response("post", TEMPLATE, 200, b),
    );
    assertAllValid(infobip.responseExamples("post", TEMPLATE, 400), (b) =>
      infobip.response("post", TEMPLATE, 400, b),
    );
  });

  test("POST /whatsapp/1/message/template: broken request bodies are rejected", () => {
    const infobip = loadInfobipContract();
    assertRejected(infobip.request("post", TEMPLATE, {}), "must have required property 'messages'");
    const message = {
      from: "441134960000",
      to: "441134960001",
      content: { templateName: "t", language: "en", templateData: { body: { placeholders: [] } } },
    };
    assert.deepEqual(infobip.request("post", TEMPLATE, { messages: [message] }), []);
    const { to: _to, ...noTo } = message;
    assertRejected(
      infobip.request("post", TEMPLATE, { messages: [noTo] }),
      "must have required property 'to'",
    );
    // Discriminated button: unknown type, and a QUICK_REPLY without its required parameter.
    const buttons = [{ type: "BOGUS" }, { type: "QUICK_REPLY" }];
    const errors = infobip.request("post", TEMPLATE, {
      messages: [
        {
          ...message,
          content: { ...message.content, templateData: { body: { placeholders: [] }, buttons } },
        },
      ],
    });
    assertRejected(errors, "/buttons/0/type must be equal to one of the allowed values");
    assertRejected(errors, "/buttons/1 must have required property 'parameter'");
  });

  test("POST /whatsapp/1/message/template: broken 200 and 400 bodies are rejected", () => {
    const infobip = loadInfobipContract();
    const [good] = Object.values(infobip.responseExamples("post", TEMPLATE, 200)) as [
      { messages: Array<Record<string, unknown>> },
    ];
    const stringCount = structuredClone(good);
    stringCount.messages[0] = { ...stringCount.messages[0], messageCount: "1" };
    assertRejected(
      infobip.response("post", TEMPLATE, 200, stringCount),
      "/messages/0/messageCount must be integer",
    );
    assertRejected(infobip.response("post", TEMPLATE, 200, { messages: [{}] }), "'messageId'");
    assertRejected(infobip.response("post", TEMPLATE, 400, { error: "nope" }), "'requestError'");
  });

  test("webhook receive-whatsapp-delivery-reports: examples pass, broken reports fail", () => {
    const infobip = loadInfobipContract();
    const name = "receive-whatsapp-delivery-reports";
    assert.ok(infobip.webhookNames().includes(name));
    assertAllValid(infobip.webhookExamples(name), (b) => infobip.webhook(name, b));
    const [example] = Object.values(infobip.webhookExamples(name)) as [
      { results: Array<Record<string, unknown>> },
    ];
    // callbackData is not in the schema, but nothing forbids extra properties.
    const withCallback = structuredClone(example);
    withCallback.results[0] = { ...withCallback.results[0], callbackData: "cb" };
    assert.deepEqual(infobip.webhook(name, withCallback), []);
    const broken = structuredClone(example);
    broken.results[0] = { ...broken.results[0], doneAt: "yesterday", status: { id: "5" } };
    const errors = infobip.webhook(name, broken);
    assertRejected(errors, '/results/0/doneAt must match format "date-time"');
    assertRejected(errors, "/results/0/status/id must be integer");
  });

  test("unknown operations, statuses and webhooks throw", () => {
    const infobip = loadInfobipContract();
    assert.throws(() => infobip.response("post", "/whatsapp/9/nope", 200, {}), /not in the OpenAPI document/);
    assert.throws(() => infobip.response("get", TEMPLATE, 200, {}), /GET .* is not in the document/);
    assert.throws(() => infobip.response("post", TEMPLATE, 418, {}), /has no 418 response/);
    assert.throws(
      () => infobip.webhook("receive-nothing", {}),
      /webhook receive-nothing is not in the document/,
    );
  });
});

describe("contracts self-check: Meta", { skip }, () => {
  test("POST /{Phone-Number-ID}/messages: 200 examples pass, broken send responses fail", () => {
    const meta = loadMetaContract();
    assertAllValid(meta.responseExamples("post", META_MESSAGES, 200), (b) =>
      meta.response("post", META_MESSAGES, 200, b),
    );
    const ok = {
      messaging_product: "whatsapp",
      contacts: [{ input: "+1 555 123 4567", wa_id: "15551234567" }],
      messages: [{ id: "wamid.X", message_status: "accepted" }],
    };
    assert.deepEqual(meta.response("post", META_MESSAGES, 200, ok), []);
    assertRejected(meta.response("post", META_MESSAGES, 200, {}), "'messages'");
    assertRejected(
      meta.response("post", META_MESSAGES, 200, {
        ...ok,
        messages: [{ id: "wamid.X", message_status: "sent" }],
      }),
      "/messages/0/message_status must be equal to one of the allowed values",
    );
    assertRejected(
      meta.response("post", META_MESSAGES, 200, { ...ok, contacts: [{ input: "1" }] }),
      "'wa_id'",
    );
  });

  test("webhook /whatsapp/webhooks: Meta's examples pass (after documented corrections), broken ones fail", () => {
    const meta = loadMetaContract();
    assertAllValid(meta.webhookExamples(META_WEBHOOK), (b) => meta.webhook(META_WEBHOOK, b));
    const metadata = { display_phone_number: "15550001111", phone_number_id: "123" };
    const envelope = (field: string, value: Record<string, unknown>) => ({
      object: "whatsapp_business_account",
      entry: [
        { id: "WABA", changes: [{ field, value: { messaging_product: "whatsapp", metadata, ...value } }] },
      ],
    });
    const inbound = (message: Record<string, unknown>) =>
      envelope("messages", {
        contacts: [{ profile: { name: "Ann" }, wa_id: "15551234567" }],
        messages: [{ from: "15551234567", id: "wamid.1", timestamp: "1700000000", ...message }],
      });
    assert.deepEqual(meta.webhook(META_WEBHOOK, inbound({ type: "text", text: { body: "hi" } })), []);
    assertRejected(
      meta.webhook(META_WEBHOOK, inbound({ type: "text", text: {} })),
      "/messages/0/text must have required property 'body'",
    );
    assertRejected(
      meta.webhook(META_WEBHOOK, inbound({ type: "text", timestamp: 1700000000, text: { body: "hi" } })),
      "/messages/0/timestamp must be string",
    );
    const status = { id: "wamid.1", timestamp: "1700000005", recipient_id: "15551234567" };
    assert.deepEqual(
      meta.webhook(META_WEBHOOK, envelope("messages", { statuses: [{ ...status, status: "read" }] })),
      [],
    );
    assertRejected(
      meta.webhook(META_WEBHOOK, envelope("messages", { statuses: [{ ...status, status: "bounced" }] })),
      "/statuses/0/status must be equal to one of the allowed values",
    );
  });
});
