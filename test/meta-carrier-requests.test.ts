/**
 * What the Meta carrier POSTs to `/{phone-number-id}/messages` for every core message type,
 * checked against Meta's OpenAPI document: each body is one Meta would take.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sendRequest } from "../src/carriers/meta-cloud/send-request.ts";
import type { MessageContent, StoredMessage } from "../src/core/message.ts";
import type { Recipient } from "../src/core/phone-number.ts";
import type { Template } from "../src/core/template.ts";
import { messageToCore } from "../src/faces/meta/to-core.ts";
import { loadMetaContract, referenceSkip } from "./support/contracts.ts";

const MESSAGES = "/{Version}/{Phone-Number-ID}/messages";
const IMG = "https://cdn.example.com/a.jpg";

const stored = (content: MessageContent, extra: Partial<StoredMessage> = {}): StoredMessage =>
  ({
    seq: 1,
    accountId: "acc",
    messageId: "m-1",
    face: "infobip",
    from: "441134960000",
    to: "447700900001" as Recipient,
    acceptedAt: 0,
    expiresAt: 1,
    attempts: 1,
    status: "accepted",
    content,
    ...extra,
  }) as StoredMessage;

const template: Template = {
  id: "1",
  wabaId: "w",
  name: "order_update",
  language: "en_GB",
  category: "UTILITY",
  status: "APPROVED",
  createdAt: 0,
  updatedAt: 0,
  structure: {
    header: { format: "IMAGE" },
    body: { text: "Hi {{1}}, order {{2}}" },
    buttons: [
      { type: "PHONE_NUMBER", text: "Call", phoneNumber: "+441134960000" },
      { type: "URL", text: "Track", url: "https://shop.example/t/{{1}}" },
      { type: "QUICK_REPLY", text: "Stop" },
    ],
  },
};

interface Case {
  readonly name: string;
  readonly content: MessageContent;
  readonly template?: Template;
  readonly want?: Record<string, unknown>;
  /** Meta's document (v23.0) has no schema for this Cloud API type yet: checked by the round trip alone. */
  readonly documentLacks?: string;
}

