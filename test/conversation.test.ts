/**
 * Two-way conversations end to end (issue #10): every type the simulated user can send goes in
 * through the sandbox route and reaches one account's Infobip, Meta and Sinch receivers, each in
 * its own words (Infobip's checked against its OpenAPI webhook, Meta's against the shape of Meta's
 * examples, Sinch's exact body); the media a user sent is downloaded from the address each
 * dialect's webhook gives, then deleted or expired; quotes, reactions and address answers as each
 * dialect words them; and a whole conversation played in each dialect through its API alone.
 */
import assert from "node:assert/strict";
import { after, before, describe, it, type TestContext } from "node:test";
import { checkContract, META_WEBHOOK } from "./support/contracts.ts";
import {
  API_KEY,
  eventually,
  request,
  SENDER,
  startServer,
  type TestServer,
  welcome,
} from "./support/harness.ts";
import { seedOtherAccount } from "./support/inbound-media.ts";
import { sha256 } from "./support/media-server.ts";
import { metaCall, PHONE_ID, WABA_ID } from "./support/meta.ts";
import { type Received, WebhookReceiver } from "./support/webhook-receiver.ts";

const BOT = "chatbot";
const DAY = 86_400_000;
const JPEG = Buffer.concat([
  Buffer.from("ffd8ffe0", "hex"),
  Buffer.alloc(3000, 7),
  Buffer.from("ffd9", "hex"),
]);
const MP4 = Buffer.concat([Buffer.from("000000186674797069736f6d", "hex"), Buffer.alloc(2000, 1)]);
const OGG = Buffer.concat([Buffer.from("OggS"), Buffer.alloc(1500, 2)]);
const MP3 = Buffer.concat([Buffer.from("ID3"), Buffer.alloc(1500, 4)]);
const PDF = Buffer.from("%PDF-1.4\n% the user's invoice\n%%EOF\n");
/** A WebP whose VP8X header sets the animation flag. */
const WEBP = Buffer.concat([
  Buffer.from("RIFF"),
  Buffer.from([0, 0, 0, 0]),
  Buffer.from("WEBPVP8X"),
  Buffer.from([10, 0, 0, 0, 0x02]),
  Buffer.alloc(500, 5),
]);

type Body = Record<string, unknown>;
interface Posts {
  readonly infobip: Received;
  readonly meta: Received;
  readonly sinch: Received;
}

/** One server with all three dialects' receivers set, as one account configures them. */
async function startAll(hooks: WebhookReceiver, env: Record<string, string> = {}): Promise<TestServer> {
  return startServer({
    OPENBSP_INBOUND_URL: `${hooks.url}/infobip`,
    OPENBSP_META_WEBHOOK_URL: `${hooks.url}/meta`,
    OPENBSP_SINCH_CALLBACK_URL: `${hooks.url}/sinch`,
    OPENBSP_SINCH_BOT_ID: BOT,
    OPENBSP_MARK_AS_READ: "true",
    ...env,
  });
}

/** The one POST each dialect's receiver got for inbound `id`. */
async function postsFor(hooks: WebhookReceiver, id: string): Promise<Posts> {
  const one = (path: string, has: (b: Received["body"]) => boolean) =>
    eventually(
      () => {
        const got = hooks.on(path).filter((r) => has(r.body));
        return got.length > 0 ? got : undefined;
      },
      5000,
      `the inbound ${id} on ${path}`,
    );
  const [infobip, meta, sinch] = await Promise.all([
    one("/infobip", (b) => b.results?.[0]?.messageId === id),
    one("/meta", (b) => b.entry?.[0]?.changes?.[0]?.value?.messages?.[0]?.id === id),
    one("/sinch", (b) => b.notifications?.[0]?.message_id === id),
  ]);
  for (const got of [infobip, meta, sinch]) assert.equal(got.length, 1, "one POST per dialect");
  return { infobip: infobip[0] as Received, meta: meta[0] as Received, sinch: sinch[0] as Received };
}

const receivedAt = (p: Posts) => Date.parse(p.infobip.body.results[0].receivedAt.replace("+0000", "Z"));
const metaMessage = (p: Posts) => p.meta.body.entry[0].changes[0].value.messages[0];
const infobipMessage = (p: Posts) => p.infobip.body.results[0].message;
const sinchNotification = (p: Posts) => p.sinch.body.notifications[0];

