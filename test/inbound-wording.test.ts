/**
 * Every type a WhatsApp user can send, as each dialect's inbound webhook words it: the exact body
 * Infobip's, Meta's and Sinch's receivers get (Infobip's and Meta's also checked against their
 * OpenAPI documents), media as URLs on OpenBSP (Infobip, Sinch) or as ids (Meta), and the quote
 * in each dialect's context, matched or not.
 */
import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import type { Account, Sender } from "../src/core/account.ts";
import type { InboundContent, InboundMedia, InboundMessage, InboundQuote } from "../src/core/inbound.ts";
import { infobipReports } from "../src/faces/infobip/infobip-reports.ts";
import { metaReports } from "../src/faces/meta/meta-reports.ts";
import { sinchReports } from "../src/faces/sinch/sinch-reports.ts";
import { checkContract, META_WEBHOOK } from "./support/contracts.ts";

const BUSINESS = "441134960000";
const USER = "447700900123";
const BOT = "openbspbot";
const BASE = "https://openbsp.example.com";
const sender: Sender = {
  number: BUSINESS,
  accountId: "acc",
  wabaId: "waba-1",
  aliases: { metaPhoneNumberId: "pn-1", sinchBotId: BOT },
};
const account: Account = { id: "acc", name: "a", secret: "k", businessVerified: false };
const AT = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

const photo: InboundMedia = {
  id: "1010101010101010",
  mimeType: "image/jpeg",
  sha256: "q3Yf0e+Zh4w=",
  size: 2048,
  caption: "The dent",
};
const clip: InboundMedia = { id: "2020202020202020", mimeType: "video/mp4", sha256: "dmlkZW8=", size: 4096 };
const note: InboundMedia = {
  id: "3030303030303030",
  mimeType: "audio/ogg; codecs=opus",
  sha256: "bm90ZQ==",
  size: 512,
};
const song: InboundMedia = {
  id: "4040404040404040",
  mimeType: "audio/mpeg",
  sha256: "c29uZw==",
  size: 8192,
  filename: "song.mp3",
};
const invoice: InboundMedia = {
  id: "5050505050505050",
  mimeType: "application/pdf",
  sha256: "cGRm",
  size: 1000,
  caption: "My invoice",
  filename: "invoice-42.pdf",
};
const sticker: InboundMedia = {
  id: "6060606060606060",
  mimeType: "image/webp",
  sha256: "d2VicA==",
  size: 300,
};

const card = {
  name: { formattedName: "Ann Lee", firstName: "Ann", lastName: "Lee" },
  addresses: [{ street: "1 Main St", city: "Leeds", countryCode: "GB", type: "HOME" }],
  birthday: "1990-05-04",
  emails: [{ email: "ann@example.com", type: "WORK" }],
  org: { company: "Acme", title: "Buyer" },
  phones: [{ phone: "+44 7700 900456", type: "MOBILE", waId: "447700900456" }],
  urls: [{ url: "https://ann.example.com", type: "HOME" }],
};

const message = (content: InboundContent, quote?: InboundQuote): InboundMessage => ({
  messageId: "wamid.INBOUND1",
  to: BUSINESS,
  from: USER,
  receivedAt: AT,
  content,
  contactName: "Frank",
  ...(quote ? { quote } : {}),
});

const infobipUrl = (id: string) => `${BASE}/whatsapp/1/senders/${BUSINESS}/media/${id}`;
const sinchUrl = (id: string) => `${BASE}/whatsapp/v1/${BOT}/media/${id}`;

interface Case {
  readonly name: string;
  readonly content: InboundContent;
  /** Infobip's `message`. */
  readonly infobip: Record<string, unknown>;
  /** Meta's `type` and the type's object. */
  readonly meta: Record<string, unknown>;
  /** Sinch's `message`. */
  readonly sinch: Record<string, unknown>;
  /** Always a reply to a business message (taps on its buttons, a flow it sent): carries its context. */
  readonly reply?: true;
}