const cases: Case[] = [
  { name: "text", content: { type: "text", text: "Hello", previewUrl: true } },
  { name: "image by link", content: { type: "image", mediaUrl: IMG, caption: "A" } },
  { name: "document", content: { type: "document", mediaUrl: IMG, filename: "a.pdf" } },
  { name: "audio (voice)", content: { type: "audio", mediaUrl: IMG, voice: true } },
  { name: "video", content: { type: "video", mediaUrl: IMG } },
  { name: "sticker", content: { type: "sticker", mediaUrl: IMG } },
  {
    name: "location",
    content: { type: "location", latitude: 51.5, longitude: -0.12, name: "HQ", address: "1 St" },
  },
  {
    name: "contacts",
    content: {
      type: "contact",
      contacts: [
        {
          name: { formattedName: "Ada L", firstName: "Ada" },
          phones: [{ phone: "+447700900001", type: "CELL", waId: "447700900001" }],
          emails: [{ email: "a@example.com", type: "WORK" }],
        },
      ],
    },
  },
  { name: "reaction", content: { type: "reaction", messageId: "wamid.X", emoji: "👍" } },
  {
    name: "reply buttons with an image header",
    content: {
      type: "interactive_buttons",
      body: "Pick",
      header: { type: "IMAGE", mediaUrl: IMG },
      footer: "f",
      buttons: [{ id: "y", title: "Yes" }],
    },
  },
  {
    name: "list",
    content: {
      type: "interactive_list",
      body: "Pick",
      buttonTitle: "Menu",
      sections: [{ title: "S", rows: [{ id: "r1", title: "Row", description: "d" }] }],
    },
  },
  {
    name: "cta url",
    content: { type: "interactive_url_button", body: "Go", displayText: "Open", url: "https://x.example" },
    documentLacks: "interactive cta_url",
  },
  {
    name: "location request",
    content: { type: "interactive_location_request", body: "Where?" },
    documentLacks: "interactive location_request_message",
  },
  {
    name: "product",
    content: { type: "interactive_product", body: "B", catalogId: "c1", productRetailerId: "p1" },
  },
  {
    name: "product list",
    content: {
      type: "interactive_multi_product",
      header: { type: "TEXT", text: "H" },
      body: "B",
      catalogId: "c1",
      sections: [{ title: "S", productRetailerIds: ["p1", "p2"] }],
    },
  },
  {
    name: "flow",
    content: {
      type: "interactive_flow",
      body: "B",
      flowId: "123",
      flowToken: "tok",
      callToActionButton: "Book",
      mode: "PUBLISHED",
      flowAction: "NAVIGATE",
      flowActionPayload: { screen: "START" },
      flowMessageVersion: 3,
    },
  },
  {
    name: "address message",
    content: { type: "interactive_address", body: "Where to?", country: "IN", values: { name: "Ada" } },
    documentLacks: "interactive address_message",
  },
  {
    name: "template with header, body and buttons at their registered indexes",
    template,
    content: {
      type: "template",
      templateName: "order_update",
      language: "en_GB",
      header: { type: "IMAGE", mediaUrl: IMG },
      bodyPlaceholders: ["Ada", "42"],
      buttons: [
        { type: "URL", parameter: "42" },
        { type: "QUICK_REPLY", parameter: "STOP" },
      ],
    },
    want: {
      name: "order_update",
      language: { policy: "deterministic", code: "en_GB" },
      components: [
        { type: "header", parameters: [{ type: "image", image: { link: IMG } }] },
        {
          type: "body",
          parameters: [
            { type: "text", text: "Ada" },
            { type: "text", text: "42" },
          ],
        },
        { type: "button", sub_type: "url", index: "1", parameters: [{ type: "text", text: "42" }] },
        {
          type: "button",
          sub_type: "quick_reply",
          index: "2",
          parameters: [{ type: "payload", payload: "STOP" }],
        },
      ],
    },
  },
  {
    name: "template with a copy code and a limited-time offer",
    content: {
      type: "template",
      templateName: "offer",
      language: "en",
      bodyPlaceholders: [],
      buttons: [{ type: "COPY_CODE", parameter: "SAVE10" }],
      offerExpiresAt: "2030-01-01T00:00:00.000Z",
    },
    documentLacks: "copy_code buttons and limited_time_offer components",
  },
];

describe("the Meta carrier's send requests", () => {
  for (const c of cases) {
    const body = () => sendRequest(stored(c.content, { replyTo: "wamid.Q" }), c.template, new Map());
    it(`${c.name}: Meta's face reads it back as the same content, replying to the same message`, () => {
      const b = body();
      assert.equal(b.messaging_product, "whatsapp");
      if (c.want) assert.deepEqual(b.template, c.want);
      const back = messageToCore(b, "441134960000", "447700900001" as Recipient, "m-1", new Map(), 0);
      assert.ok(back.ok, JSON.stringify(back));
      assert.deepEqual(back.value.content, c.content);
      assert.equal(back.value.replyTo, "wamid.Q");
    });
    if (!c.documentLacks)
      it(`${c.name}: a body Meta's OpenAPI document accepts`, { skip: referenceSkip() }, () => {
        assert.deepEqual(loadMetaContract().request("post", MESSAGES, body()), []);
      });
  }

  it("media OpenBSP uploaded to Meta first goes by its Meta media id, not its link", () => {
    const body = sendRequest(stored({ type: "image", mediaUrl: IMG }), undefined, new Map([[IMG, "98765"]]));
    assert.deepEqual(body.image, { id: "98765" });
  });

  it("a validation of a body that is not Meta's fails (the check can fail)", {
    skip: referenceSkip(),
  }, () => {
    assert.notDeepEqual(
      loadMetaContract().request("post", MESSAGES, {
        messaging_product: "whatsapp",
        type: "text",
        text: { body: 5 },
      }),
      [],
    );
  });
});