/** Each dialect's whole body for an inbound from `user` received at `ms`, with each dialect's `message`. */
function expected(
  user: string,
  id: string,
  ms: number,
  m: { infobip: Body; meta: Body; sinch: Body },
  extra: { infobip?: Body; infobipResult?: Body; meta?: Body; sinch?: Body } = {},
) {
  const profile = ["text", "contacts", "location"].includes(String(m.sinch.type));
  return {
    infobip: {
      results: [
        {
          from: user,
          to: SENDER,
          integrationType: "WHATSAPP",
          receivedAt: new Date(ms).toISOString().replace("Z", "+0000"),
          messageId: id,
          ...extra.infobipResult,
          message: { ...m.infobip, ...extra.infobip },
          price: { pricePerMessage: 0, currency: "EUR" },
          contact: { name: "Frank", phoneNumber: user },
        },
      ],
      messageCount: 1,
      pendingMessageCount: 0,
    },
    meta: {
      object: "whatsapp_business_account",
      entry: [
        {
          id: WABA_ID,
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: SENDER, phone_number_id: PHONE_ID },
                contacts: [{ profile: { name: "Frank" }, wa_id: user }],
                messages: [
                  { ...extra.meta, from: user, id, timestamp: String(Math.floor(ms / 1000)), ...m.meta },
                ],
              },
            },
          ],
        },
      ],
    },
    sinch: {
      type: "whatsapp",
      ...(profile ? { contacts: [{ profile: { name: "Frank" }, wa_id: user }] } : {}),
      notifications: [
        {
          from: user,
          to: BOT,
          message_id: id,
          message: m.sinch,
          timestamp: new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z"),
          ...extra.sinch,
        },
      ],
    },
  };
}

/** The user sends `body` (Meta's inbound message shape) to the business; answers the inbound's id. */
async function userSends(server: TestServer, user: string, body: Body): Promise<string> {
  const res = await request(server.url, "POST", `/sandbox/phones/${user}/messages`, {
    to: SENDER,
    contactName: "Frank",
    ...body,
  });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return res.body.messageId;
}

/** The business sends the seeded `welcome` template (Infobip's API) and waits until the phone has it. */
async function templateOut(server: TestServer, user: string, messageId: string): Promise<string> {
  const sent = await server.call("POST", "/whatsapp/1/message/template", {
    messages: [welcome(user, { messageId })],
  });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  await onPhone(server, user, messageId);
  return messageId;
}

async function onPhone(server: TestServer, user: string, messageId: string) {
  return eventually(
    async () => {
      const m = (await request(server.url, "GET", `/sandbox/phones/${user}/messages`)).body.messages.find(
        (x: { messageId: string }) => x.messageId === messageId,
      );
      return m && m.state !== "in_transit" && m;
    },
    5000,
    `${messageId} on the phone`,
  );
}