const CASES: Case[] = [
  {
    name: "text",
    content: { type: "text", text: "Hi, is my order ready?" },
    infobip: { type: "TEXT", text: "Hi, is my order ready?" },
    meta: { type: "text", text: { body: "Hi, is my order ready?" } },
    sinch: { type: "text", body: "Hi, is my order ready?" },
  },
  {
    name: "image with a caption",
    content: { type: "image", media: photo },
    infobip: { type: "IMAGE", url: infobipUrl(photo.id), caption: "The dent" },
    meta: {
      type: "image",
      image: { caption: "The dent", mime_type: "image/jpeg", sha256: photo.sha256, id: photo.id },
    },
    sinch: { type: "image", url: sinchUrl(photo.id), mime_type: "image/jpeg", caption: "The dent" },
  },
  {
    name: "video",
    content: { type: "video", media: clip },
    infobip: { type: "VIDEO", url: infobipUrl(clip.id) },
    meta: { type: "video", video: { mime_type: "video/mp4", sha256: clip.sha256, id: clip.id } },
    sinch: { type: "video", url: sinchUrl(clip.id), mime_type: "video/mp4" },
  },
  {
    name: "voice note",
    content: { type: "audio", media: note, voice: true },
    infobip: { type: "VOICE", url: infobipUrl(note.id) },
    meta: {
      type: "audio",
      audio: { mime_type: note.mimeType, sha256: note.sha256, id: note.id, voice: true },
    },
    sinch: { type: "voice", url: sinchUrl(note.id), mime_type: note.mimeType },
  },
  {
    name: "audio file",
    content: { type: "audio", media: song, voice: false },
    infobip: { type: "AUDIO", url: infobipUrl(song.id) },
    meta: {
      type: "audio",
      audio: { mime_type: "audio/mpeg", sha256: song.sha256, id: song.id, voice: false },
    },
    sinch: { type: "audio", url: sinchUrl(song.id), mime_type: "audio/mpeg", filename: "song.mp3" },
  },
  {
    name: "document with caption and filename",
    content: { type: "document", media: invoice },
    infobip: { type: "DOCUMENT", url: infobipUrl(invoice.id), caption: "My invoice" },
    meta: {
      type: "document",
      document: {
        caption: "My invoice",
        mime_type: "application/pdf",
        sha256: invoice.sha256,
        id: invoice.id,
        filename: "invoice-42.pdf",
      },
    },
    sinch: {
      type: "document",
      url: sinchUrl(invoice.id),
      mime_type: "application/pdf",
      caption: "My invoice",
      filename: "invoice-42.pdf",
    },
  },
  {
    name: "animated sticker",
    content: { type: "sticker", media: sticker, animated: true },
    infobip: { type: "STICKER", url: infobipUrl(sticker.id) },
    meta: {
      type: "sticker",
      sticker: { mime_type: "image/webp", sha256: sticker.sha256, id: sticker.id, animated: true },
    },
    sinch: { type: "sticker", url: sinchUrl(sticker.id), mime_type: "image/webp" },
  },
  {
    name: "location",
    content: {
      type: "location",
      latitude: 53.7996,
      longitude: -1.5491,
      name: "Leeds Station",
      address: "New Station St",
      url: "https://maps.example/ls1",
    },
    infobip: {
      type: "LOCATION",
      latitude: 53.7996,
      longitude: -1.5491,
      address: "New Station St",
      name: "Leeds Station",
      url: "https://maps.example/ls1",
    },
    meta: {
      type: "location",
      location: {
        address: "New Station St",
        latitude: 53.7996,
        longitude: -1.5491,
        name: "Leeds Station",
        url: "https://maps.example/ls1",
      },
    },
    sinch: {
      type: "location",
      latitude: 53.7996,
      longitude: -1.5491,
      name: "Leeds Station",
      address: "New Station St",
      url: "https://maps.example/ls1",
    },
  },
  {
    name: "contacts",
    content: { type: "contacts", contacts: [card] },
    infobip: {
      type: "CONTACT",
      contacts: [
        {
          addresses: [{ street: "1 Main St", city: "Leeds", countryCode: "GB", type: "HOME" }],
          birthday: "1990-05-04",
          emails: [{ email: "ann@example.com", type: "WORK" }],
          name: { formattedName: "Ann Lee", firstName: "Ann", lastName: "Lee" },
          org: { company: "Acme", title: "Buyer" },
          phones: [{ phone: "+44 7700 900456", type: "CELL", waId: "447700900456" }],
          urls: [{ url: "https://ann.example.com", type: "HOME" }],
        },
      ],
    },
    meta: {
      type: "contacts",
      contacts: [
        {
          addresses: [{ street: "1 Main St", city: "Leeds", type: "HOME", country_code: "GB" }],
          birthday: "1990-05-04",
          emails: [{ email: "ann@example.com", type: "WORK" }],
          name: { formatted_name: "Ann Lee", first_name: "Ann", last_name: "Lee" },
          org: { company: "Acme", title: "Buyer" },
          phones: [{ phone: "+44 7700 900456", wa_id: "447700900456", type: "MOBILE" }],
          urls: [{ url: "https://ann.example.com", type: "HOME" }],
        },
      ],
    },
    sinch: {
      type: "contacts",
      contacts: [
        {
          addresses: [{ street: "1 Main St", city: "Leeds", type: "HOME", country_code: "GB" }],
          birthday: "1990-05-04",
          emails: [{ email: "ann@example.com", type: "WORK" }],
          name: { first_name: "Ann", formatted_name: "Ann Lee", last_name: "Lee" },
          org: { company: "Acme", title: "Buyer" },
          phones: [{ phone: "+44 7700 900456", type: "MOBILE", wa_id: "447700900456" }],
          urls: [{ url: "https://ann.example.com", type: "HOME" }],
        },
      ],
    },
  },
  {
    name: "reaction",
    content: { type: "reaction", messageId: "out-7", emoji: "👍" },
    infobip: { type: "REACTION", emoji: "👍", action: "ADDED", context: { id: "out-7" } },
    meta: { type: "reaction", reaction: { message_id: "out-7", emoji: "👍" } },
    sinch: {
      type: "error",
      details: "The user reacted 👍 to message out-7; the Sinch WhatsApp API v1 has no notification for it.",
    },
  },
  {
    name: "reaction removed",
    content: { type: "reaction", messageId: "out-7", emoji: "" },
    infobip: { type: "REACTION", action: "REMOVED", context: { id: "out-7" } },
    meta: { type: "reaction", reaction: { message_id: "out-7" } },
    sinch: {
      type: "error",
      details:
        "The user removed their reaction to message out-7; the Sinch WhatsApp API v1 has no notification for it.",
    },
  },
  {
    name: "template quick reply",
    reply: true,
    content: { type: "button", text: "Stop promotions", payload: "stop-promos" },
    infobip: { type: "BUTTON", text: "Stop promotions", payload: "stop-promos" },
    meta: { type: "button", button: { payload: "stop-promos", text: "Stop promotions" } },
    sinch: { type: "button", text: "Stop promotions", payload: "stop-promos" },
  },
  {
    name: "reply button",
    reply: true,
    content: { type: "button_reply", id: "yes", title: "Yes" },
    infobip: { type: "INTERACTIVE_BUTTON_REPLY", id: "yes", title: "Yes" },
    meta: {
      type: "interactive",
      interactive: { type: "button_reply", button_reply: { id: "yes", title: "Yes" } },
    },
    sinch: { type: "interactive", message: { type: "button", id: "yes", title: "Yes" } },
  },
  {
    name: "list row",
    reply: true,
    content: { type: "list_reply", id: "express", title: "Express", description: "Next day" },
    infobip: { type: "INTERACTIVE_LIST_REPLY", id: "express", title: "Express", description: "Next day" },
    meta: {
      type: "interactive",
      interactive: {
        type: "list_reply",
        list_reply: { id: "express", title: "Express", description: "Next day" },
      },
    },
    sinch: {
      type: "interactive",
      message: { type: "list", id: "express", title: "Express", description: "Next day" },
    },
  },
  {
    name: "flow reply",
    reply: true,
    content: {
      type: "flow_reply",
      name: "flow",
      body: "Sent",
      responseJson: '{"flow_token":"t-1","size":"M"}',
    },
    infobip: { type: "INTERACTIVE_FLOW_REPLY", text: "Sent", response: { flow_token: "t-1", size: "M" } },
    meta: {
      type: "interactive",
      interactive: {
        type: "nfm_reply",
        nfm_reply: { name: "flow", body: "Sent", response_json: '{"flow_token":"t-1","size":"M"}' },
      },
    },
    sinch: {
      type: "error",
      details:
        'The user completed a flow (flow) with: {"flow_token":"t-1","size":"M"}; the Sinch WhatsApp API v1 has no notification for it.',
    },
  },
  {
    name: "address reply",
    reply: true,
    content: {
      type: "flow_reply",
      name: "address_message",
      body: "1 Main St",
      responseJson: '{"values":{"city":"Pune"}}',
    },
    infobip: { type: "INTERACTIVE_FLOW_REPLY", text: "1 Main St", response: { values: { city: "Pune" } } },
    meta: {
      type: "interactive",
      interactive: {
        type: "nfm_reply",
        nfm_reply: {
          name: "address_message",
          body: "1 Main St",
          response_json: '{"values":{"city":"Pune"}}',
        },
      },
    },
    sinch: {
      type: "error",
      details:
        'The user completed a flow (address_message) with: {"values":{"city":"Pune"}}; the Sinch WhatsApp API v1 has no notification for it.',
    },
  },
  {
    name: "order",
    content: {
      type: "order",
      catalogId: "cat-9",
      text: "Please deliver",
      items: [
        { productRetailerId: "sku-1", quantity: 2, itemPrice: 12.5, currency: "EUR" },
        { productRetailerId: "sku-2", quantity: 1, itemPrice: 3, currency: "EUR" },
      ],
    },
    infobip: {
      type: "ORDER",
      catalogId: "cat-9",
      productItems: [
        { currency: "EUR", itemPrice: 12.5, productRetailerId: "sku-1", quantity: 2 },
        { currency: "EUR", itemPrice: 3, productRetailerId: "sku-2", quantity: 1 },
      ],
      text: "Please deliver",
    },
    meta: {
      type: "order",
      order: {
        catalog_id: "cat-9",
        text: "Please deliver",
        product_items: [
          { product_retailer_id: "sku-1", quantity: 2, item_price: 12.5, currency: "EUR" },
          { product_retailer_id: "sku-2", quantity: 1, item_price: 3, currency: "EUR" },
        ],
      },
    },
    sinch: {
      type: "order",
      text: "Please deliver",
      catalog_id: "cat-9",
      product_items: [
        { product_retailer_id: "sku-1", quantity: 2, item_price: 12.5, currency: "EUR" },
        { product_retailer_id: "sku-2", quantity: 1, item_price: 3, currency: "EUR" },
      ],
    },
  },
  {
    name: "order without text",
    content: {
      type: "order",
      catalogId: "cat-9",
      items: [{ productRetailerId: "sku-1", quantity: 1, itemPrice: 12.5, currency: "EUR" }],
    },
    infobip: {
      type: "ORDER",
      catalogId: "cat-9",
      productItems: [{ currency: "EUR", itemPrice: 12.5, productRetailerId: "sku-1", quantity: 1 }],
    },
    meta: {
      type: "order",
      order: {
        catalog_id: "cat-9",
        text: "",
        product_items: [{ product_retailer_id: "sku-1", quantity: 1, item_price: 12.5, currency: "EUR" }],
      },
    },
    sinch: {
      type: "order",
      catalog_id: "cat-9",
      product_items: [{ product_retailer_id: "sku-1", quantity: 1, item_price: 12.5, currency: "EUR" }],
    },
  },
  {
    name: "unsupported",
    content: { type: "unsupported" },
    infobip: { type: "UNSUPPORTED" },
    meta: {
      type: "unsupported",
      errors: [
        {
          code: 131051,
          title: "Unsupported message type",
          message: "Unsupported message type",
          error_data: { details: "The message type is not supported." },
        },
      ],
    },
    sinch: {
      type: "error",
      details:
        "Unsupported message type (WhatsApp error 131051): The message type is not supported.; the Sinch WhatsApp API v1 has no notification for it.",
    },
  },
];

