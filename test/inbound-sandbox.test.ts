/**
 * The simulated user sends every type a WhatsApp user can (issue #10, item 1), in the shape of
 * Meta's inbound message object: each is accepted (202 and its id), stored as the core's content,
 * and opens the user's 24-hour window; media by data or link is kept by OpenBSP and downloadable
 * through Meta's two hops with the same sha256; reactions and quotes name messages of the chat;
 * every wrong body is a 400 naming its field. Webhook wording is another part's (the faces word
 * these types as unsupported until then), so the stored message is read through the store port.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SEED } from "../src/app/seed.ts";
import type { InboundContent } from "../src/core/inbound.ts";
import { API_KEY, SENDER, startServer, type TestServer, welcome } from "./support/harness.ts";
import { bytes, MediaServer, sha256 } from "./support/media-server.ts";
import { metaCall } from "./support/meta.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const DAY_MS = 86_400_000;
const PNG = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), bytes(3000, "p")]);
const OGG = Buffer.concat([Buffer.from("OggS"), bytes(4000, "o")]);
const MP4 = bytes(9000, "v");
const PDF = Buffer.concat([Buffer.from("%PDF-1.4\n"), bytes(5000, "d")]);
/** A WebP whose VP8X header sets the animation flag. */
const ANIMATED_WEBP = Buffer.concat([
  Buffer.from("RIFF"),
  Buffer.from([0, 0, 0, 0]),
  Buffer.from("WEBPVP8X"),
  Buffer.from([10, 0, 0, 0, 0x02]),
  bytes(150_000, "w"),
]);

let seq = 0;
/** A fresh user number per case, so windows and chats do not mix. */
const newUser = () => `4477009400${String(++seq).padStart(2, "0")}`;