/** A raw request resolving with status, headers and the body as bytes. */
async function raw(url: string, method: string, authorization?: string) {
  const res = await fetch(url, { method, headers: authorization ? { authorization } : {} });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const APP = `App ${API_KEY}`;
const BEARER = `Bearer ${API_KEY}`;

async function assertContracts(t: TestContext, ...posts: Posts[]) {
  await checkContract(t, "infobip", (c) => {
    for (const p of posts)
      assert.deepEqual(c.webhook("receive-inbound-whatsapp-messages", p.infobip.body), []);
  });
  await checkContract(t, "meta", (c) => {
    for (const p of posts) assert.deepEqual(c.webhook(META_WEBHOOK, p.meta.body), []);
  });
}

describe("every inbound type, end to end in each dialect", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const user = "447700960001";
  let outbound = "";
  const infobipUrl = (id: string) => `${server.url}/whatsapp/1/senders/${SENDER}/media/${id}`;
  const sinchUrl = (id: string) => `${server.url}/whatsapp/v1/${BOT}/media/${id}`;

  before(async () => {
    await hooks.start();
    server = await startAll(hooks);
    outbound = await templateOut(server, user, "shop-welcome-1");
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  interface Case {
    readonly name: string;
    readonly body: () => Body;
    /** Each dialect's message; `media` is the media id Meta's webhook gave (checked against the bytes). */
    readonly want: (media: string) => { infobip: Body; meta: Body; sinch: Body };
    readonly bytes?: Buffer;
    /** Always an answer to a business message (a tap on its button, a flow it sent): quotes it. */
    readonly reply?: true;
  }

  const cases: Case[] = [
    {
      name: "text",
      body: () => ({ type: "text", text: { body: "Is my order ready?" } }),
      want: () => ({
        infobip: { type: "TEXT", text: "Is my order ready?" },
        meta: { type: "text", text: { body: "Is my order ready?" } },
        sinch: { type: "text", body: "Is my order ready?" },
      }),
    },
    {
      name: "image (data, with a caption)",
      bytes: JPEG,
      body: () => ({
        type: "image",
        image: { data: JPEG.toString("base64"), mime_type: "image/jpeg", caption: "The dent" },
      }),
      want: (id) => ({
        infobip: { type: "IMAGE", url: infobipUrl(id), caption: "The dent" },
        meta: {
          type: "image",
          image: { caption: "The dent", mime_type: "image/jpeg", sha256: sha256(JPEG), id },
        },
        sinch: { type: "image", url: sinchUrl(id), mime_type: "image/jpeg", caption: "The dent" },
      }),
    },
    {
      name: "video",
      bytes: MP4,
      body: () => ({ type: "video", video: { data: MP4.toString("base64"), mime_type: "video/mp4" } }),
      want: (id) => ({
        infobip: { type: "VIDEO", url: infobipUrl(id) },
        meta: { type: "video", video: { mime_type: "video/mp4", sha256: sha256(MP4), id } },
        sinch: { type: "video", url: sinchUrl(id), mime_type: "video/mp4" },
      }),
    },
    {
      name: "voice note",
      bytes: OGG,
      body: () => ({
        type: "audio",
        audio: { data: OGG.toString("base64"), mime_type: "audio/ogg", voice: true },
      }),
      want: (id) => ({
        infobip: { type: "VOICE", url: infobipUrl(id) },
        meta: { type: "audio", audio: { mime_type: "audio/ogg", sha256: sha256(OGG), id, voice: true } },
        sinch: { type: "voice", url: sinchUrl(id), mime_type: "audio/ogg" },
      }),
    },
    {
      name: "audio file",
      bytes: MP3,
      body: () => ({ type: "audio", audio: { data: MP3.toString("base64"), mime_type: "audio/mpeg" } }),
      want: (id) => ({
        infobip: { type: "AUDIO", url: infobipUrl(id) },
        meta: { type: "audio", audio: { mime_type: "audio/mpeg", sha256: sha256(MP3), id, voice: false } },
        sinch: { type: "audio", url: sinchUrl(id), mime_type: "audio/mpeg" },
      }),
    },
    {
      name: "document (filename, caption)",
      bytes: PDF,
      body: () => ({
        type: "document",
        document: {
          data: PDF.toString("base64"),
          mime_type: "application/pdf",
          filename: "invoice-42.pdf",
          caption: "My invoice",
        },
      }),
      want: (id) => ({
        infobip: { type: "DOCUMENT", url: infobipUrl(id), caption: "My invoice" },
        meta: {
          type: "document",
          document: {
            caption: "My invoice",
            filename: "invoice-42.pdf",
            mime_type: "application/pdf",
            sha256: sha256(PDF),
            id,
          },
        },
        sinch: {
          type: "document",
          url: sinchUrl(id),
          mime_type: "application/pdf",
          caption: "My invoice",
          filename: "invoice-42.pdf",
        },
      }),
    },
    {
      name: "animated sticker",
      bytes: WEBP,
      body: () => ({
        type: "sticker",
        sticker: { data: WEBP.toString("base64"), mime_type: "image/webp", animated: true },
      }),
      want: (id) => ({
        infobip: { type: "STICKER", url: infobipUrl(id) },
        meta: {
          type: "sticker",
          sticker: { mime_type: "image/webp", sha256: sha256(WEBP), id, animated: true },
        },
        sinch: { type: "sticker", url: sinchUrl(id), mime_type: "image/webp" },
      }),
    },
    {
      name: "location",
      body: () => ({
        type: "location",
        location: {
          latitude: 53.7996,
          longitude: -1.5491,
          name: "Leeds Station",
          address: "New Station St",
          url: "https://maps.example/ls1",
        },
      }),
      want: () => {
        const place = {
          latitude: 53.7996,
          longitude: -1.5491,
          name: "Leeds Station",
          address: "New Station St",
          url: "https://maps.example/ls1",
        };
        return {
          infobip: { type: "LOCATION", ...place },
          meta: { type: "location", location: place },
          sinch: { type: "location", ...place },
        };
      },
    },
    {
      name: "contacts",
      body: () => ({
        type: "contacts",
        contacts: [
          {
            name: { formatted_name: "Ann Lee", first_name: "Ann", last_name: "Lee" },
            phones: [{ phone: "+44 7700 900456", type: "CELL", wa_id: "447700900456" }],
            emails: [{ email: "ann@example.com", type: "WORK" }],
            org: { company: "Acme" },
          },
        ],
      }),
      want: () => ({
        infobip: {
          type: "CONTACT",
          contacts: [
            {
              name: { formattedName: "Ann Lee", firstName: "Ann", lastName: "Lee" },
              phones: [{ phone: "+44 7700 900456", type: "CELL", waId: "447700900456" }],
              emails: [{ email: "ann@example.com", type: "WORK" }],
              org: { company: "Acme" },
            },
          ],
        },
        meta: {
          type: "contacts",
          contacts: [
            {
              name: { formatted_name: "Ann Lee", first_name: "Ann", last_name: "Lee" },
              phones: [{ phone: "+44 7700 900456", type: "CELL", wa_id: "447700900456" }],
              emails: [{ email: "ann@example.com", type: "WORK" }],
              org: { company: "Acme" },
            },
          ],
        },
        sinch: {
          type: "contacts",
          contacts: [
            {
              name: { formatted_name: "Ann Lee", first_name: "Ann", last_name: "Lee" },
              phones: [{ phone: "+44 7700 900456", type: "CELL", wa_id: "447700900456" }],
              emails: [{ email: "ann@example.com", type: "WORK" }],
              org: { company: "Acme" },
            },
          ],
        },
      }),
    },
    {
      name: "template quick reply",
      reply: true,
      body: () => ({
        context: { message_id: outbound },
        type: "button",
        button: { payload: "stop-promos", text: "Stop promotions" },
      }),
      want: () => ({
        infobip: { type: "BUTTON", text: "Stop promotions", payload: "stop-promos" },
        meta: { type: "button", button: { payload: "stop-promos", text: "Stop promotions" } },
        sinch: { type: "button", text: "Stop promotions", payload: "stop-promos" },
      }),
    },
    {
      name: "reply button",
      reply: true,
      body: () => ({
        context: { message_id: outbound },
        type: "interactive",
        interactive: { type: "button_reply", button_reply: { id: "yes", title: "Yes" } },
      }),
      want: () => ({
        infobip: { type: "INTERACTIVE_BUTTON_REPLY", id: "yes", title: "Yes" },
        meta: {
          type: "interactive",
          interactive: { type: "button_reply", button_reply: { id: "yes", title: "Yes" } },
        },
        sinch: { type: "interactive", message: { type: "button", id: "yes", title: "Yes" } },
      }),
    },
    {
      name: "list row",
      reply: true,
      body: () => ({
        context: { message_id: outbound },
        type: "interactive",
        interactive: {
          type: "list_reply",
          list_reply: { id: "pm", title: "Afternoon", description: "2-6 pm" },
        },
      }),
      want: () => ({
        infobip: { type: "INTERACTIVE_LIST_REPLY", id: "pm", title: "Afternoon", description: "2-6 pm" },
        meta: {
          type: "interactive",
          interactive: {
            type: "list_reply",
            list_reply: { id: "pm", title: "Afternoon", description: "2-6 pm" },
          },
        },
        sinch: {
          type: "interactive",
          message: { type: "list", id: "pm", title: "Afternoon", description: "2-6 pm" },
        },
      }),
    },
    {
      name: "flow reply",
      reply: true,
      body: () => ({
        context: { message_id: outbound },
        type: "interactive",
        interactive: {
          type: "nfm_reply",
          nfm_reply: { name: "flow", body: "Sent", response_json: '{"flow_token":"t-1","size":"M"}' },
        },
      }),
      want: () => ({
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
      }),
    },
    {
      name: "order",
      body: () => ({
        type: "order",
        order: {
          catalog_id: "cat-9",
          text: "Please deliver",
          product_items: [{ product_retailer_id: "sku-1", quantity: 2, item_price: 12.5, currency: "EUR" }],
        },
      }),
      want: () => ({
        infobip: {
          type: "ORDER",
          catalogId: "cat-9",
          text: "Please deliver",
          productItems: [{ productRetailerId: "sku-1", quantity: 2, itemPrice: 12.5, currency: "EUR" }],
        },
        meta: {
          type: "order",
          order: {
            catalog_id: "cat-9",
            text: "Please deliver",
            product_items: [{ product_retailer_id: "sku-1", quantity: 2, item_price: 12.5, currency: "EUR" }],
          },
        },
        sinch: {
          type: "order",
          catalog_id: "cat-9",
          text: "Please deliver",
          product_items: [{ product_retailer_id: "sku-1", quantity: 2, item_price: 12.5, currency: "EUR" }],
        },
      }),
    },
    {
      name: "reaction",
      body: () => ({ type: "reaction", reaction: { message_id: outbound, emoji: "👍" } }),
      want: () => ({
        infobip: { type: "REACTION", emoji: "👍", action: "ADDED", context: { id: outbound } },
        meta: { type: "reaction", reaction: { message_id: outbound, emoji: "👍" } },
        sinch: {
          type: "error",
          details: `The user reacted 👍 to message ${outbound}; the Sinch WhatsApp API v1 has no notification for it.`,
        },
      }),
    },
    {
      name: "reaction removed",
      body: () => ({ type: "reaction", reaction: { message_id: outbound, emoji: "" } }),
      want: () => ({
        infobip: { type: "REACTION", action: "REMOVED", context: { id: outbound } },
        meta: { type: "reaction", reaction: { message_id: outbound } },
        sinch: {
          type: "error",
          details: `The user removed their reaction to message ${outbound}; the Sinch WhatsApp API v1 has no notification for it.`,
        },
      }),
    },
    {
      name: "unsupported",
      body: () => ({ type: "unsupported" }),
      want: () => ({
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
      }),
    },
  ];

  for (const c of cases) {
    it(`${c.name}: each receiver gets it in its dialect's words`, async (t) => {
      const id = await userSends(server, user, c.body());
      const posts = await postsFor(hooks, id);
      const m = metaMessage(posts);
      const mediaId = c.bytes ? String(m[m.type]?.id) : "";
      if (c.bytes) assert.match(mediaId, /^\d+$/, "Meta gives the media as a numeric id");
      const quote = { context: { from: SENDER, id: outbound } };
      const want = expected(
        user,
        id,
        receivedAt(posts),
        c.want(mediaId),
        c.reply
          ? {
              infobip: quote,
              infobipResult: { pairedMessageId: outbound },
              meta: quote,
              sinch: { replying_to: { from: SENDER, message_id: outbound } },
            }
          : {},
      );
      assert.deepEqual(posts.infobip.body, want.infobip, "Infobip");
      assert.deepEqual(posts.meta.body, want.meta, "Meta");
      assert.deepEqual(posts.sinch.body, want.sinch, "Sinch");
      if (c.bytes) {
        // The address each dialect gives leads to the user's bytes.
        assert.equal(sha256((await raw(infobipUrl(mediaId), "GET", APP)).bytes), sha256(c.bytes));
        assert.equal(sha256((await raw(sinchUrl(mediaId), "GET", BEARER)).bytes), sha256(c.bytes));
      }
      await assertContracts(t, posts);
      await checkContract(t, "infobip", (k) => {
        // The keys of Infobip's own example for this type (OpenBSP adds none).
        const examples = Object.values(k.webhookExamples("receive-inbound-whatsapp-messages")) as {
          results: { message: Body }[];
        }[];
        const example = examples
          .map((e) => e.results[0]?.message)
          .find((x) => x !== undefined && x.type === c.want(mediaId).infobip.type && !("referral" in x));
        if (!example)
          return assert.equal(c.want(mediaId).infobip.type, "UNSUPPORTED", "only UNSUPPORTED has no example");
        // \`context\` is the schema's own field on every type, whichever example shows it.
        for (const key of Object.keys(infobipMessage(posts)).filter((k) => k !== "context"))
          assert.ok(key in example, `${key} is in Infobip's example`);
      });
    });
  }

  it("a quote of the user's own message names the user in each dialect's context, and Infobip pairs nothing", async (t) => {
    const first = await userSends(server, user, { type: "text", text: { body: "Order 42" } });
    const again = await userSends(server, user, {
      type: "text",
      text: { body: "Any news?" },
      context: { message_id: first },
    });
    const posts = await postsFor(hooks, again);
    const want = expected(
      user,
      again,
      receivedAt(posts),
      {
        infobip: { type: "TEXT", text: "Any news?" },
        meta: { type: "text", text: { body: "Any news?" } },
        sinch: { type: "text", body: "Any news?" },
      },
      {
        infobip: { context: { from: user, id: first } },
        meta: { context: { from: user, id: first } },
        sinch: { replying_to: { from: user, message_id: first } },
      },
    );
    assert.deepEqual(posts.infobip.body, want.infobip);
    assert.deepEqual(posts.meta.body, want.meta);
    assert.deepEqual(posts.sinch.body, want.sinch);
    await assertContracts(t, posts);
  });

  it("an address message out (Meta) and the user's address answer in, as a flow reply in each dialect", async (t) => {
    const india = "919876500011";
    await userSends(server, india, { type: "text", text: { body: "Deliver please" } });
    const sent = await metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/messages`, {
      messaging_product: "whatsapp",
      to: `+${india}`,
      type: "interactive",
      interactive: {
        type: "address_message",
        body: { text: "Where shall we deliver?" },
        action: { name: "address_message", parameters: { country: "IN" } },
      },
    });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const asked = sent.body.messages[0].id;
    const got = await onPhone(server, india, asked);
    assert.equal(got.content.type, "interactive_address");
    const typed = {
      name: "Asha Rao",
      phone_number: "+919876500011",
      in_pin_code: "400063",
      house_number: "12",
      address: "IB Patel Rd",
      city: "Mumbai",
    };
    const answer = await request(server.url, "POST", `/sandbox/phones/${india}/replies`, {
      messageId: asked,
      address: typed,
    });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    const posts = await postsFor(hooks, answer.body.messageId);
    const body = "Asha Rao\n+919876500011\n400063, 12, IB Patel Rd, Mumbai";
    const json = JSON.stringify({ values: typed });
    assert.deepEqual(infobipMessage(posts), {
      type: "INTERACTIVE_FLOW_REPLY",
      text: body,
      response: { values: typed },
      context: { from: SENDER, id: asked },
    });
    assert.equal(posts.infobip.body.results[0].pairedMessageId, asked);
    const meta = metaMessage(posts);
    assert.deepEqual(meta.context, { from: SENDER, id: asked });
    assert.deepEqual(meta.interactive, {
      type: "nfm_reply",
      nfm_reply: { name: "address_message", body, response_json: json },
    });
    assert.deepEqual(sinchNotification(posts).message, {
      type: "error",
      details: `The user completed a flow (address_message) with: ${json}; the Sinch WhatsApp API v1 has no notification for it.`,
    });
    assert.deepEqual(sinchNotification(posts).replying_to, { from: SENDER, message_id: asked });
    await assertContracts(t, posts);
  });

  it("the media round trip: Infobip's URL gives the bytes, HEAD the headers, DELETE makes it 404 on every face", async () => {
    const id = await userSends(server, user, {
      type: "image",
      image: { data: JPEG.toString("base64"), mime_type: "image/jpeg" },
    });
    const posts = await postsFor(hooks, id);
    const url = infobipMessage(posts).url;
    const got = await raw(url, "GET", APP);
    assert.equal(got.status, 200);
    assert.equal(sha256(got.bytes), sha256(JPEG), "the bytes the user sent");
    assert.equal(got.headers.get("content-type"), "image/jpeg");
    const head = await raw(url, "HEAD", APP);
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), String(JPEG.length));
    assert.equal(head.bytes.length, 0);

    // Meta: the id in its webhook, two hops to the same bytes.
    const mediaId = metaMessage(posts).image.id;
    const info = await metaCall(server.url, "GET", `/v23.0/${mediaId}`);
    assert.equal(info.status, 200, JSON.stringify(info.body));
    assert.equal(info.body.sha256, metaMessage(posts).image.sha256);
    assert.equal(sha256((await raw(info.body.url, "GET", BEARER)).bytes), sha256(JPEG));
    // Sinch: its URL, the same bytes.
    const sinchMedia = await raw(sinchNotification(posts).message.url, "GET", BEARER);
    assert.equal(sha256(sinchMedia.bytes), sha256(JPEG));

    const deleted = await server.call("DELETE", `/whatsapp/1/senders/${SENDER}/media`, { url });
    assert.equal(deleted.status, 204);
    assert.equal((await raw(url, "GET", APP)).status, 404);
    assert.equal((await raw(url, "HEAD", APP)).status, 404);
    assert.equal((await metaCall(server.url, "GET", `/v23.0/${mediaId}`)).body.error.code, 100);
    assert.equal((await raw(info.body.url, "GET", BEARER)).status, 404);
    assert.equal((await raw(sinchNotification(posts).message.url, "GET", BEARER)).status, 404);
  });

  it("another account cannot read the media the user sent, on any face", async () => {
    const other = await seedOtherAccount(server, 7);
    const id = await userSends(server, user, {
      type: "document",
      document: { data: PDF.toString("base64"), mime_type: "application/pdf", filename: "a.pdf" },
    });
    const posts = await postsFor(hooks, id);
    const url = infobipMessage(posts).url;
    const mediaId = metaMessage(posts).document.id;
    const sinchUrl = sinchNotification(posts).message.url;
    assert.equal((await raw(url, "GET", `App ${other.apiKey}`)).status, 403, "not their sender");
    assert.equal(
      (
        await raw(
          `${server.url}/whatsapp/1/senders/${other.sender}/media/${mediaId}`,
          "GET",
          `App ${other.apiKey}`,
        )
      ).status,
      404,
    );
    assert.equal(
      (await metaCall(server.url, "GET", `/v23.0/${mediaId}`, undefined, other.apiKey)).body.error.code,
      100,
    );
    assert.equal((await raw(sinchUrl, "GET", `Bearer ${other.apiKey}`)).status, 401, "not their bot");
    assert.equal(
      (
        await raw(
          `${server.url}/whatsapp/v1/${other.sinchBotId}/media/${mediaId}`,
          "GET",
          `Bearer ${other.apiKey}`,
        )
      ).status,
      404,
    );
    assert.ok((await raw(url, "GET", APP)).bytes.equals(PDF), "the owner still reads it");
  });
});

describe("quotes and expiry on a moved clock, in each dialect", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const user = "447700960101";
  const advance = async (ms: number) =>
    assert.equal((await server.call("POST", "/sandbox/clock/advance", { ms })).status, 200);

  before(async () => {
    await hooks.start();
    server = await startAll(hooks);
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  it("a quote of a 3-day-old outbound message names it and its sender; of a 5-day-old one, the id alone (Infobip) or the business (Meta, Sinch)", async (t) => {
    const outbound = await templateOut(server, user, "shop-offer-1");
    await advance(3 * DAY);
    const recent = await userSends(server, user, {
      type: "text",
      text: { body: "Still on?" },
      context: { message_id: outbound },
    });
    const matched = await postsFor(hooks, recent);
    const text = (s: string) => ({
      infobip: { type: "TEXT", text: s },
      meta: { type: "text", text: { body: s } },
      sinch: { type: "text", body: s },
    });
    const want3 = expected(user, recent, receivedAt(matched), text("Still on?"), {
      infobip: { context: { from: SENDER, id: outbound } },
      infobipResult: { pairedMessageId: outbound },
      meta: { context: { from: SENDER, id: outbound } },
      sinch: { replying_to: { from: SENDER, message_id: outbound } },
    });
    assert.deepEqual(matched.infobip.body, want3.infobip);
    assert.deepEqual(matched.meta.body, want3.meta);
    assert.deepEqual(matched.sinch.body, want3.sinch);

    await advance(2 * DAY);
    const late = await userSends(server, user, {
      type: "text",
      text: { body: "And now?" },
      context: { message_id: outbound },
    });
    const unmatched = await postsFor(hooks, late);
    const want5 = expected(user, late, receivedAt(unmatched), text("And now?"), {
      infobip: { context: { id: outbound } },
      meta: { context: { from: SENDER, id: outbound } },
      sinch: { replying_to: { from: SENDER, message_id: outbound } },
    });
    assert.deepEqual(unmatched.infobip.body, want5.infobip);
    assert.deepEqual(unmatched.meta.body, want5.meta);
    assert.deepEqual(unmatched.sinch.body, want5.sinch);
    await assertContracts(t, matched, unmatched);
  });

  it("the user's media is served for 30 days of the sandbox clock, then is a 404 on every face", async () => {
    const id = await userSends(server, user, {
      type: "image",
      image: { data: JPEG.toString("base64"), mime_type: "image/jpeg" },
    });
    const posts = await postsFor(hooks, id);
    const url = infobipMessage(posts).url;
    const mediaId = metaMessage(posts).image.id;
    const sinchUrl = sinchNotification(posts).message.url;
    await advance(30 * DAY - 60_000);
    assert.equal((await raw(url, "GET", APP)).status, 200, "a minute before 30 days");
    assert.equal((await metaCall(server.url, "GET", `/v23.0/${mediaId}`)).status, 200);
    assert.equal((await raw(sinchUrl, "GET", BEARER)).status, 200);
    await advance(60_000);
    const gone = await server.call("GET", new URL(url).pathname);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.requestError.serviceException.messageId, "NOT_FOUND");
    assert.equal((await metaCall(server.url, "GET", `/v23.0/${mediaId}`)).body.error.code, 100);
    assert.equal((await raw(sinchUrl, "GET", BEARER)).status, 404);
  });
});

describe("a conversation played end to end in each dialect", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const photo = {
    type: "image",
    image: { data: JPEG.toString("base64"), mime_type: "image/jpeg", caption: "The dent" },
  };
  const place = {
    type: "location",
    location: { latitude: 51.5072, longitude: -0.1276, name: "Shop", address: "1 Main St" },
  };
  const sentByUser = async (user: string, id: string) =>
    (await request(server.url, "GET", `/sandbox/phones/${user}/messages`)).body.sent.find(
      (m: { messageId: string }) => m.messageId === id,
    );
  const on = (path: string, has: (b: Received["body"]) => boolean, what: string) =>
    eventually(() => hooks.on(path).find((r) => has(r.body)), 5000, what);

  before(async () => {
    await hooks.start();
    server = await startAll(hooks);
  });
  after(async () => {
    await server.close();
    await hooks.stop();
  });

  it("Infobip: template out, photo and location in, read receipt, a quoted reply, media downloaded and deleted", async () => {
    const user = "447700960201";
    const template = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [welcome(user, { messageId: "ib-welcome" })],
    });
    assert.equal(template.status, 200, JSON.stringify(template.body));
    await onPhone(server, user, "ib-welcome");

    const photoId = await userSends(server, user, photo);
    const placeId = await userSends(server, user, place);
    const inbound = (id: string) =>
      on("/infobip", (b) => b.results?.[0]?.messageId === id, `${id} on Infobip's receiver`);
    const image = (await inbound(photoId)).body.results[0].message;
    assert.equal(image.type, "IMAGE");
    assert.equal(image.caption, "The dent");
    assert.deepEqual((await inbound(placeId)).body.results[0].message, {
      type: "LOCATION",
      latitude: 51.5072,
      longitude: -0.1276,
      name: "Shop",
      address: "1 Main St",
    });

    const read = await server.call("POST", `/whatsapp/1/senders/${SENDER}/message/${placeId}/read`);
    assert.equal(read.status, 204, JSON.stringify(read.body));
    assert.ok((await sentByUser(user, photoId)).readByBusinessAt, "the photo shows read");
    assert.ok((await sentByUser(user, placeId)).readByBusinessAt, "the location shows read");

    const quoteId = await userSends(server, user, {
      type: "text",
      text: { body: "Is the welcome offer still on?" },
      context: { message_id: "ib-welcome" },
    });
    const quoted = (await inbound(quoteId)).body.results[0];
    assert.deepEqual(quoted.message, {
      type: "TEXT",
      text: "Is the welcome offer still on?",
      context: { from: SENDER, id: "ib-welcome" },
    });
    assert.equal(quoted.pairedMessageId, "ib-welcome");

    const got = await raw(image.url, "GET", APP);
    assert.equal(got.status, 200);
    assert.equal(sha256(got.bytes), sha256(JPEG));
    assert.equal(
      (await server.call("DELETE", `/whatsapp/1/senders/${SENDER}/media`, { url: image.url })).status,
      204,
    );
    assert.equal((await raw(image.url, "GET", APP)).status, 404);
  });

  it("Meta: template out, photo and location in, read receipt, a quoted reply, media downloaded and deleted", async () => {
    const user = "447700960202";
    const send = (body: Body) =>
      metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/messages`, { messaging_product: "whatsapp", ...body });
    const template = await send({
      to: user,
      type: "template",
      template: {
        name: "welcome",
        language: { code: "en" },
        components: [{ type: "body", parameters: [{ type: "text", text: "Ann" }] }],
      },
    });
    assert.equal(template.status, 200, JSON.stringify(template.body));
    const welcomeId = template.body.messages[0].id;
    await onPhone(server, user, welcomeId);

    const photoId = await userSends(server, user, photo);
    const placeId = await userSends(server, user, place);
    const inbound = async (id: string) =>
      (
        await on(
          "/meta",
          (b) => b.entry?.[0]?.changes?.[0]?.value?.messages?.[0]?.id === id,
          `${id} on Meta's webhook`,
        )
      ).body.entry[0].changes[0].value.messages[0];
    const image = (await inbound(photoId)).image;
    assert.deepEqual(Object.keys(image).sort(), ["caption", "id", "mime_type", "sha256"], "an id, no URL");
    assert.deepEqual((await inbound(placeId)).location, {
      latitude: 51.5072,
      longitude: -0.1276,
      name: "Shop",
      address: "1 Main St",
    });

    const read = await send({ status: "read", message_id: placeId });
    assert.deepEqual(read.body, { success: true });
    assert.ok((await sentByUser(user, placeId)).readByBusinessAt);

    const quoteId = await userSends(server, user, {
      type: "text",
      text: { body: "Is the welcome offer still on?" },
      context: { message_id: welcomeId },
    });
    const quoted = await inbound(quoteId);
    assert.deepEqual(quoted.context, { from: SENDER, id: welcomeId });
    assert.deepEqual(quoted.text, { body: "Is the welcome offer still on?" });

    const info = await metaCall(server.url, "GET", `/v23.0/${image.id}`);
    assert.equal(info.status, 200, JSON.stringify(info.body));
    assert.equal(info.body.mime_type, "image/jpeg");
    const got = await raw(info.body.url, "GET", BEARER);
    assert.equal(sha256(got.bytes), sha256(JPEG));
    assert.deepEqual((await metaCall(server.url, "DELETE", `/v23.0/${image.id}`)).body, { success: true });
    assert.equal((await metaCall(server.url, "GET", `/v23.0/${image.id}`)).body.error.code, 100);
    assert.equal((await raw(info.body.url, "GET", BEARER)).status, 404);
  });

  it("Sinch: template out, photo and location in, read receipt, a quoted reply, media downloaded (Sinch v1 has no delete: it expires)", async () => {
    const user = "447700960203";
    const sinch = (path: string, body: unknown) =>
      request(server.url, "POST", `/whatsapp/v1/${BOT}${path}`, body, { authorization: BEARER });
    const template = await sinch("/messages", {
      to: [user],
      message: { type: "template", template_name: "welcome", language: "en", body_params: ["Ann"] },
    });
    assert.equal(template.status, 201, JSON.stringify(template.body));
    const welcomeId = template.body.statuses[0].message_id;
    await onPhone(server, user, welcomeId);

    const photoId = await userSends(server, user, photo);
    const placeId = await userSends(server, user, place);
    const inbound = async (id: string) =>
      (await on("/sinch", (b) => b.notifications?.[0]?.message_id === id, `${id} on Sinch's callback`)).body
        .notifications[0];
    const image = (await inbound(photoId)).message;
    assert.equal(image.type, "image");
    assert.equal(image.caption, "The dent");
    assert.deepEqual((await inbound(placeId)).message, {
      type: "location",
      latitude: 51.5072,
      longitude: -0.1276,
      name: "Shop",
      address: "1 Main St",
    });

    const read = await sinch("/events", { type: "read", message_id: placeId });
    assert.equal(read.status, 201, JSON.stringify(read.body));
    assert.ok((await sentByUser(user, placeId)).readByBusinessAt);

    const quoteId = await userSends(server, user, {
      type: "text",
      text: { body: "Is the welcome offer still on?" },
      context: { message_id: welcomeId },
    });
    const quoted = await inbound(quoteId);
    assert.deepEqual(quoted.replying_to, { from: SENDER, message_id: welcomeId });
    assert.deepEqual(quoted.message, { type: "text", body: "Is the welcome offer still on?" });

    const got = await raw(image.url, "GET", BEARER);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get("content-type"), "image/jpeg");
    assert.equal(sha256(got.bytes), sha256(JPEG));
  });
});

describe("stopping after a media download", () => {
  it("OpenBSP stops at once after a client downloaded a user's media (no 72 s wait on the kept-alive connection)", async () => {
    const server = await startServer({ OPENBSP_SINCH_BOT_ID: BOT });
    let closed = false;
    try {
      const id = await userSends(server, "447700960301", {
        type: "image",
        image: { data: JPEG.toString("base64"), mime_type: "image/jpeg" },
      });
      const stored = await server.ctx.storage.conversations.findInbound(id);
      assert.ok(stored?.content.type === "image", "stored as an image");
      const mediaId = stored.content.media.id;
      const got = await raw(`${server.url}/whatsapp/1/senders/${SENDER}/media/${mediaId}`, "GET", APP);
      assert.equal(sha256(got.bytes), sha256(JPEG));
      const started = Date.now();
      await server.close();
      closed = true;
      assert.ok(Date.now() - started < 5000, `stopped in ${Date.now() - started} ms`);
    } finally {
      if (!closed) await server.close();
    }
  });
});