/** What each dialect's receiver gets for `m`, parsed. */
function bodies(m: InboundMessage) {
  const post = (f: typeof infobipReports) => JSON.parse(f.inbound(m, sender, account, BASE).body);
  return { infobip: post(infobipReports), meta: post(metaReports), sinch: post(sinchReports) };
}

function infobipBody(msg: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    results: [
      {
        from: USER,
        to: BUSINESS,
        integrationType: "WHATSAPP",
        receivedAt: "2026-01-02T03:04:05.678+0000",
        messageId: "wamid.INBOUND1",
        ...extra,
        message: msg,
        price: { pricePerMessage: 0, currency: "EUR" },
        contact: { name: "Frank", phoneNumber: USER },
      },
    ],
    messageCount: 1,
    pendingMessageCount: 0,
  };
}

function metaBody(payload: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "waba-1",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: BUSINESS, phone_number_id: "pn-1" },
              contacts: [{ profile: { name: "Frank" }, wa_id: USER }],
              messages: [
                {
                  ...extra,
                  from: USER,
                  id: "wamid.INBOUND1",
                  timestamp: String(Math.floor(AT / 1000)),
                  ...payload,
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

function sinchBody(msg: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const profile = ["text", "contacts", "location"].includes(String(msg.type));
  return {
    type: "whatsapp",
    ...(profile ? { contacts: [{ profile: { name: "Frank" }, wa_id: USER }] } : {}),
    notifications: [
      {
        from: USER,
        to: BOT,
        message_id: "wamid.INBOUND1",
        message: msg,
        timestamp: "2026-01-02T03:04:05Z",
        ...extra,
      },
    ],
  };
}

const BUSINESS_QUOTE: InboundQuote = { messageId: "out-42", from: BUSINESS };

/** The bodies each dialect owes for a case, quoting `quote` (a business message) or nothing. */
function expected(c: Case, quote?: InboundQuote) {
  if (!quote) return { infobip: infobipBody(c.infobip), meta: metaBody(c.meta), sinch: sinchBody(c.sinch) };
  return {
    infobip: infobipBody(
      { ...c.infobip, context: { from: quote.from, id: quote.messageId } },
      { pairedMessageId: quote.messageId },
    ),
    meta: metaBody(c.meta, { context: { from: quote.from, id: quote.messageId } }),
    sinch: sinchBody(c.sinch, { replying_to: { from: quote.from, message_id: quote.messageId } }),
  };
}

async function assertBodies(t: TestContext, c: Case, quote?: InboundQuote) {
  const got = bodies(message(c.content, quote));
  const want = expected(c, quote);
  assert.deepEqual(got.infobip, want.infobip, `Infobip: ${c.name}`);
  assert.deepEqual(got.meta, want.meta, `Meta: ${c.name}`);
  assert.deepEqual(got.sinch, want.sinch, `Sinch: ${c.name}`);
  await checkContract(t, "infobip", (k) =>
    assert.deepEqual(k.webhook("receive-inbound-whatsapp-messages", got.infobip), [], c.name),
  );
  await checkContract(t, "meta", (k) => assert.deepEqual(k.webhook(META_WEBHOOK, got.meta), [], c.name));
}

describe("inbound webhooks: every type a user can send, in each dialect", () => {
  for (const c of CASES) it(c.name, (t) => assertBodies(t, c, c.reply ? BUSINESS_QUOTE : undefined));

  it("covers every type of the core's InboundContent", () => {
    const types: Record<InboundContent["type"], true> = {
      text: true,
      image: true,
      video: true,
      audio: true,
      document: true,
      sticker: true,
      location: true,
      contacts: true,
      reaction: true,
      button: true,
      button_reply: true,
      list_reply: true,
      flow_reply: true,
      order: true,
      unsupported: true,
    };
    assert.deepEqual(new Set(CASES.map((c) => c.content.type)), new Set(Object.keys(types)));
  });

  it("words every Infobip message type the way the OpenAPI document's examples shape it", async (t) => {
    // The document's example for each type OpenBSP words: the same keys (OpenBSP's may add none).
    await checkContract(t, "infobip", (contract) => {
      const examples = Object.values(contract.webhookExamples("receive-inbound-whatsapp-messages")) as {
        results: { message: Record<string, unknown> }[];
      }[];
      const exampleKeys = new Map<string, Set<string>>();
      for (const e of examples) {
        const msg = e.results[0]?.message;
        if (msg && !("referral" in msg)) exampleKeys.set(String(msg.type), new Set(Object.keys(msg)));
      }
      for (const c of CASES) {
        const type = String(c.infobip.type);
        const keys = exampleKeys.get(type);
        if (!keys) assert.equal(type, "UNSUPPORTED", `the document has an example of ${type}`);
        else
          for (const k of Object.keys(c.infobip))
            assert.ok(keys.has(k), `${type}.${k} is in the document's example (${[...keys]})`);
      }
    });
  });
});

describe("inbound webhooks: quotes in each dialect's context", () => {
  const quotable = ["text", "image with a caption", "voice note", "location", "contacts", "unsupported"];

  it("a quote of a business message: id and sender, and Infobip pairs the inbound with it", async (t) => {
    for (const c of CASES.filter((x) => quotable.includes(x.name))) await assertBodies(t, c, BUSINESS_QUOTE);
  });

  it("a quote of the user's own message names the user and pairs nothing", () => {
    const got = bodies(
      message({ type: "text", text: "As I said" }, { messageId: "wamid.EARLIER", from: USER }),
    );
    assert.deepEqual(
      got.infobip,
      infobipBody({ type: "TEXT", text: "As I said", context: { from: USER, id: "wamid.EARLIER" } }),
    );
    assert.deepEqual(
      got.meta,
      metaBody(
        { type: "text", text: { body: "As I said" } },
        { context: { from: USER, id: "wamid.EARLIER" } },
      ),
    );
    assert.deepEqual(
      got.sinch,
      sinchBody(
        { type: "text", body: "As I said" },
        { replying_to: { from: USER, message_id: "wamid.EARLIER" } },
      ),
    );
  });

  it("an unmatched quote: Infobip gives the id without a sender; Meta and Sinch name the business, as WhatsApp does", async (t) => {
    const got = bodies(message({ type: "text", text: "Still valid?" }, { messageId: "out-old" }));
    assert.deepEqual(
      got.infobip,
      infobipBody({ type: "TEXT", text: "Still valid?", context: { id: "out-old" } }),
    );
    assert.deepEqual(
      got.meta,
      metaBody(
        { type: "text", text: { body: "Still valid?" } },
        { context: { from: BUSINESS, id: "out-old" } },
      ),
    );
    assert.deepEqual(
      got.sinch,
      sinchBody(
        { type: "text", body: "Still valid?" },
        { replying_to: { from: BUSINESS, message_id: "out-old" } },
      ),
    );
    await checkContract(t, "infobip", (c) =>
      assert.deepEqual(c.webhook("receive-inbound-whatsapp-messages", got.infobip), []),
    );
  });

  it("Infobip words no context on an order (its document gives ORDER none); a reaction's context is the reacted message", () => {
    const order = bodies(
      message(CASES.find((c) => c.name === "order")?.content as InboundContent, {
        messageId: "out-1",
        from: BUSINESS,
      }),
    );
    assert.equal(order.infobip.results[0].message.context, undefined);
    const reaction = bodies(
      message({ type: "reaction", messageId: "out-7", emoji: "❤" }, { messageId: "out-7", from: BUSINESS }),
    );
    assert.deepEqual(reaction.infobip.results[0].message.context, { id: "out-7" });
    assert.equal(reaction.infobip.results[0].pairedMessageId, undefined);
    assert.equal(
      reaction.meta.entry[0].changes[0].value.messages[0].context,
      undefined,
      "Meta: the reaction names its message itself",
    );
  });
});

describe("inbound webhooks: Meta's bytes", () => {
  it("escapes non-ASCII as Meta does, and the media URL base reaches only the dialects that use it", () => {
    const m = message({ type: "reaction", messageId: "out-7", emoji: "👍" });
    const raw = metaReports.inbound(m, sender, account, BASE).body;
    assert.ok(raw.includes('"emoji":"\\ud83d\\udc4d"'), raw);
    const image = message({ type: "image", media: photo });
    assert.ok(
      !metaReports.inbound(image, sender, account, BASE).body.includes(BASE),
      "Meta gives media as ids",
    );
    assert.ok(
      infobipReports
        .inbound(image, sender, account, BASE)
        .body.includes(`${BASE}/whatsapp/1/senders/${BUSINESS}/media/`),
    );
    assert.ok(
      sinchReports.inbound(image, sender, account, BASE).body.includes(`${BASE}/whatsapp/v1/${BOT}/media/`),
    );
  });
});