describe("the simulated user sends every inbound type", () => {
  let server: TestServer;
  const hooks = new WebhookReceiver();
  const media = new MediaServer();

  before(async () => {
    await hooks.start();
    await media.start();
    server = await startServer({
      OPENBSP_DELIVERY_URL: `${hooks.url}/dlr`,
      OPENBSP_INBOUND_URL: `${hooks.url}/in`,
    });
  });
  after(async () => {
    await server.close();
    await hooks.stop();
    await media.stop();
  });

  const post = (user: string, body: Record<string, unknown>) =>
    server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, ...body });

  async function sends(user: string, body: Record<string, unknown>): Promise<string> {
    const res = await post(user, body);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(typeof res.body.messageId, "string");
    return res.body.messageId;
  }

  async function stored(messageId: string) {
    const message = await server.ctx.storage.conversations.findInbound(messageId);
    assert.ok(message, `inbound ${messageId} is stored`);
    return message;
  }

  /** The outcome of a free-form text to `user`: delivered inside the window, EC_NO_SESSION outside it. */
  async function freeFormOutcome(user: string) {
    const res = await server.call("POST", "/whatsapp/1/message/text", {
      from: SENDER,
      to: user,
      content: { text: "Thanks!" },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const id = res.body.messageId;
    return hooks.waitForResult("/dlr", (r) => r.messageId === id && r.status.groupName !== "PENDING");
  }

  async function windowIsOpen(user: string) {
    const dlr = await freeFormOutcome(user);
    assert.equal(
      dlr.status.groupName,
      "DELIVERED",
      `a free-form text reaches ${user}: ${JSON.stringify(dlr)}`,
    );
  }

  /** Sends the `welcome` template (no window needed) and answers its id. */
  async function businessSends(user: string): Promise<string> {
    const res = await server.call("POST", "/whatsapp/1/message/template", { messages: [welcome(user)] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.messages[0].messageId;
  }

  async function expectProblem(user: string, body: Record<string, unknown>, field: string, what = field) {
    const res = await post(user, body);
    assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.field, field, `${what}: ${JSON.stringify(res.body)}`);
    assert.ok(String(res.body.error).startsWith(field), res.body.error);
  }

  it("a user who has not written gets no free-form text (the window checks below can fail)", async () => {
    const dlr = await freeFormOutcome(newUser());
    assert.equal(dlr.error.name, "EC_NO_SESSION");
  });

  const cases: { name: string; body: Record<string, unknown>; content: InboundContent }[] = [
    {
      name: "text",
      body: { type: "text", text: { body: "Hello there" } },
      content: { type: "text", text: "Hello there" },
    },
    {
      name: "location",
      body: {
        type: "location",
        location: {
          latitude: 51.5072,
          longitude: -0.1276,
          name: "Office",
          address: "1 Main St",
          url: "https://example.com/office",
        },
      },
      content: {
        type: "location",
        latitude: 51.5072,
        longitude: -0.1276,
        name: "Office",
        address: "1 Main St",
        url: "https://example.com/office",
      },
    },
    {
      name: "contacts",
      body: {
        type: "contacts",
        contacts: [
          {
            name: { formatted_name: "John Smith", first_name: "John", last_name: "Smith" },
            phones: [{ phone: "+44 7700 900123", type: "CELL", wa_id: "447700900123" }],
            emails: [{ email: "john@example.com", type: "WORK" }],
            org: { company: "Acme" },
          },
        ],
      },
      content: {
        type: "contacts",
        contacts: [
          {
            name: { formattedName: "John Smith", firstName: "John", lastName: "Smith" },
            phones: [{ phone: "+44 7700 900123", type: "CELL", waId: "447700900123" }],
            emails: [{ email: "john@example.com", type: "WORK" }],
            org: { company: "Acme" },
          },
        ],
      },
    },
    {
      name: "button",
      body: { type: "button", button: { payload: "STOP", text: "Stop promotions" } },
      content: { type: "button", text: "Stop promotions", payload: "STOP" },
    },
    {
      name: "interactive button_reply",
      body: {
        type: "interactive",
        interactive: { type: "button_reply", button_reply: { id: "yes", title: "Yes" } },
      },
      content: { type: "button_reply", id: "yes", title: "Yes" },
    },
    {
      name: "interactive list_reply",
      body: {
        type: "interactive",
        interactive: { type: "list_reply", list_reply: { id: "r1", title: "Red", description: "A red one" } },
      },
      content: { type: "list_reply", id: "r1", title: "Red", description: "A red one" },
    },
    {
      name: "interactive nfm_reply",
      body: {
        type: "interactive",
        interactive: {
          type: "nfm_reply",
          nfm_reply: { response_json: '{"flow_token":"t1","rating":"5"}', body: "Sent", name: "flow" },
        },
      },
      content: {
        type: "flow_reply",
        name: "flow",
        body: "Sent",
        responseJson: '{"flow_token":"t1","rating":"5"}',
      },
    },
    {
      name: "order",
      body: {
        type: "order",
        order: {
          catalog_id: "cat-1",
          text: "Please deliver",
          product_items: [{ product_retailer_id: "sku-1", quantity: 2, item_price: 12.5, currency: "EUR" }],
        },
      },
      content: {
        type: "order",
        catalogId: "cat-1",
        text: "Please deliver",
        items: [{ productRetailerId: "sku-1", quantity: 2, itemPrice: 12.5, currency: "EUR" }],
      },
    },
    { name: "unsupported", body: { type: "unsupported" }, content: { type: "unsupported" } },
  ];

  for (const c of cases) {
    it(`${c.name}: accepted, stored as the core's content, and it opens the window`, async () => {
      const user = newUser();
      const id = await sends(user, { ...c.body, contactName: "Ann" });
      const message = await stored(id);
      assert.deepEqual(message.content, c.content);
      assert.equal(message.from, user);
      assert.equal(message.to, SENDER);
      assert.equal(message.contactName, "Ann");
      await windowIsOpen(user);
    });
  }

  it("the client's own message id is kept, and used twice is a 409", async () => {
    const user = newUser();
    assert.equal(
      await sends(user, { type: "text", text: { body: "a" }, messageId: "wamid.own-1" }),
      "wamid.own-1",
    );
    const again = await post(user, {
      type: "location",
      location: { latitude: 1, longitude: 2 },
      messageId: "wamid.own-1",
    });
    assert.equal(again.status, 409);
  });

  /** The media record and the bytes through Meta's `GET /{media-id}` → url → bytes, with the Bearer token. */
  async function downloaded(id: string) {
    const info = await metaCall(server.url, "GET", `/v23.0/${id}`);
    assert.equal(info.status, 200, JSON.stringify(info.body));
    const bytesRes = await fetch(info.body.url, { headers: { authorization: `Bearer ${API_KEY}` } });
    assert.equal(bytesRes.status, 200);
    return { info: info.body, bytes: Buffer.from(await bytesRes.arrayBuffer()) };
  }

  const mediaCases: {
    name: string;
    body: (link: (path: string, type: string, b: Buffer) => string) => Record<string, unknown>;
    bytes: Buffer;
    mimeType: string;
    content: (m: Record<string, unknown>) => InboundContent;
  }[] = [
    {
      name: "image as base64 data, with a caption",
      body: () => ({
        type: "image",
        image: { data: PNG.toString("base64"), mime_type: "image/png", caption: "My receipt" },
      }),
      bytes: PNG,
      mimeType: "image/png",
      content: (m) => ({ type: "image", media: { ...m, caption: "My receipt" } as never }),
    },
    {
      name: "video by link",
      body: (link) => ({
        type: "video",
        video: { link: link("/clip.mp4", "video/mp4", MP4), caption: "Look" },
      }),
      bytes: MP4,
      mimeType: "video/mp4",
      content: (m) => ({ type: "video", media: { ...m, caption: "Look" } as never }),
    },
    {
      name: "audio as a voice note (data)",
      body: () => ({
        type: "audio",
        audio: { data: OGG.toString("base64"), mime_type: "audio/ogg", voice: true },
      }),
      bytes: OGG,
      mimeType: "audio/ogg",
      content: (m) => ({ type: "audio", media: m as never, voice: true }),
    },
    {
      name: "document by link, with its filename",
      body: (link) => ({
        type: "document",
        document: {
          link: link("/invoice", "application/pdf", PDF),
          filename: "invoice.pdf",
          caption: "Invoice",
        },
      }),
      bytes: PDF,
      mimeType: "application/pdf",
      content: (m) => ({
        type: "document",
        media: { ...m, caption: "Invoice", filename: "invoice.pdf" } as never,
      }),
    },
    {
      name: "animated sticker (data, larger than a static one may be)",
      body: () => ({
        type: "sticker",
        sticker: { data: ANIMATED_WEBP.toString("base64"), mime_type: "image/webp", animated: true },
      }),
      bytes: ANIMATED_WEBP,
      mimeType: "image/webp",
      content: (m) => ({ type: "sticker", media: m as never, animated: true }),
    },
  ];

  for (const c of mediaCases) {
    it(`${c.name}: stored by OpenBSP as the user's, downloadable with the same sha256, and it opens the window`, async () => {
      const user = newUser();
      const id = await sends(
        user,
        c.body((path, type, b) => media.put(path, type, b)),
      );
      const message = await stored(id);
      const m = (message.content as { media: { id: string } }).media;
      assert.match(m.id, /^\d+$/, "numeric media ids, like Meta's");
      assert.deepEqual(
        message.content,
        c.content({ id: m.id, mimeType: c.mimeType, sha256: sha256(c.bytes), size: c.bytes.length }),
      );
      const record = await server.ctx.storage.media.get(m.id);
      assert.deepEqual(
        record && {
          origin: record.origin,
          from: record.from,
          sender: record.sender,
          accountId: record.accountId,
          sha256: record.sha256,
        },
        { origin: "inbound", from: user, sender: SENDER, accountId: SEED.accountId, sha256: sha256(c.bytes) },
      );
      const got = await downloaded(m.id);
      assert.equal(got.info.sha256, sha256(c.bytes));
      assert.equal(got.info.mime_type, c.mimeType);
      assert.equal(sha256(got.bytes), sha256(c.bytes), "the downloaded bytes are the user's");
      await windowIsOpen(user);
    });
  }

  it("a reaction to the business's message opens the window; an empty emoji takes it away; a reaction to the user's own message", async () => {
    const user = newUser();
    const outbound = await businessSends(user);
    const id = await sends(user, { type: "reaction", reaction: { message_id: outbound, emoji: "👍" } });
    assert.deepEqual((await stored(id)).content, { type: "reaction", messageId: outbound, emoji: "👍" });
    await windowIsOpen(user);
    const removed = await sends(user, { type: "reaction", reaction: { message_id: outbound, emoji: "" } });
    assert.deepEqual((await stored(removed)).content, { type: "reaction", messageId: outbound, emoji: "" });
    const own = await sends(user, { type: "text", text: { body: "note to self" } });
    const onOwn = await sends(user, { type: "reaction", reaction: { message_id: own, emoji: "❤️" } });
    assert.deepEqual((await stored(onOwn)).content, { type: "reaction", messageId: own, emoji: "❤️" });
  });

  it("answers every wrong body with a 400 naming the field, and stores nothing for it", async () => {
    const user = newUser();
    const other = newUser();
    const othersMessage = await sends(other, { type: "text", text: { body: "mine" } });
    const toOther = await businessSends(other);
    const png = PNG.toString("base64");
    await expectProblem(user, { type: "poll" }, "type", "an unknown type");
    await expectProblem(user, { type: 7 }, "type", "a type that is no string");
    await expectProblem(user, { type: "text" }, "text", "a missing type object");
    await expectProblem(user, { type: "text", text: {} }, "text.body", "a missing field");
    await expectProblem(
      user,
      { type: "location", location: { longitude: 1 } },
      "location.latitude",
      "a missing latitude",
    );
    await expectProblem(
      user,
      { type: "location", location: { latitude: 91, longitude: 1 } },
      "location.latitude",
      "a latitude out of range",
    );
    await expectProblem(user, { type: "contacts", contacts: [] }, "contacts", "no contacts");
    await expectProblem(
      user,
      { type: "contacts", contacts: [{ name: {} }] },
      "contacts[0].name.formatted_name",
      "a contact without a name",
    );
    await expectProblem(
      user,
      { type: "button", button: { payload: "x" } },
      "button.text",
      "a button without text",
    );
    await expectProblem(
      user,
      { type: "interactive", interactive: { type: "poll" } },
      "interactive.type",
      "an unknown interactive reply",
    );
    await expectProblem(
      user,
      { type: "interactive", interactive: { type: "button_reply" } },
      "interactive.button_reply",
      "a missing reply",
    );
    await expectProblem(
      user,
      { type: "interactive", interactive: { type: "nfm_reply", nfm_reply: { response_json: "{not json" } } },
      "interactive.nfm_reply.response_json",
      "a flow reply that is no JSON",
    );
    await expectProblem(
      user,
      {
        type: "order",
        order: {
          catalog_id: "c",
          product_items: [{ product_retailer_id: "s", quantity: 0, item_price: 1, currency: "EUR" }],
        },
      },
      "order.product_items[0].quantity",
      "a quantity of 0",
    );
    await expectProblem(
      user,
      { type: "image", image: { caption: "no bytes" } },
      "image.link",
      "media without link or data",
    );
    await expectProblem(
      user,
      { type: "image", image: { data: png } },
      "image.mime_type",
      "data without its type",
    );
    await expectProblem(
      user,
      { type: "image", image: { data: "not base64!", mime_type: "image/png" } },
      "image.data",
      "data that is not base64",
    );
    await expectProblem(
      user,
      { type: "image", image: { data: png, mime_type: "application/pdf" } },
      "image.mime_type",
      "a type an image may not have",
    );
    await expectProblem(
      user,
      { type: "sticker", sticker: { data: png, mime_type: "image/png" } },
      "sticker.mime_type",
      "a sticker that is no webp",
    );
    await expectProblem(
      user,
      { type: "image", image: { link: media.put("/big.png", "image/png", bytes(5 * 1024 * 1024 + 1)) } },
      "image.link",
      "an image over 5 MB",
    );
    await expectProblem(
      user,
      {
        type: "image",
        image: { data: bytes(5 * 1024 * 1024 + 1).toString("base64"), mime_type: "image/png" },
      },
      "image.data",
      "data over 5 MB",
    );
    await expectProblem(
      user,
      { type: "sticker", sticker: { data: ANIMATED_WEBP.toString("base64"), mime_type: "image/webp" } },
      "sticker.data",
      "a static sticker over 100 KB",
    );
    await expectProblem(
      user,
      { type: "video", video: { link: media.put("/text.txt", "text/plain", "hello") } },
      "video.link",
      "a link of the wrong type",
    );
    await expectProblem(
      user,
      { type: "image", image: { link: media.url("/missing.png") } },
      "image.link",
      "a link that answers 404",
    );
    await expectProblem(
      user,
      { type: "reaction", reaction: { emoji: "👍" } },
      "reaction.message_id",
      "a reaction to nothing",
    );
    await expectProblem(
      user,
      { type: "reaction", reaction: { message_id: "wamid.nope", emoji: "👍" } },
      "reaction.message_id",
      "a reaction to an unknown message",
    );
    await expectProblem(
      user,
      { type: "reaction", reaction: { message_id: othersMessage, emoji: "👍" } },
      "reaction.message_id",
      "a reaction to another user's message",
    );
    await expectProblem(
      user,
      { type: "reaction", reaction: { message_id: toOther, emoji: "👍" } },
      "reaction.message_id",
      "a reaction to a message sent to someone else",
    );
    await expectProblem(
      user,
      { type: "text", text: { body: "re" }, context: { message_id: "wamid.nope" } },
      "context.message_id",
      "a quote of an unknown message",
    );
    await expectProblem(
      user,
      { type: "text", text: { body: "re" }, context: {} },
      "context.message_id",
      "a quote without an id",
    );

    assert.equal(
      await server.ctx.storage.conversations.inboundCount(SENDER, user),
      0,
      "no wrong body was received",
    );
    const dlr = await freeFormOutcome(user);
    assert.equal(dlr.error.name, "EC_NO_SESSION", "no wrong body opened the window");
  });

  it("keeps today's {to, text} body and answers 404 for a number that is no business sender", async () => {
    const user = newUser();
    const res = await post(user, { text: "plain" });
    assert.equal(res.status, 202);
    assert.deepEqual((await stored(res.body.messageId)).content, { type: "text", text: "plain" });
    const nobody = await server.call("POST", `/sandbox/phones/${user}/messages`, {
      to: "15550009999",
      type: "text",
      text: { body: "hi" },
    });
    assert.equal(nobody.status, 404);
  });
});

describe("quotes: a reply names an earlier message of the chat", () => {
  let server: TestServer;
  const user = "447700941001";

  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const advance = async (ms: number) =>
    assert.equal((await server.call("POST", "/sandbox/clock/advance", { ms })).status, 200);
  async function replies(messageId: string): Promise<string> {
    const res = await server.call("POST", `/sandbox/phones/${user}/messages`, {
      to: SENDER,
      type: "text",
      text: { body: "about that" },
      context: { message_id: messageId },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return res.body.messageId;
  }
  const quoteOf = async (id: string) => (await server.ctx.storage.conversations.findInbound(id))?.quote;

  it("matches the business's message up to 4 days old, passes an older one unmatched, and names the user for their own", async () => {
    const own = (await server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "first" }))
      .body.messageId;
    const sent = await server.call("POST", "/whatsapp/1/message/template", { messages: [welcome(user)] });
    assert.equal(sent.status, 200);
    const outbound = sent.body.messages[0].messageId;

    await advance(3 * DAY_MS);
    assert.deepEqual(
      await quoteOf(await replies(outbound)),
      { messageId: outbound, from: SENDER },
      "3 days old: matched",
    );

    await advance(2 * DAY_MS);
    assert.deepEqual(
      await quoteOf(await replies(outbound)),
      { messageId: outbound },
      "5 days old: still arrives, unmatched",
    );
    assert.deepEqual(
      await quoteOf(await replies(own)),
      { messageId: own, from: user },
      "the user's own message",
    );
  });
});

describe("inbound media links pass the same address guard as outbound media", () => {
  let server: TestServer;
  const media = new MediaServer();

  before(async () => {
    await media.start();
    server = await startServer({ OPENBSP_MEDIA_ALLOW_PRIVATE: "false" });
  });
  after(async () => {
    await server.close();
    await media.stop();
  });

  it("refuses a link to a private address with a 400 naming the link, fetching nothing", async () => {
    const link = media.put("/private.png", "image/png", PNG);
    const res = await server.call("POST", "/sandbox/phones/447700942001/messages", {
      to: SENDER,
      type: "image",
      image: { link },
    });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.field, "image.link");
    assert.match(res.body.error, /private address/);
    assert.equal(media.hits("/private.png"), 0);
  });
});
